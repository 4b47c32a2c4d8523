"""Exchange with the city platform: orders pushed in, signed status webhooks out (retries, dead letters),
and the bulk status export. The platform is a local HTTP server thread on 127.0.0.1."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job
from hotline import services as hotline
from hotline.models import Channel, State
from interop import services
from interop.models import ExchangeCursor, UpperOrder, WebhookDelivery
from interop.tests.fake_platform import serving

SECRET = "test-webhook-secret"
URL = "/api/v1/interop/upper/orders"


@pytest.fixture
def platform(settings):
    with serving(settings, SECRET) as server:
        yield server


def push(client, key, **data):
    body = {"platform_number": "NT2020020700012", "content": "港闸区某药店口罩一只卖十元,请核查",
            "deadline": "2020-02-08T18:00:00+08:00", "category": "EP-PRICE", "order_type": "complaint",
            "caller_name": "赵六", "caller_phone": "13612345678", "address": "幸福街道永和佳苑"}
    body.update(data)
    return client.post(URL, json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key.raw)


def run_worker(hours=0):
    """Run what is due now (or `hours` later, to get past the backoff)."""
    return jobs.run_due(now=timezone.now() + timedelta(hours=hours))


def test_pushed_order_keeps_the_platform_number_deadline_and_content(client, keys):
    response = push(client, keys.district)
    assert response.status_code == 201
    upper = UpperOrder.objects.get(platform_number="NT2020020700012")
    order = upper.order
    assert response.json()["number"] == order.number and response.json()["status"] == "open"
    assert order.channel == Channel.UPPER and order.state == State.PENDING_DISPATCH
    assert order.external_id == "NT2020020700012" and order.category.code == "EP-PRICE"
    assert upper.platform_content == order.content and upper.platform_category == "EP-PRICE"
    assert upper.platform_deadline.isoformat() == "2020-02-08T10:00:00+00:00"
    assert order.caller_phone == "13612345678"


def test_an_earlier_platform_deadline_becomes_the_units_reply_due(client, keys):
    # Pushed now with the city's deadline three hours away: our own policy (working days) would allow more.
    soon = timezone.now() + timedelta(hours=3)
    response = push(client, keys.district, deadline=soon.isoformat())
    assert response.status_code == 201
    order = UpperOrder.objects.get().order
    assert order.reply_due == soon


def test_a_later_platform_deadline_leaves_our_shorter_reply_due(client, keys):
    late = timezone.now() + timedelta(days=60)
    push(client, keys.district, deadline=late.isoformat())
    order = UpperOrder.objects.get().order
    assert order.reply_due < late and UpperOrder.objects.get().platform_deadline == late


def test_pushing_the_same_number_again_returns_the_first_order(client, keys):
    first = push(client, keys.district).json()
    again = push(client, keys.district, content="重复推送")
    assert again.status_code == 200 and again.json()["number"] == first["number"]
    assert UpperOrder.objects.count() == 1


def test_unknown_category_goes_to_other(client, keys):
    push(client, keys.district, category="市里的新分类")
    assert UpperOrder.objects.get().order.category.code == "OTHER"


@pytest.mark.parametrize("data", [{"platform_number": ""}, {"content": ""}, {"deadline": "明天"},
                                  {"order_type": "bogus"}, {"caller_phone": "12ab"}])
def test_bad_pushes_are_400_and_write_nothing(client, keys, data):
    assert push(client, keys.district, **data).status_code == 400
    assert UpperOrder.objects.count() == 0


def test_a_key_without_intake_right_cannot_push(client, keys):
    assert push(client, keys.xingfu).status_code == 403


def _dispatched(client, keys, personas, org):
    push(client, keys.district)
    order = UpperOrder.objects.get().order
    return hotline.dispatch(order, personas.dispatcher, lead_unit=org.xingfu)


def test_status_changes_are_pushed_signed_and_once(client, keys, personas, org, platform):
    order = _dispatched(client, keys, personas, org)
    assert services.scan_events() == 2  # 受理 and 派单
    assert services.scan_events() == 0  # the cursor moved on
    run_worker()
    assert len(platform.received) == 2
    sent = platform.received[1]
    payload = json.loads(sent.body)
    assert payload["number"] == order.number and payload["platform_number"] == "NT2020020700012"
    assert payload["to_state"] == "pending_accept" and payload["status"] == "open"
    assert payload["lead_unit"] == "幸福街道" and payload["action"] == "dispatch"
    assert sent.signed and sent.headers["X-Shouhu-Timestamp"]  # HMAC-SHA256 of "<timestamp>.<body>"
    assert sent.event_id == payload["event_id"]
    assert WebhookDelivery.objects.filter(delivered_at__isnull=False).count() == 2
    run_worker(hours=2)
    assert len(platform.received) == 2  # nothing sent twice


def test_a_message_signed_with_another_secret_is_not_applied_by_the_platform(client, keys, personas, org, platform,
                                                                             settings):
    settings.UPPER_WEBHOOK_SECRET = "not-the-shared-secret"
    _dispatched(client, keys, personas, org)
    services.scan_events()
    run_worker()
    assert platform.received and not any(sent.signed for sent in platform.received)
    assert platform.applied == []


def test_reply_reaches_the_platform_with_the_answer(client, keys, personas, org, platform):
    order = _dispatched(client, keys, personas, org)
    order = hotline.accept(order, personas.xf_liaison)
    order = hotline.reply(order, personas.xf_handler, text="已责令药店按进价销售,并处罚款。")
    order = hotline.signoff(order, personas.xf_head)
    order = hotline.approve(order, personas.operator)
    jobs.enqueue("interop.scan_upper_events")
    run_worker()
    run_worker()
    last = json.loads(platform.received[-1].body)
    assert last["to_state"] == "pending_callback" and "责令" in last["reply_text"]


def test_orders_not_from_the_platform_are_not_pushed(client, keys, personas, platform, categories):
    hotline.intake(personas.operator, content="本区来电", order_type="help", category=categories["OTHER"])
    assert services.scan_events() == 0 and WebhookDelivery.objects.count() == 0


def test_without_a_configured_url_nothing_is_queued_but_the_cursor_moves(client, keys, personas, org, settings):
    settings.UPPER_WEBHOOK_URL = ""
    _dispatched(client, keys, personas, org)
    assert services.scan_events() == 0
    assert ExchangeCursor.objects.get().last_event_id > 0


def test_failures_back_off_then_land_in_the_dead_letter_list_and_can_be_retried(
        client, keys, personas, org, platform, settings):
    _dispatched(client, keys, personas, org)
    platform.status = 503
    services.scan_events()
    delivery = WebhookDelivery.objects.order_by("id").first()
    run_worker()
    job = Job.objects.get(pk=delivery.job_id)
    assert job.status == Job.Status.PENDING and job.attempts == 1 and "503" in job.last_error
    assert job.run_at > timezone.now()  # backoff: not again right away
    before = len(platform.received)
    run_worker()
    assert len(platform.received) == before
    for _ in range(job.max_attempts):
        run_worker(hours=2)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == job.max_attempts
    assert list(services.dead_letters()) == list(WebhookDelivery.objects.filter(job__status="failed"))
    dead = services.dead_letters().count()
    assert dead == 2

    # The platform is back; someone retries from the page.
    platform.status = 200
    client.force_login(personas.supervisor)
    page = client.get(reverse("interop:overview"))
    assert page.status_code == 200 and "NT2020020700012" in page.content.decode()
    client.post(reverse("interop:retry", args=[delivery.pk]))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and services.dead_letters().count() == 1
    call_command("retry_webhooks", stdout=io.StringIO())
    run_worker()
    assert services.dead_letters().count() == 0


def test_admin_action_retries_dead_letters(client, keys, personas, org, platform, admin_user):
    _dispatched(client, keys, personas, org)
    platform.status = 500
    services.scan_events()
    for _ in range(10):
        run_worker(hours=2)
    assert services.dead_letters().count() == 2
    platform.status = 200
    client.force_login(admin_user)
    ids = list(WebhookDelivery.objects.values_list("pk", flat=True))
    client.post(reverse("admin:interop_webhookdelivery_changelist"), {"action": "retry", "_selected_action": ids})
    run_worker()
    assert services.dead_letters().count() == 0


def test_retry_all_from_the_page(client, keys, personas, org, platform):
    _dispatched(client, keys, personas, org)
    platform.status = 500
    services.scan_events()
    for _ in range(10):
        run_worker(hours=2)
    platform.status = 200
    client.force_login(personas.supervisor)
    client.post(reverse("interop:retry_all"))
    run_worker()
    assert services.dead_letters().count() == 0 and len(platform.received) >= 2


def test_the_page_is_refused_to_others(client, personas, db):
    client.force_login(personas.outsider)
    assert client.get(reverse("interop:overview")).status_code == 403
    assert client.post(reverse("interop:retry", args=[1])).status_code == 403


def test_bulk_status_export_in_json_and_csv_scoped_to_the_key(client, keys, personas, org):
    order = _dispatched(client, keys, personas, org)
    push(client, keys.district, platform_number="NT-OTHER")
    rows = client.get("/api/v1/interop/upper/status", HTTP_X_API_KEY=keys.district.raw).json()
    assert {r["platform_number"] for r in rows} == {"NT2020020700012", "NT-OTHER"}
    response = client.get("/api/v1/interop/upper/status?format=csv", HTTP_X_API_KEY=keys.district.raw)
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    mine = next(r for r in table if r["platform_number"] == "NT2020020700012")
    assert mine["number"] == order.number and mine["state"] == "pending_accept" and mine["lead_unit"] == "幸福街道"
    # A street's key sees only what was dispatched to it; another street sees nothing.
    assert [r["platform_number"] for r in client.get("/api/v1/interop/upper/status",
                                                     HTTP_X_API_KEY=keys.xingfu.raw).json()] == ["NT2020020700012"]
    assert client.get("/api/v1/interop/upper/status", HTTP_X_API_KEY=keys.chenqiao.raw).json() == []
    one = client.get("/api/v1/interop/upper/orders/NT2020020700012", HTTP_X_API_KEY=keys.chenqiao.raw)
    assert one.status_code == 404
    assert client.get("/api/v1/interop/upper/orders/NT2020020700012",
                      HTTP_X_API_KEY=keys.xingfu.raw).json()["state"] == "pending_accept"
    since = (timezone.now() + timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/interop/upper/status", {"since": since}, HTTP_X_API_KEY=keys.district.raw).json() == []
    assert client.get("/api/v1/interop/upper/status", {"since": "x"}, HTTP_X_API_KEY=keys.district.raw).status_code \
        == 400


def test_whoami_names_the_key(client, keys):
    data = client.get("/api/v1/interop/whoami", HTTP_X_API_KEY=keys.xingfu.raw).json()
    assert data == {"account": "幸福街道网格系统", "unit": "幸福街道", "unit_code": keys.xingfu.key.account.unit.code,
                    "role": "liaison", "key_prefix": keys.xingfu.key.prefix}


def test_a_resend_by_a_key_without_intake_right_reveals_nothing(client, keys):
    push(client, keys.district)
    response = push(client, keys.chenqiao)
    assert response.status_code == 403 and "number" not in response.json()
