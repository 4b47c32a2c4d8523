"""Open311 GeoReport v2 conformance: every endpoint in XML (parsed with xml.etree) and JSON, every error."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from hotline import services as hotline
from hotline.models import Category, Channel, State, WorkOrder
from interop.models import Open311Request

BASE = "/open311/v2/"
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def parse(response, fmt):
    """XML → the root element; JSON → the decoded value. Checks the spec's content types and encoding."""
    if fmt == "xml":
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        return ET.fromstring(response.content)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def items(response, fmt, root, item):
    """A list response as a list of dicts, whatever the format."""
    data = parse(response, fmt)
    if fmt == "json":
        assert isinstance(data, list)
        return data
    assert data.tag == root
    assert all(child.tag == item for child in data)
    return [{field.tag: field.text for field in child} for child in data]


def error(response, fmt, status):
    assert response.status_code == status
    found = items(response, fmt, "errors", "error")
    assert len(found) == 1 and int(found[0]["code"]) == status and found[0]["description"]
    return found[0]["description"]


@pytest.fixture
def submit(client, keys):
    def post(fmt="json", key=None, **data):
        data.setdefault("service_code", "EP-PRICE")
        data.setdefault("address_string", "港闸区永和佳苑")
        data.setdefault("description", "小区门口药店口罩一只卖十元")
        data["api_key"] = key if key is not None else keys.district.raw
        return client.post(f"{BASE}requests.{fmt}", data)

    return post


FORMATS = ["xml", "json"]


