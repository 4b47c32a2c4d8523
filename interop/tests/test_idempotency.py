import json
from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone

from core import jobs
from hotline.models import WorkOrder
from interop.middleware import IdempotencyMiddleware
from interop.models import IdempotencyRecord

URL = "/api/v1/interop/upper/orders"


def push(client, key, idem, **data):
    body = {"platform_number": "NT20200207-0001", "content": "幸福街道某超市口罩涨价", "category": "EP-PRICE"}
    body.update(data)
    return client.post(URL, json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key.raw,
                       HTTP_IDEMPOTENCY_KEY=idem)


def test_retry_with_the_same_key_returns_the_first_answer_and_writes_nothing(keys, client):
    first = push(client, keys.district, "k-1")
    assert first.status_code == 201
    again = push(client, keys.district, "k-1")
    assert again.status_code == 201 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert WorkOrder.objects.count() == 1 and IdempotencyRecord.objects.count() == 1


def test_open311_post_retry_creates_one_order(keys, client):
    data = {"api_key": keys.district.raw, "service_code": "EP-PRICE", "address_string": "永和佳苑",
            "description": "药店口罩一只卖十元"}
    first = client.post("/open311/v2/requests.json", data, HTTP_IDEMPOTENCY_KEY="o-1")
    again = client.post("/open311/v2/requests.json", data, HTTP_IDEMPOTENCY_KEY="o-1")
    assert first.status_code == 201 and again.content == first.content
    assert WorkOrder.objects.count() == 1


def test_same_key_with_another_body_is_refused_with_422(keys, client):
    push(client, keys.district, "k-2")
    other = push(client, keys.district, "k-2", content="另一件事")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"] and "不同" in other.json()["detail"]
    assert WorkOrder.objects.count() == 1


def test_422_for_open311_comes_in_the_open311_error_format(keys, client):
    data = {"api_key": keys.district.raw, "service_code": "EP-PRICE", "address_string": "永和佳苑"}
    client.post("/open311/v2/requests.json", data, HTTP_IDEMPOTENCY_KEY="o-2")
    response = client.post("/open311/v2/requests.json", {**data, "description": "x"}, HTTP_IDEMPOTENCY_KEY="o-2")
    assert response.status_code == 422 and response.json()[0]["code"] == 422


def test_keys_are_per_caller(keys, client, org):
    from interop import services

    other, raw = services.create_api_key(unit=org.district, role="operator", name="市12345平台")
    push(client, keys.district, "same")
    response = client.post(URL, json.dumps({"platform_number": "NT-2", "content": "别的事"}),
                           content_type="application/json", HTTP_X_API_KEY=raw, HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201 and WorkOrder.objects.count() == 2


def test_refused_answers_are_replayed_too(keys, client):
    first = push(client, keys.xingfu, "k-3")  # a street liaison may not take in orders
    assert first.status_code == 403
    assert push(client, keys.xingfu, "k-3").content == first.content
    assert WorkOrder.objects.count() == 0


def test_without_a_key_nothing_is_recorded(keys, client):
    client.post(
        URL, json.dumps({"platform_number": "NT-9", "content": "x"}), content_type="application/json",
        HTTP_X_API_KEY=keys.district.raw)
    assert IdempotencyRecord.objects.count() == 0


def test_an_overlong_key_is_a_bad_request(keys, client):
    response = push(client, keys.district, "x" * 300)
    assert response.status_code == 400 and WorkOrder.objects.count() == 0


def test_keys_expire_after_a_day(keys, client):
    push(client, keys.district, "k-4")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    jobs.enqueue("interop.purge_idempotency")
    jobs.run_due()
    assert IdempotencyRecord.objects.count() == 0
    # After expiry the same key is a new request (here: the platform number already exists → 200).
    assert push(client, keys.district, "k-4").status_code == 200


def test_a_racing_duplicate_rolls_back_its_own_write(keys, categories, monkeypatch):
    """Two requests with one key at once: the other one committed its record after our lookup; our
    insert fails, our order is rolled back, and we answer what the other one stored."""
    import hashlib

    from django.http import JsonResponse

    from interop import services

    body = b'{"x": 1}'
    identity = "key:" + hashlib.sha256(keys.district.raw.encode()).hexdigest()[:40]
    IdempotencyRecord.objects.create(key="race", identity=identity, method="POST", path=URL,
                                     body_hash=hashlib.sha256(body).hexdigest(), status=201,
                                     content_type="application/json", body=b'{"winner": true}')
    lookups = []
    real_find = IdempotencyMiddleware._find
    monkeypatch.setattr(IdempotencyMiddleware, "_find",
                        lambda self, i, k: lookups.append(1) or (None if len(lookups) == 1 else real_find(self, i, k)))

    def view(request):
        services.receive_order(keys.district.user, platform_number="RACE-1", content="晚到的请求")
        return JsonResponse({"winner": False}, status=201)

    request = RequestFactory().post(URL, body, content_type="application/json", HTTP_X_API_KEY=keys.district.raw,
                                    HTTP_IDEMPOTENCY_KEY="race")
    response = IdempotencyMiddleware(view)(request)
    assert response.content == b'{"winner": true}'
    assert not WorkOrder.objects.filter(external_id="RACE-1").exists()


def test_server_errors_are_not_stored_and_roll_back(keys):
    from django.http import HttpResponseServerError

    from interop import services

    def view(request):
        services.receive_order(keys.district.user, platform_number="ERR-1", content="写到一半出错")
        return HttpResponseServerError("boom")

    request = RequestFactory().post(URL, b"{}", content_type="application/json", HTTP_X_API_KEY=keys.district.raw,
                                    HTTP_IDEMPOTENCY_KEY="e-1")
    assert IdempotencyMiddleware(view)(request).status_code == 500
    assert IdempotencyRecord.objects.count() == 0
    assert not WorkOrder.objects.filter(external_id="ERR-1").exists()
