import json
from datetime import date

import pytest
from django.urls import reverse

from community import services
from community.models import GateEntry, HealthCheck, ServiceRequest
from community.services.tokens import case_token, gate_token
from community.tests.conftest import key


@pytest.fixture
def objects(org, personas, homes, case):
    alert = services.register_entry(personas.volunteer, org.yonghe_gate, idempotency_key=key(), direction="in",
                                    mode="vehicle", plate="鄂A12345",
                                    people=[dict(name="访客", phone="13800001234", temperature="36.5")]).alerts[0]
    service = services.request_service(personas.yh_worker, homes.wang.household, "thermometer", "夜间体温计坏了",
                                       case=case)
    inspection = services.record_inspection(
        personas.operator if False else _port_worker(org), org.port, kind="ship", idempotency_key=key(),
        vessel_name="苏通货1688", vessel_registration="320611K01-0001", origin="武汉", destination="南通",
        ports=["武汉", "九江"], people=[dict(name="船长甲", id_number="32061119500512001X", role="船长",
                                         temperature="36.6")])
    return dict(alert=alert, service=service, inspection=inspection, case=case, household=homes.h1,
                resident=homes.zhang)


def _port_worker(org):
    from conftest import make_user

    from django.contrib.auth import get_user_model
    user = get_user_model().objects.filter(username="port_team").first()
    return user or make_user("port_team", org.port, "community_worker", "王俊荣")


def detail_urls(o):
    return [reverse("community:alert", args=[o["alert"].pk]), reverse("community:service", args=[o["service"].pk]),
            reverse("community:inspection", args=[o["inspection"].pk]), reverse("community:case", args=[o["case"].pk]),
            reverse("community:household", args=[o["household"].pk]),
            reverse("community:personal_code", args=[o["resident"].pk]),
            reverse("community:case_new", args=[o["resident"].pk])]


def test_worker_sees_every_page(client, personas, objects, org):
    client.force_login(personas.yh_worker)
    pages = ["dashboard", "gates", "entries", "alerts", "residents", "resident_import", "cases", "services",
             "inspections", "household_add"]
    for name in pages:
        assert client.get(reverse(f"community:{name}")).status_code == 200, name
    for url in detail_urls(objects)[:2] + detail_urls(objects)[3:]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("community:gate", args=[org.yonghe_gate.pk])).status_code == 200
    assert client.get(reverse("community:residents") + "?q=3-2-301").status_code == 200


def test_outsider_gets_404_everywhere(client, personas, objects, org):
    client.force_login(personas.outsider)
    for url in detail_urls(objects) + [reverse("community:gate", args=[org.yonghe_gate.pk]),
                                       reverse("community:gate_qr", args=[org.yonghe_gate.pk])]:
        assert client.get(url).status_code == 404, url
    response = client.post("/api/v1/community/entries/", data=json.dumps(dict(
        gate=org.yonghe_gate.pk, idempotency_key=key(), direction="in", mode="foot",
        people=[dict(name="x", phone="13800001234", temperature="36.5")])), content_type="application/json")
    assert response.status_code == 404
    response = client.post("/api/v1/community/checks/", data=json.dumps(dict(
        case=objects["case"].pk, temperature="36.5", idempotency_key=key())), content_type="application/json")
    assert response.status_code == 404
    assert client.get("/api/v1/community/lookup/?q=张建国").json() == []
    assert client.get("/api/v1/community/entries/?gate=%d" % org.yonghe_gate.pk).status_code == 404


def test_other_community_worker_gets_404(client, personas, objects):
    client.force_login(personas.hq_worker)
    for url in detail_urls(objects):
        assert client.get(url).status_code == 404, url