# discovery ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_the_v2_endpoint(client, db, fmt):
    data = parse(client.get(f"{BASE}discovery.{fmt}"), fmt)
    if fmt == "xml":
        assert data.tag == "discovery"
        endpoint = data.find("endpoints/endpoint")
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
        assert endpoint.findtext("url").endswith("/open311/v2/") and data.findtext("contact")
        assert W3C.match(data.findtext("changeset"))
    else:
        endpoint = data["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["type"] == "production" and "application/json" in endpoint["formats"]


# services -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_default_public_categories_are_services_on_a_fresh_install(client, org, fmt):
    """Only the migrations and an imported org tree: the default categories are there."""
    services = items(client.get(f"{BASE}services.{fmt}"), fmt, "services", "service")
    by_code = {s["service_code"]: s for s in services}
    assert "EP-PRICE" in by_code and "ENV" in by_code and "EP" not in by_code  # a parent is a group
    price = by_code["EP-PRICE"]
    assert set(price) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert price["service_name"] == "防疫物资价格" and price["group"] == "疫情防控"
    assert price["type"] == "realtime" and "口罩" in price["keywords"]
    assert price["metadata"] in (True, "true")
    assert by_code["ENV"]["metadata"] in (False, "false") and by_code["ENV"]["group"] == "环境保护"
    if fmt == "json":
        assert all(isinstance(s["service_code"], str) for s in services)


def test_private_and_inactive_categories_are_not_services(client, categories):
    Category.objects.filter(code="EP-PERSON").update(public=False)
    Category.objects.filter(code="ENV").update(active=False)
    codes = {s["service_code"] for s in json.loads(client.get(f"{BASE}services.json").content)}
    assert "EP-PERSON" not in codes and "ENV" not in codes and "EP-PRICE" in codes


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_its_attributes(client, categories, fmt):
    data = parse(client.get(f"{BASE}services/EP-PRICE.{fmt}"), fmt)
    if fmt == "xml":
        assert data.tag == "service_definition" and data.findtext("service_code") == "EP-PRICE"
        attribute = data.find("attributes/attribute")
        assert attribute.findtext("code") == "order_type" and attribute.findtext("datatype") == "singlevaluelist"
        assert attribute.findtext("variable") == "true" and attribute.findtext("required") == "false"
        assert {v.findtext("key") for v in attribute.find("values")} >= {"complaint", "help"}
    else:
        assert data["service_code"] == "EP-PRICE"
        codes = [a["code"] for a in data["attributes"]]
        assert codes == ["order_type", "urgency"] and data["attributes"][0]["order"] == 1
        assert {"key": "complaint", "name": "投诉"} in data["attributes"][0]["values"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_or_one_without_attributes_is_404(client, categories, fmt):
    assert "不存在" in error(client.get(f"{BASE}services/NOPE.{fmt}"), fmt, 404)
    error(client.get(f"{BASE}services/ENV.{fmt}"), fmt, 404)


# POST requests ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_real_work_order_in_the_normal_lifecycle(submit, keys, fmt):
    response = submit(fmt, first_name="三", last_name="张", phone="13812345678", email="zs@example.com",
                      lat="32.0455", long="120.8613", media_url="https://img.example.com/1.jpg",
                      **{"attribute[order_type]": "complaint", "attribute[urgency]": "urgent"})
    assert response.status_code == 201
    created = items(response, fmt, "service_requests", "request")
    assert len(created) == 1 and created[0]["service_notice"].startswith("将于")
    order = WorkOrder.objects.get(number=created[0]["service_request_id"])
    assert order.state == State.PENDING_DISPATCH and order.channel == Channel.WECHAT
    assert order.category.code == "EP-PRICE" and order.epidemic and order.reply_due is not None
    assert order.order_type == "complaint" and order.urgency == "urgent"
    assert order.caller_name == "张三" and order.caller_phone == "13812345678"
    assert order.events.get().action == "intake"
    extra = Open311Request.objects.get(order=order)
    assert str(extra.lat) == "32.045500" and extra.email == "zs@example.com"
    assert extra.media_url == "https://img.example.com/1.jpg"


def test_posted_order_moves_through_the_hotline_services(submit, personas, org):
    number = json.loads(submit().content)[0]["service_request_id"]
    order = WorkOrder.objects.get(number=number)
    order = hotline.dispatch(order, personas.dispatcher, lead_unit=org.xingfu)
    assert order.state == State.PENDING_ACCEPT


@pytest.mark.parametrize("location", [{"address_id": "320611"}, {"lat": "32.0", "long": "120.9"},
                                      {"address_string": "幸福街道"}])
def test_any_one_kind_of_location_is_enough(submit, location):
    data = {"address_string": "", **location}
    assert submit(**data).status_code == 201


def test_address_id_of_a_unit_becomes_its_name(submit):
    number = json.loads(submit(address_string="", address_id="320611").content)[0]["service_request_id"]
    assert WorkOrder.objects.get(number=number).address == "港闸区"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", ["", "shk_not-a-key", "garbage"])
def test_post_without_a_good_api_key_is_403(submit, fmt, key):
    error(submit(fmt, key=key), fmt, 403)
    assert WorkOrder.objects.count() == 0


def test_post_with_a_revoked_key_is_403(submit, keys):
    from interop import services

    services.revoke_key(keys.district.key)
    assert "吊销" in error(submit("json"), "json", 403)


def test_post_by_a_key_without_intake_right_is_403(submit, keys):
    error(submit("json", key=keys.xingfu.raw), "json", 403)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("data, message", [
    ({"service_code": ""}, "service_code"),
    ({"address_string": ""}, "位置"),
    ({"address_string": "", "lat": "32.0"}, "同时"),
    ({"lat": "abc", "long": "120"}, "lat"),
    ({"lat": "95", "long": "120"}, "范围"),
    ({"phone": "12ab"}, "电话号码"),
    ({"email": "not-an-email"}, ""),
    ({"media_url": "ftp://x"}, ""),
    ({"description": "长" * 4001}, "4000"),
    ({"attribute[order_type]": "weird"}, "order_type"),
])
def test_post_with_bad_arguments_is_400(submit, fmt, data, message):
    assert message in error(submit(fmt, **data), fmt, 400)
    assert WorkOrder.objects.count() == 0


def test_post_for_an_unknown_service_is_404(submit):
    error(submit("json", service_code="NOPE"), "json", 404)


# GET requests -------------------------------------------------------------------------------------------

@pytest.fixture
def orders(submit, keys, personas, org):
    """Three orders: one posted (open), one dispatched to 幸福街道, one to 陈桥街道 and cancelled."""
    posted = WorkOrder.objects.get(number=json.loads(submit(lat="32.1", long="120.8").content)[0]["service_request_id"])
    category = Category.objects.get(code="ENV")
    xingfu = hotline.intake(personas.operator, content="幸福街道噪声扰民,联系电话13912345678", order_type="complaint",
                            category=category, caller_name="李四", caller_phone="13912345678", address="幸福街道")
    xingfu = hotline.dispatch(xingfu, personas.dispatcher, lead_unit=org.xingfu)
    chenqiao = hotline.intake(personas.operator, content="陈桥街道垃圾未清运", order_type="complaint",
                              category=category, caller_name="王五", caller_phone="13712345678")
    chenqiao = hotline.dispatch(chenqiao, personas.dispatcher, lead_unit=org.chenqiao)
    chenqiao = hotline.cancel(chenqiao, personas.dispatcher, reason="重复来电")
    return posted, xingfu, chenqiao


def get(client, path, key, **params):
    return client.get(BASE + path, {"api_key": key.raw, **params} if key else params)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_lists_every_spec_field_without_personal_data(client, keys, orders, fmt):
    found = items(get(client, f"requests.{fmt}", keys.district), fmt, "service_requests", "request")
    assert {r["service_request_id"] for r in found} == {o.number for o in orders}
    for request in found:
        assert list(request) == REQUEST_FIELDS
        assert W3C.match(request["requested_datetime"]) and W3C.match(request["updated_datetime"])
        assert request["status"] in ("open", "closed")
    text = get(client, f"requests.{fmt}", keys.district).content.decode()
    for secret in ("李四", "王五", "张三", "13912345678", "13712345678", "zs@example.com"):
        assert secret not in text
    noise = next(r for r in found if r["service_request_id"] == orders[1].number)
    assert noise["agency_responsible"] == "幸福街道" and noise["status_notes"] == "待签收"
    assert "139****5678" in noise["description"]
    posted = next(r for r in found if r["service_request_id"] == orders[0].number)
    assert float(posted["lat"]) == pytest.approx(32.1) and posted["service_code"] == "EP-PRICE"
    cancelled = next(r for r in found if r["service_request_id"] == orders[2].number)
    assert cancelled["status"] == "closed" and "撤销" in cancelled["status_notes"]


def test_get_requests_filters(client, keys, orders):
    def numbers(**params):
        return {r["service_request_id"] for r in json.loads(get(client, "requests.json", keys.district,
                                                                **params).content)}

    posted, xingfu, chenqiao = orders
    assert numbers(status="closed") == {chenqiao.number}
    assert numbers(status="open") == {posted.number, xingfu.number}
    assert numbers(status="open,closed") == {o.number for o in orders}
    assert numbers(service_code="ENV") == {xingfu.number, chenqiao.number}
    assert numbers(service_request_id=f"{posted.number},{chenqiao.number}") == {posted.number, chenqiao.number}
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert numbers(start_date=future) == set()
    assert numbers(end_date=future) == {o.number for o in orders}
    old = timezone.now() - timedelta(days=200)
    WorkOrder.objects.filter(pk=posted.pk).update(received_at=old)
    assert posted.number not in numbers()  # default window: the last 90 days
    assert posted.number in numbers(start_date=(old - timedelta(days=1)).isoformat(),
                                    end_date=(old + timedelta(days=1)).isoformat())
    # An unencoded "+08:00" (a space after decoding) still parses.
    assert client.get(BASE + "requests.json?api_key=" + keys.district.raw
                      + "&start_date=2020-01-01T00:00:00+08:00").status_code == 200


def test_get_requests_caps_at_1000(client, keys, orders, monkeypatch):
    from interop.open311 import selectors

    monkeypatch.setattr(selectors, "MAX_RESULTS", 2)
    assert len(json.loads(get(client, "requests.json", keys.district).content)) == 2


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("params, message", [
    ({"status": "pending"}, "status"),
    ({"start_date": "yesterday"}, "start_date"),
    ({"end_date": "2020-13-45T00:00:00Z"}, "end_date"),
    ({"start_date": "2020-02-07T00:00:00Z", "end_date": "2020-02-01T00:00:00Z"}, "早于"),
])
def test_get_requests_with_bad_arguments_is_400(client, keys, orders, fmt, params, message):
    assert message in error(get(client, f"requests.{fmt}", keys.district, **params), fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ["requests", "requests/GZ20200207-0001", "tokens/abc", "servicerequestupdates"])
def test_reading_without_an_api_key_is_403(client, orders, fmt, path):
    error(client.get(f"{BASE}{path}.{fmt}"), fmt, 403)


def test_keys_of_one_unit_cannot_read_another_units_orders(client, keys, orders):
    posted, xingfu, chenqiao = orders
    mine = {r["service_request_id"] for r in json.loads(get(client, "requests.json", keys.xingfu).content)}
    assert mine == {xingfu.number}
    theirs = {r["service_request_id"] for r in json.loads(get(client, "requests.json", keys.chenqiao).content)}
    assert theirs == {chenqiao.number}
    error(get(client, f"requests/{chenqiao.number}.json", keys.xingfu), "json", 404)
    asked = json.loads(get(client, "requests.json", keys.xingfu, service_request_id=chenqiao.number).content)
    assert asked == []
    token = Open311Request.objects.get(order=posted).token
    error(get(client, f"tokens/{token}.json", keys.xingfu), "json", 404)
    updates = json.loads(get(client, "servicerequestupdates.json", keys.xingfu).content)
    assert {u["service_request_id"] for u in updates} == {xingfu.number}


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request(client, keys, orders, fmt):
    found = items(get(client, f"requests/{orders[1].number}.{fmt}", keys.district), fmt, "service_requests",
                  "request")
    assert len(found) == 1 and found[0]["service_request_id"] == orders[1].number
    assert "不存在" in error(get(client, f"requests/GZ19990101-0001.{fmt}", keys.district), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_gives_the_request_id(client, keys, orders, fmt):
    token = Open311Request.objects.get(order=orders[0]).token
    found = items(get(client, f"tokens/{token}.{fmt}", keys.district), fmt, "service_requests", "request")
    assert found == [{"service_request_id": orders[0].number, "token": token}]
    error(get(client, f"tokens/unknown.{fmt}", keys.district), fmt, 404)


# the updates extension ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_follow_the_timeline(client, keys, orders, fmt):
    found = items(get(client, f"servicerequestupdates.{fmt}", keys.district, service_request_id=orders[2].number),
                  fmt, "service_request_updates", "request_update")
    assert [u["status"] for u in found] == ["open", "open", "closed"]
    assert "派单" in found[1]["description"] and "陈桥街道" in found[1]["description"]
    assert "撤销" in found[2]["description"] and "重复来电" not in found[2]["description"]
    assert set(found[0]) == {"update_id", "service_request_id", "status", "updated_datetime", "description",
                             "media_url"}
    assert all(W3C.match(u["updated_datetime"]) for u in found)


# unknown resources and formats --------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["nothing.xml", "v2/services.html", "v2/requests", "v3/services.json"])
def test_unknown_resources_are_404_in_the_error_format(client, db, path):
    response = client.get("/open311/" + path)
    assert response.status_code == 404
    if path.endswith(".json"):
        assert json.loads(response.content)[0]["code"] == 404
    else:
        assert ET.fromstring(response.content).tag == "errors"


def test_wrong_method_is_refused(client, db):
    response = client.post(f"{BASE}services.json")
    assert response.status_code == 405 and json.loads(response.content)[0]["code"] == 405


def test_listing_requests_takes_a_fixed_number_of_queries(client, keys, orders, django_assert_max_num_queries,
                                                          submit):
    for _ in range(5):
        submit()
    with django_assert_max_num_queries(6) as captured:
        response = get(client, "requests.json", keys.district)
    assert len(json.loads(response.content)) == 8
    baseline = len(captured)
    for _ in range(5):
        submit()
    with django_assert_max_num_queries(baseline):
        get(client, "requests.json", keys.district)
    with django_assert_max_num_queries(baseline):
        get(client, "servicerequestupdates.json", keys.district)


@pytest.mark.parametrize("path, data", [
    ("requests.json", {"service_code": "EP\x00"}), ("requests/GZ\x00.json", {}), ("tokens/a\x00.json", {})])
def test_nul_characters_are_a_bad_request_not_a_server_error(client, keys, db, path, data):
    assert client.get(BASE + path, {"api_key": keys.district.raw, **data}).status_code == 400


def test_nul_in_a_post_is_a_bad_request(submit):
    assert submit(description="口罩\x00涨价").status_code == 400 and WorkOrder.objects.count() == 0
