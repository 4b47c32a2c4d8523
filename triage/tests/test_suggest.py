"""The intake suggestions, the JSON endpoint and the record of accepted/corrected suggestions."""

import pytest
from django.test import Client

from triage import classify as clf
from triage.models import DispatchRule, Feedback, TrainingExample
from triage.services import record_feedback, suggest


@pytest.fixture(autouse=True)
def fresh_caches():
    clf.invalidate_rules()
    yield


@pytest.fixture
def catalogue(org):
    DispatchRule.objects.filter(department_code__startswith="320611D").update(department=None)
    return org


def test_suggest_routes_classifies_and_dispatches(catalogue):
    s = suggest("小区门口药店口罩卖二十块钱一个，太贵了", "港闸区永和佳苑3幢")
    assert s["street"]["name"] == "永兴街道" and s["community"]["name"] == "永和社区"
    assert s["compound"]["name"] == "永和佳苑" and s["community"]["reason"] == "含'永和佳苑' → 永和社区"
    assert s["category"]["code"] == "EP-PRICE" and "口罩" in s["category"]["reason"]
    assert s["department"]["name"] == "区市场监督管理局"  # resolved by code after the tree was imported


def test_territorial_topic_goes_to_the_street_of_the_address(catalogue):
    s = suggest("楼下棋牌室还在营业，好多人打麻将", "花桥新村5幢")
    assert s["category"]["code"] == "EP-GATHER"
    assert s["department"] == {"code": "320611006", "name": "幸福街道", "territorial": True,
                               "score": s["department"]["score"], "reason": "聚集经营属地办理 → 幸福街道"}


def test_unknown_address_suggests_no_place(catalogue):
    s = suggest("口罩太贵", "")
    assert s["street"] is None and s["routing"]["status"] == "unknown"
    assert suggest("口罩太贵", "崇川区和平桥街道")["routing"]["status"] == "outside"


def test_accepting_a_suggestion_is_recorded_as_confirmed(catalogue, personas):
    s = suggest("药店口罩卖二十块钱一个", "永和佳苑")
    fb = record_feedback(personas.operator, s, {"category": "EP-PRICE", "community": s["community"]["code"]})
    assert fb.corrected_fields == [] and fb.user == personas.operator
    example = TrainingExample.objects.get()
    assert example.category.code == "EP-PRICE" and example.source == "confirmed"
    assert example.text == "药店口罩卖二十块钱一个"


def test_correcting_a_suggestion_is_recorded_as_corrected(catalogue, personas):
    s = suggest("花桥那边有人天天聚在一起", "花桥")
    assert s["community"] is None  # ambiguous: street only
    fb = record_feedback(personas.operator, s, {"category": "EP-GATHER", "community": "320611006010"})
    assert "community" in fb.corrected_fields
    assert fb.suggested["street"] == "320611006" and fb.accepted["community"] == "320611006010"
    s2 = suggest("口罩太贵了", "永和佳苑")
    record_feedback(personas.operator, s2, {"category": "EP-LIVING"})
    assert TrainingExample.objects.filter(source="corrected", category__code="EP-LIVING").count() == 1
    assert Feedback.objects.count() == 2


def test_endpoint_requires_login_and_intake_permission(catalogue, personas):
    client = Client()
    assert client.get("/api/v1/triage/suggest", {"text": "口罩太贵"}).status_code in (401, 403)
    client.login(username="xf_liaison", password=personas.password)
    assert client.get("/api/v1/triage/suggest", {"text": "口罩太贵"}).status_code == 403
    client.login(username="operator", password=personas.password)
    response = client.post("/api/v1/triage/suggest", {"text": "口罩太贵", "address": "永和佳苑"},
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["category"]["code"] == "EP-PRICE" and body["community"]["name"] == "永和社区"
    saved = client.post("/api/v1/triage/feedback", {"suggestion": body, "accepted": {"category": "EP-PRICE"}},
                        content_type="application/json")
    assert saved.status_code == 201 and saved.json()["corrected"] == []
    bad = client.post("/api/v1/triage/feedback", {"suggestion": body, "accepted": {"colour": "red"}},
                      content_type="application/json")
    assert bad.status_code == 400


def test_malformed_json_gets_a_chinese_400_not_a_server_error(catalogue, personas):
    client = Client()
    client.login(username="operator", password=personas.password)
    for body in ({"text": 1.5}, {"address": ["永和"]}):
        response = client.post("/api/v1/triage/suggest", body, content_type="application/json")
        assert response.status_code == 400 and "文字" in response.json()["detail"]
    response = client.post("/api/v1/triage/suggest", [1, 2], content_type="application/json")
    assert response.status_code == 400 and "JSON 对象" in response.json()["detail"]  # core.parsers
    for suggestion in ({"street": "x"}, {"text": 3}):
        response = client.post("/api/v1/triage/feedback", {"suggestion": suggestion, "accepted": {}},
                               content_type="application/json")
        assert response.status_code == 400 and "格式不正确" in response.json()["suggestion"][0]
