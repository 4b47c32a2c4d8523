import json

import pytest
from django.urls import reverse

from hotline.models import State
from hotline.tests.test_views import MATRIX, anonymous_order, build

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_intake_and_read_through_the_api(client, personas, categories):
    client.force_login(personas.operator)
    response = post(client, reverse("hotline-api:orders"), {
        "content": "鄂籍车辆滞留在收费站", "order_type": "help", "category": "EP-VEHICLE",
        "caller_phone": "13800138000", "caller_name": "王五"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("GZ") and body["caller_phone"] == "138****8000" and body["epidemic"]
    detail = client.get(reverse("hotline-api:order", args=[body["id"]])).json()
    assert detail["actions"] == ["answer"] and detail["timeline"][0]["action"] == "intake"
    assert client.get(reverse("hotline-api:orders")).json()["results"][0]["id"] == body["id"]
    client.force_login(personas.xf_liaison)
    assert post(client, reverse("hotline-api:orders"), {"content": "x", "order_type": "help",
                                                         "category": "OTHER"}).status_code == 403


@pytest.mark.parametrize("action", list(MATRIX))
def test_every_move_through_the_api_is_checked_like_the_ui(client, flow, personas, org, action):
    order, right, wrong, data, after = build(flow, personas, org, action)
    url = reverse("hotline-api:order-action", args=[order.pk, action])
    client.force_login(personas.outsider)
    assert post(client, url, data).status_code == 404
    client.force_login(wrong)
    assert post(client, url, data).status_code == 403
    client.force_login(right)
    response = post(client, url, data)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == after


def test_conflict_is_409_with_a_chinese_message(client, flow, personas):
    order = flow.handling()
    client.force_login(personas.xf_liaison)
    response = post(client, reverse("hotline-api:order-action", args=[order.pk, "accept"]), {})
    assert response.status_code == 409 and "办理中" in response.json()["detail"]


def test_bad_input_is_400(client, flow, personas):
    order = flow.dispatched()
    client.force_login(personas.xf_liaison)
    response = post(client, reverse("hotline-api:order-action", args=[order.pk, "return"]), {"reason": ""})
    assert response.status_code == 400


def test_anonymous_caller_is_empty_for_units_in_the_api(client, flow, personas, org):
    order = anonymous_order(flow, personas, org)
    client.force_login(personas.xf_liaison)
    for url in (reverse("hotline-api:order", args=[order.pk]), reverse("hotline-api:orders")):
        text = client.get(url).content.decode()
        assert "4321" not in text and "13987654321" not in text
    assert client.get(reverse("hotline-api:order", args=[order.pk])).json()["caller_phone"] is None
    client.force_login(personas.outsider)
    assert client.get(reverse("hotline-api:order", args=[order.pk])).status_code == 404
    assert client.get(reverse("hotline-api:orders")).json()["results"] == []


def test_queue_filter(client, flow, personas):
    order = flow.dispatched()
    client.force_login(personas.xf_liaison)
    ids = [o["id"] for o in client.get(reverse("hotline-api:orders"), {"queue": "inbox"}).json()["results"]]
    assert ids == [order.pk]
    assert client.get(reverse("hotline-api:orders"), {"queue": "dispatch"}).status_code == 403
    assert State.PENDING_ACCEPT == order.state
