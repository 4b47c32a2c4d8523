"""Triage wired into the hotline: suggestions on the intake page, what the operator kept recorded with the
order, probable duplicates and the dispatch suggestion on the order page."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hotline import selectors, services
from hotline.models import Category, WorkOrder
from triage import classify as clf
from triage.models import DispatchRule, Feedback, TrainingExample
from triage.services import suggest

MASKS = "药店口罩卖二十块钱一个,太贵了,哄抬价格"


@pytest.fixture(autouse=True)
def fresh_rules():
    clf.invalidate_rules()
    yield
    clf.invalidate_rules()


@pytest.fixture
def catalogue(org, categories):
    """The 派单目录 ships with department codes; they resolve once the tree exists."""
    DispatchRule.objects.filter(department_code__startswith="320611D").update(department=None)
    return org


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def intake_post(user, category, suggestion, address="港闸区永和佳苑3幢", content=MASKS):
    return client_for(user).post("/hotline/intake/", {
        "caller_phone": "13812345678", "caller_name": "张三", "order_type": "complaint", "category": category,
        "content": content, "address": address, "channel": "phone", "urgency": "normal",
        "triage_suggestion": json.dumps(suggestion, ensure_ascii=False) if suggestion is not None else "",
        "next": "order"})


def test_intake_with_an_accepted_suggestion_records_a_confirmation(catalogue, personas):
    s = suggest(MASKS, "港闸区永和佳苑3幢")
    assert s["category"]["code"] == "EP-PRICE"
    response = intake_post(personas.operator, "EP-PRICE", s)
    assert response.status_code == 302
    order = WorkOrder.objects.get()
    feedback = Feedback.objects.get()
    assert feedback.corrected_fields == [] and feedback.user == personas.operator
    assert feedback.accepted["category"] == "EP-PRICE" and feedback.accepted["community"] == s["community"]["code"]
    example = TrainingExample.objects.get()
    assert example.source == "confirmed" and example.category.code == "EP-PRICE" and example.text == order.content


def test_intake_with_a_corrected_category_records_a_correction(catalogue, personas):
    s = suggest(MASKS, "港闸区永和佳苑3幢")
    intake_post(personas.operator, "EP-LIVING", s)
    feedback = Feedback.objects.get()
    assert "category" in feedback.corrected_fields and feedback.suggested["category"] == "EP-PRICE"
    assert TrainingExample.objects.get().source == "corrected"


def test_a_changed_address_does_not_confirm_the_old_place(catalogue, personas):
    s = suggest(MASKS, "港闸区永和佳苑3幢")
    intake_post(personas.operator, "EP-PRICE", s, address="陈桥街道某药店")
    assert set(Feedback.objects.get().accepted) == {"category"}


def test_a_triage_failure_never_blocks_intake(catalogue, personas, monkeypatch):
    import triage.services

    def broken(*args, **kwargs):
        raise RuntimeError("model store unavailable")

    monkeypatch.setattr(triage.services, "record_feedback", broken)
    response = intake_post(personas.operator, "EP-PRICE", suggest(MASKS, "永和佳苑"))
    assert response.status_code == 302 and WorkOrder.objects.count() == 1
    # Garbage in the hidden field is ignored just the same.
    assert intake_post(personas.operator, "EP-PRICE", None).status_code == 302
    client_for(personas.operator).post("/hotline/intake/", {
        "order_type": "complaint", "category": "EP-PRICE", "content": MASKS, "channel": "phone",
        "urgency": "normal", "triage_suggestion": "{not json"})
    assert WorkOrder.objects.count() == 3 and Feedback.objects.count() == 0


def new_order(personas, content, address="", minutes_ago=0, lead=None, category="EP-PRICE"):
    order = services.intake(personas.operator, content=content, order_type="complaint",
                            category=Category.objects.get(code=category), address=address,
                            now=timezone.now() - timedelta(minutes=minutes_ago))
    if lead is not None:
        order = services.dispatch(order, personas.dispatcher, lead_unit=lead)
    return order


@pytest.fixture
def street_orders(catalogue, personas):
    org = catalogue
    same = new_order(personas, "永和佳苑门口药店口罩卖二十块一个,哄抬价格", "永和佳苑", 60, lead=org.yongxing)
    other = new_order(personas, "药店口罩卖二十块一个,哄抬价格", "花桥新村", 50, lead=org.xingfu)
    closed = new_order(personas, "永和佳苑药店口罩卖二十块一个,哄抬价格太贵", "永和佳苑", 40, lead=org.yongxing)
    services.cancel(closed, personas.dispatcher, reason="来电人撤回")
    unrelated = new_order(personas, "小区垃圾好几天没人清运", "永和佳苑", 30, lead=org.yongxing, category="OTHER")
    fresh = new_order(personas, MASKS, "港闸区永和佳苑3幢")
    return {"same": same, "other": other, "closed": closed, "unrelated": unrelated, "fresh": fresh}


def test_duplicates_panel_lists_a_similar_open_order_of_the_same_street(street_orders, personas):
    page = client_for(personas.dispatcher).get(f"/hotline/orders/{street_orders['fresh'].pk}/").content.decode()
    panel = re.search(r'data-testid="duplicates">(.*?)</section>', page, re.S)
    assert panel, "the duplicates panel is shown"
    panel = panel.group(1)
    assert street_orders["same"].number in panel and "同一社区" in panel
    for name in ("other", "closed", "unrelated"):
        assert street_orders[name].number not in panel, name


def test_duplicate_candidates_are_bounded_and_scoped(street_orders, personas, org):
    rows = selectors.duplicate_candidates(personas.dispatcher, org.yongxing.path)
    # Newest first; the fresh order is not dispatched yet but its address routed to 永兴街道 at intake.
    assert [r["id"] for r in rows] == [street_orders[k].pk for k in ("fresh", "unrelated", "same")]
    assert {r["community_code"] for r in rows} == {org.yonghe.code}  # routed: 永和佳苑 → 永和社区
    assert all(r["shingles"] for r in rows)  # stored at intake: the search does not re-fold the texts
    by_community = selectors.duplicate_candidates(personas.dispatcher, community_path=org.yonghe.path)
    assert [r["id"] for r in by_community] == [r["id"] for r in rows]
    assert len(selectors.duplicate_candidates(personas.dispatcher, org.yongxing.path, limit=1)) == 1
    # 陈桥街道's liaison sees nothing of 永兴街道, through this query or the order page.
    assert selectors.duplicate_candidates(personas.outsider, org.yongxing.path) == []
    assert client_for(personas.outsider).get(f"/hotline/orders/{street_orders['fresh'].pk}/").status_code == 404


def test_dispatch_form_preselects_the_department_of_the_catalogue(catalogue, personas):
    order = new_order(personas, MASKS, "港闸区永和佳苑3幢")
    page = client_for(personas.dispatcher).get(f"/hotline/orders/{order.pk}/").content.decode()
    assert f'<option value="{catalogue.market.pk}" selected>' in page
    assert "区市场监督管理局" in re.search(r'data-testid="dispatch-hint">(.*?)</p>', page).group(1)


def test_territorial_category_preselects_the_street_of_the_address(catalogue, personas):
    order = new_order(personas, "楼下棋牌室还在营业,好多人打麻将", "花桥新村5幢", category="EP-GATHER")
    page = client_for(personas.dispatcher).get(f"/hotline/orders/{order.pk}/").content.decode()
    assert f'<option value="{catalogue.xingfu.pk}" selected>' in page


@pytest.mark.browser
def test_operator_accepts_the_suggested_category_on_the_intake_page(page, personas, categories):
    from importlib import import_module

    from django.apps import apps

    import_module("triage.migrations.0003_default_rules").add_defaults(apps, None)  # flushed by live_server
    clf.invalidate_rules()
    from conftest import login

    earlier = new_order(personas, "永和佳苑门口药店口罩卖二十块一个,太贵了", "永和佳苑5幢", minutes_ago=30)
    login(page, "operator")
    page.goto(page.base_url + "/hotline/intake/")
    page.fill("#id_address", "港闸区永和佳苑3幢")
    page.fill("#id_content", "小区门口药店口罩卖二十块钱一个,太贵了")
    panel = page.locator("[data-triage-panel]")
    panel.get_by_text("永和社区", exact=True).wait_for()
    panel.locator("strong", has_text="防疫物资价格").wait_for()
    duplicate = panel.locator('[data-testid="triage-duplicates"] a', has_text=earlier.number)
    assert duplicate.get_attribute("href") == f"/hotline/orders/{earlier.pk}/"
    shots(page)
    panel.locator("dd", has_text="防疫物资价格").get_by_role("button", name="采用").click()
    assert page.input_value("#id_category") == "EP-PRICE"
    page.select_option("#id_order_type", "complaint")
    page.click("button[value=order]")
    page.wait_for_url(re.compile(r"/hotline/orders/\d+/$"))
    order = WorkOrder.objects.exclude(pk=earlier.pk).get()
    assert order.category.code == "EP-PRICE"
    assert Feedback.objects.get().corrected_fields == []


def shots(page):
    import os

    os.makedirs("/tmp/triagewire", exist_ok=True)
    page.screenshot(path="/tmp/triagewire/intake-phone.png", full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/triagewire/intake-desktop.png", full_page=True)
    page.set_viewport_size(size)


def test_merge_into_a_probable_duplicate_is_prefilled(street_orders, personas):
    client = client_for(personas.dispatcher)
    fresh, same = street_orders["fresh"], street_orders["same"]
    page = client.get(f"/hotline/orders/{fresh.pk}/?merge_into={same.number}").content.decode()
    assert f'name="into" value="{same.number}"' in page
    # Only a number the panel offered is filled in.
    other = street_orders["other"].number
    assert f'value="{other}"' not in client.get(f"/hotline/orders/{fresh.pk}/?merge_into={other}").content.decode()
    client.post(f"/hotline/orders/{fresh.pk}/merge/", {"into": same.number})
    fresh.refresh_from_db()
    assert fresh.merged_into == same


def test_taking_the_next_call_warns_of_a_probable_duplicate(street_orders, personas):
    client = client_for(personas.operator)
    response = client.post("/hotline/intake/", {
        "order_type": "complaint", "category": "EP-PRICE", "content": MASKS, "address": "永和佳苑5幢",
        "channel": "phone", "urgency": "normal", "next": "new"}, follow=True)
    assert street_orders["same"].number in response.content.decode()
