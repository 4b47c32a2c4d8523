"""Each order keeps what the duplicate search needs (routed street/community while open, shingles), so the
candidates are one bounded index range at any table size; the REST intake answers with the triage suggestion
and records it like the intake page."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from hotline import assist, selectors, services
from hotline.models import WorkOrder
from hotline.tests.test_triage_wiring import MASKS, catalogue, fresh_rules, new_order  # noqa: F401
from triage.models import Feedback, TrainingExample
from triage.services import suggest

pytestmark = pytest.mark.django_db


def test_an_undispatched_order_is_keyed_by_its_routed_community(catalogue, personas):  # noqa: F811
    org = catalogue
    order = new_order(personas, MASKS, "港闸区永和佳苑3幢")
    assert (order.routed_street_path, order.routed_community_path) == (org.yongxing.path, org.yonghe.path)
    assert (order.dup_street_path, order.dup_community_path) == (org.yongxing.path, org.yonghe.path)
    assert "口罩" in order.dup_shingles.split()


def test_the_dispatchers_street_outranks_the_address_and_closing_clears_the_keys(catalogue, personas):  # noqa: F811
    org = catalogue
    order = services.dispatch(new_order(personas, MASKS, "永和佳苑"), personas.dispatcher, lead_unit=org.xingfu)
    assert (order.dup_street_path, order.dup_community_path) == (org.xingfu.path, None)
    order = services.cancel(order, personas.dispatcher, reason="来电人撤回")
    assert (order.dup_street_path, order.dup_community_path) == (None, None)
    unknown = new_order(personas, MASKS, "某某路边")
    assert (unknown.dup_street_path, unknown.dup_community_path) == (None, None)


def test_the_backfill_restores_the_keys_of_open_orders(catalogue, personas):  # noqa: F811
    org = catalogue
    order = new_order(personas, MASKS, "港闸区永和佳苑3幢")
    WorkOrder.objects.filter(pk=order.pk).update(routed_street_path=None, routed_community_path=None,
                                                 dup_street_path=None, dup_community_path=None, dup_shingles=None)
    assert assist.backfill_duplicate_keys() == 1
    order.refresh_from_db()
    assert order.dup_community_path == org.yonghe.path and order.dup_shingles


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite plan")
def test_candidates_are_one_index_range(catalogue, personas):  # noqa: F811
    org = catalogue
    for column, kwargs in (("hotline_wo_dup_comm", {"community_path": org.yonghe.path}),
                           ("hotline_wo_dup_street", {"street_path": org.yongxing.path})):
        sql, params = selectors.duplicate_candidates_query(personas.operator, **kwargs).query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(row[-1] for row in cur.fetchall())
        assert f"USING INDEX {column}" in plan and "TEMP B-TREE" not in plan, plan


def test_suggest_finds_an_open_order_about_the_same_matter_before_dispatch(catalogue, personas):  # noqa: F811
    first = new_order(personas, MASKS, "永和佳苑5幢")
    result = suggest("永和佳苑药店口罩二十块一个太贵了", "港闸区永和佳苑3幢", user=personas.operator)
    assert [d["number"] for d in result["duplicates"]] == [first.number]
    assert result["duplicates"][0]["same_place"] and "同一社区" in result["duplicates"][0]["reason"]
    assert suggest("永和佳苑药店口罩二十块一个太贵了", "港闸区永和佳苑3幢")["duplicates"] == []  # no user
    assert suggest("永和佳苑药店口罩二十块一个太贵了", "港闸区永和佳苑3幢", user=personas.outsider)["duplicates"] == []


def post(client, data):
    return client.post(reverse("hotline-api:orders") + "?triage=1", json.dumps(data), content_type="application/json")


def test_api_intake_answers_with_the_suggestion_and_records_it(client, catalogue, personas):  # noqa: F811
    first = new_order(personas, MASKS, "永和佳苑5幢")
    client.force_login(personas.operator)
    response = post(client, {"content": "永和佳苑药店口罩二十块一个太贵了", "address": "港闸区永和佳苑3幢",
                             "order_type": "complaint", "category": "EP-PRICE"})
    assert response.status_code == 201, response.content
    triage = response.json()["triage"]
    assert triage["community"]["name"] == "永和社区" and "永和佳苑" in triage["community"]["reason"]
    assert triage["category"]["code"] == "EP-PRICE" and 0 < triage["category"]["score"] <= 1
    assert triage["department"]["code"]
    assert [(d["number"], d["same_place"]) for d in triage["duplicates"]] == [(first.number, True)]
    feedback = Feedback.objects.get()
    assert feedback.accepted["category"] == "EP-PRICE" and feedback.corrected_fields == []
    assert TrainingExample.objects.get().source == TrainingExample.Source.CONFIRMED


def test_api_intake_with_another_category_records_a_correction(client, catalogue, personas):  # noqa: F811
    client.force_login(personas.operator)
    response = post(client, {"content": MASKS, "address": "永和佳苑", "order_type": "complaint",
                             "category": "OTHER"})
    assert response.status_code == 201 and response.json()["triage"]["category"]["code"] == "EP-PRICE"
    assert Feedback.objects.get().corrected_fields == ["category"]


def test_api_intake_goes_on_when_triage_fails(client, catalogue, personas, monkeypatch):  # noqa: F811
    import triage.services

    def broken(*args, **kwargs):
        raise RuntimeError("gazetteer unavailable")

    monkeypatch.setattr(triage.services, "suggest", broken)
    client.force_login(personas.operator)
    response = post(client, {"content": MASKS, "order_type": "complaint", "category": "EP-PRICE"})
    assert response.status_code == 201 and response.json()["triage"] is None
    assert WorkOrder.objects.count() == 1 and Feedback.objects.count() == 0


def test_without_triage_1_the_intake_skips_the_suggestion(client, catalogue, personas):  # noqa: F811
    client.force_login(personas.operator)  # citizen channels and bulk senders: no one would see it
    response = client.post(reverse("hotline-api:orders"), json.dumps(
        {"content": MASKS, "order_type": "complaint", "category": "EP-PRICE"}), content_type="application/json")
    assert response.status_code == 201 and response.json()["triage"] is None and not Feedback.objects.exists()


def test_the_intake_response_is_described_in_the_schema(client, personas):
    client.force_login(personas.operator)
    schema = client.get("/api/schema", {"format": "json"}).content.decode()
    assert "IntakeResult" in schema and "TriageDuplicate" in schema