def test_api_entry_is_idempotent(client, personas, org, homes):
    client.force_login(personas.volunteer)
    payload = dict(gate=org.yonghe_gate.pk, idempotency_key=key(), direction="in", mode="vehicle", plate="苏F12345",
                   people=[dict(resident_id=homes.zhang.pk, temperature="36.5")])
    first = client.post("/api/v1/community/entries/", data=json.dumps(payload), content_type="application/json")
    again = client.post("/api/v1/community/entries/", data=json.dumps(payload), content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and GateEntry.objects.count() == 1
    bad = client.post("/api/v1/community/entries/", data=json.dumps(dict(payload, idempotency_key=key(), plate="苏F1")),
                      content_type="application/json")
    assert bad.status_code == 400 and "车牌" in bad.json()["error"]


def test_api_entry_of_a_visitor_car_reads_nothing_but_the_login_and_writes_two_inserts(client, personas, org,
                                                                                      django_assert_num_queries):
    """Every car at every gate takes this path: gate, community and rules come from the per-process cache,
    the key is checked by the insert itself. Session, user, memberships; savepoint, entry, people, release."""
    client.force_login(personas.volunteer)
    payload = dict(gate=org.yonghe_gate.pk, direction="in", mode="vehicle", plate="苏F12345", travel="本市未外出",
                   people=[dict(name="访客", phone="13800001234", temperature="36.5")])
    warm = client.post("/api/v1/community/entries/", data=json.dumps(dict(payload, idempotency_key=key())),
                       content_type="application/json")
    assert warm.status_code == 201
    with django_assert_num_queries(7):
        response = client.post("/api/v1/community/entries/", data=json.dumps(dict(payload, idempotency_key=key())),
                               content_type="application/json")
    assert response.status_code == 201 and response.json()["people"][0]["name"] == "访*"


def test_editing_a_cached_rule_reaches_registration_at_once(org, personas):
    from community.models import AlertRule

    rule = AlertRule.objects.get(kind="fever")
    rule.threshold = "38.5"
    rule.save()
    calm = services.register_entry(personas.volunteer, org.yonghe_gate, idempotency_key=key(), direction="in",
                                   mode="foot", people=[dict(name="访客", phone="13800001234", temperature="38.0")])
    assert calm.alerts == []
    rule.threshold = "37.3"
    rule.save()
    hot = services.register_entry(personas.volunteer, org.yonghe_gate, idempotency_key=key(), direction="in",
                                  mode="foot", people=[dict(name="访客", phone="13800001234", temperature="38.0")])
    assert [a.kind for a in hot.alerts] == ["fever"] and hot.entry.alerted


def test_api_lookup_shows_quarantine_status(client, personas, homes, case):
    client.force_login(personas.volunteer)
    rows = client.get("/api/v1/community/lookup/?q=王磊").json()
    assert rows[0]["quarantine"]["case"] == case.pk
    rows = client.get("/api/v1/community/lookup/?q=" + homes.zhang.personal_code).json()
    assert rows[0]["name"] == "张建国" and rows[0]["phone"] != "13812345678"


def test_resident_link_reads_only_its_own_case(client, personas, homes, case):
    other = services.open_case(personas.yh_worker, homes.li, "密接", date(2020, 2, 1), date(2020, 2, 14))
    url = reverse("community:resident_link", args=[case_token(case)])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "王**" in body or "王" in body
    assert "李秀英" not in body and "13700001111" not in body and "张建国" not in body
    client.post(url, {"temperature": "36.7", "idempotency_key": key()})
    assert HealthCheck.objects.filter(case=case).count() == 1 and not HealthCheck.objects.filter(case=other).exists()
    # A token cannot be edited to name another case; a revoked token (link_version bumped) stops working.
    token = case_token(case)
    assert client.get(reverse("community:resident_link", args=[token[:-2] + "xx"])).status_code == 404
    case.link_version += 1
    case.save()
    assert client.get(url).status_code == 404
    # The resident's API endpoint is bound to its token, too.
    response = client.post(f"/api/v1/community/public/case/{case_token(other)}/checks/",
                           data=json.dumps({"temperature": "36.6", "idempotency_key": key()}),
                           content_type="application/json")
    assert response.status_code == 201 and HealthCheck.objects.filter(case=other).count() == 1


def test_resident_link_requests_service_and_sees_progress(client, personas, homes, case):
    url = reverse("community:resident_link", args=[case_token(case)])
    client.post(url, {"action": "service", "kind": "thermometer", "detail": "体温计摔坏了"})
    request = ServiceRequest.objects.get()
    assert request.by_resident and request.case == case
    services.assign_service(personas.yh_worker, request, personas.yh_worker)
    assert "已派" in client.get(url).content.decode()


def test_self_registration_by_gate_qr(client, org):
    url = reverse("community:self_register", args=[gate_token(org.yonghe_gate)])
    k = key()
    data = {"idempotency_key": k, "direction": "in", "name": "扫码居民", "phone": "13800009999", "temperature": "36.4"}
    assert client.post(url, data).status_code == 200
    assert client.post(url, data).status_code == 200
    entry = GateEntry.objects.get()
    assert entry.source == "self" and entry.recorder is None
    assert client.get(reverse("community:self_register", args=["bogus"])).status_code == 404


def test_gate_qr_page_has_svg(client, personas, org):
    client.force_login(personas.volunteer)
    body = client.get(reverse("community:gate_qr", args=[org.yonghe_gate.pk])).content.decode()
    assert "<svg" in body


def test_api_inspection_flags_hubei_ports(client, org):
    user = _port_worker(org)
    client.force_login(user)
    response = client.post("/api/v1/community/inspections/", data=json.dumps(dict(
        checkpoint=org.port.pk, kind="ship", idempotency_key=key(), vessel_name="皖江货运9", vessel_registration="AH-9",
        origin="芜湖", destination="上海", ports=["宜昌", "芜湖"],
        people=[dict(name="甲", id_number="32061119500512001X", role="船长", temperature="37.6")])),
        content_type="application/json")
    assert response.status_code == 201
    flags = response.json()["flags"]
    assert any("湖北" in f for f in flags) and any("发热" in f for f in flags)


def test_assigned_volunteer_sees_and_finishes_own_task(client, personas, homes, case):
    request = services.request_service(personas.yh_worker, homes.h2, "supplies", "米和油", case=case)
    url = reverse("community:service", args=[request.pk])
    client.force_login(personas.volunteer)
    assert client.get(url).status_code == 404
    services.assign_service(personas.yh_worker, request, personas.volunteer)
    assert client.get(url).status_code == 200
    assert "米和油" in client.get(reverse("community:services") + "?mine=1").content.decode()
    client.post(url, {"to": "done", "note": "已放门口"})
    request.refresh_from_db()
    assert request.status == "done"
    client.force_login(personas.hq_worker)
    assert client.get(url).status_code == 404


def test_street_and_district_dashboards_are_scoped(client, personas, objects):
    client.force_login(personas.supervisor)  # district
    assert client.get(reverse("community:dashboard")).context["d"]["in_quarantine"] == 1
    client.force_login(personas.outsider)  # 陈桥街道
    assert client.get(reverse("community:dashboard")).context["d"]["in_quarantine"] == 0
    client.force_login(personas.xf_liaison)  # 幸福街道: 永和 is in 永兴街道
    assert client.get(reverse("community:dashboard")).context["d"]["entries_today"] == 0


def test_lists_and_dashboard_run_a_fixed_number_of_queries(client, personas, objects, org,
                                                            django_assert_max_num_queries):
    for i in range(5):
        services.register_entry(personas.volunteer, org.yonghe_gate, idempotency_key=key(), direction="in",
                                mode="foot", people=[dict(name=f"访客{i}", phone="13800001234", temperature="36.5")])
    client.force_login(personas.yh_worker)
    client.get(reverse("community:dashboard"))  # warm the session and membership caches
    for name, limit in [("dashboard", 20), ("entries", 12), ("alerts", 12), ("services", 12), ("residents", 14),
                         ("cases", 12)]:
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(f"community:{name}")).status_code == 200


def test_offline_entry_keeps_the_time_of_passage(client, personas, org):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(personas.volunteer)
    passed = timezone.now() - timedelta(minutes=40)
    payload = dict(gate=org.yonghe_gate.pk, idempotency_key=key(), direction="in", mode="foot",
                   occurred_at=passed.isoformat(), people=[dict(name="甲", phone="13800001234", temperature="36.5")])
    client.post("/api/v1/community/entries/", data=json.dumps(payload), content_type="application/json")
    entry = GateEntry.objects.get()
    assert abs((entry.occurred_at - passed).total_seconds()) < 1 and entry.created_at > passed
    future = dict(payload, idempotency_key=key(), occurred_at=(timezone.now() + timedelta(days=2)).isoformat())
    client.post("/api/v1/community/entries/", data=json.dumps(future), content_type="application/json")
    assert GateEntry.objects.get(idempotency_key=future["idempotency_key"]).occurred_at <= timezone.now()
