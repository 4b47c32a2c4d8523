import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hotline import services
from hotline.tests.conftest import at
from reports import daily, kpi, selectors, unit_reports
from reports.models import UnitReport
from reports.tasks import daily_report as daily_task

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


def test_outsider_sees_only_its_own_streets_numbers(day, client, personas, org):
    # 陈桥街道 leads only E; its report and KPI table show that order and nothing of 幸福/永兴.
    scope, unit = selectors.viewer_scope(personas.outsider)
    report = daily.build("2020-02-07", scope=scope, now=day.now)
    assert report["new_orders"] == 1 and report["by_unit"] == {org.chenqiao.code: 1}
    page = client_for(client, personas.outsider).get("/reports/daily/2020-02-07/")
    assert page.status_code == 200 and "幸福街道" not in page.content.decode()
    data = client.get("/reports/daily/2020-02-07/download.json").json()
    assert data["new_orders"] == 1 and org.xingfu.code not in data["by_unit"]
    assert client.get(f"/reports/dashboard/unit/{org.xingfu.code}/").status_code == 404
    assert client.get(f"/reports/dashboard/unit/{org.chenqiao.code}/").status_code == 200
    rows = kpi.table("unit", "day", timezone.datetime(2020, 2, 7).date(), scope=scope, within=unit, now=day.now)["rows"]
    assert [r["code"] for r in rows if r["new_orders"]] == [org.chenqiao.code]


def test_district_sees_every_dashboard_and_the_stored_report(day, client, personas, org):
    c = client_for(client, personas.supervisor)
    daily.generate("2020-02-07", now=day.now)
    page = c.get("/reports/daily/2020-02-07/").content.decode()
    assert "港闸区12345政务服务热线日报" in page and "一、总体情况" in page and "<svg" in page and "<details>" in page
    dash = c.get("/reports/dashboard/")
    assert dash.status_code == 200 and "近14日热点诉求趋势" in dash.content.decode()
    assert c.get(f"/reports/dashboard/unit/{org.xingfu.code}/").status_code == 200
    assert c.get(f"/reports/dashboard/community/{org.huaqiao.code}/").status_code == 200
    assert c.get("/reports/kpi/?dimension=street&period=month&date=2020-02-07").status_code == 200
    xlsx = c.get("/reports/kpi/?dimension=unit&period=quarter&date=2020-02-07&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert c.get("/reports/daily/2020-02-07/download.docx").content[:2] == b"PK"


def test_unit_dashboard_redirects_a_unit_member_to_its_unit(client, personas, org):
    response = client_for(client, personas.xf_liaison).get("/reports/dashboard/")
    assert response.status_code == 302 and org.xingfu.code in response.url


def test_kpi_periods():
    d = timezone.datetime(2020, 2, 7).date()
    assert kpi.period_range("week", d) == (timezone.datetime(2020, 2, 3).date(), timezone.datetime(2020, 2, 10).date())
    assert kpi.period_range("quarter", d)[1] == timezone.datetime(2020, 4, 1).date()
    assert kpi.period_range("month", timezone.datetime(2020, 12, 5).date())[1].year == 2021


def test_morning_task_makes_yesterdays_report_once(day, settings):
    settings.DAILY_REPORT_TIME = "08:00"
    assert daily_task(now=at("2020-02-08 07:00")) == "not yet"
    assert daily_task(now=at("2020-02-08 08:05")) == "generated 2020-02-07"
    assert daily_task(now=at("2020-02-08 08:20")) == "exists"


def test_scheduled_unit_reports_flow(personas, org, categories, django_capture_on_commit_callbacks):
    from core.models import Notification

    services.switch_emergency(personas.supervisor, on=True, level="一级", note="新冠肺炎疫情",
                              now=at("2020-02-07 08:00"))
    assert unit_reports.open_slots(now=at("2020-02-07 08:30")) > 0
    assert unit_reports.open_slots(now=at("2020-02-07 09:00")) == 0  # idempotent
    slot = UnitReport.objects.get(unit=org.xingfu, due_at=at("2020-02-07 10:00"))
    with pytest.raises(ValidationError):
        unit_reports.submit(personas.xf_liaison, slot, counts={"checked": "x"}, text="ok")
    with pytest.raises(Exception):
        unit_reports.submit(personas.outsider, slot, counts={}, text="")
    counts = {"checked": 120, "quarantined": 8, "orders_open": 2, "problems": 1}
    unit_reports.submit(personas.xf_liaison, slot, counts=counts, text="排查完毕", now=at("2020-02-07 09:50"))
    with django_capture_on_commit_callbacks(execute=True):
        reminded = unit_reports.remind_late(now=at("2020-02-07 10:30"))
    assert reminded == UnitReport.objects.filter(due_at=at("2020-02-07 10:00")).count() - 1
    assert unit_reports.remind_late(now=at("2020-02-07 10:40")) == 0  # once per slot
    assert Notification.objects.filter(recipient=personas.outsider, title__contains="定时上报").count() == 1
    assert not Notification.objects.filter(recipient=personas.xf_liaison, title__contains="10:00").exists()
    emergency, groups = unit_reports.status(personas.outsider, day=at("2020-02-07 10:00").date())
    assert {s.unit for _, slots in groups for s in slots} == {org.chenqiao}


def start_of_today():
    """Local midnight: an emergency switched on then owes every one of today's report slots."""
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def test_unit_report_pages(personas, org, categories, client):
    services.switch_emergency(personas.supervisor, on=True, level="二级", now=start_of_today())
    unit_reports.open_slots(now=start_of_today())  # all of today's slots, whatever the hour the suite runs
    c = client_for(client, personas.xf_liaison)
    slot = UnitReport.objects.filter(unit=org.xingfu).first()
    assert "幸福街道" in c.get("/reports/unit-reports/").content.decode()
    response = c.post(f"/reports/unit-reports/{slot.pk}/", {"checked": "3", "quarantined": "1", "orders_open": "0",
                                                            "problems": "0", "text": "正常"})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.submitted_at and slot.counts["checked"] == 3
    other = UnitReport.objects.filter(unit=org.chenqiao).first()
    assert c.get(f"/reports/unit-reports/{other.pk}/").status_code == 404


def test_api_is_scoped_like_the_screens(day, client, personas, org):
    c = client_for(client, personas.outsider)
    data = c.get("/api/v1/reports/daily/2020-02-07/").json()
    assert data["new_orders"] == 1 and list(data["by_unit"]) == [org.chenqiao.code]
    rows = c.get("/api/v1/reports/kpi/?dimension=street&period=day&date=2020-02-07").json()["rows"]
    assert {r["code"] for r in rows} == {org.chenqiao.code}
    assert c.get("/api/v1/reports/kpi/?dimension=nope&period=day&date=2020-02-07").status_code == 400
    client.logout()
    assert client.get("/api/v1/reports/daily/2020-02-07/").status_code in (401, 403)


def test_api_answers_bad_dates_with_a_chinese_400(day, client, personas):
    c = client_for(client, personas.outsider)
    for query, message in (("date=9999-12-31&period=quarter", "超出范围"), ("date=07.02.2020", "YYYY-MM-DD")):
        response = c.get(f"/api/v1/reports/kpi/?{query}")
        assert response.status_code == 400 and message in response.json()["detail"]
    assert "超出范围" in c.get("/api/v1/reports/daily/9999-12-31/").json()["detail"]


def test_demo_loads_twice(db):
    from django.core.management import call_command

    from reports.models import DailyReport

    call_command("load_demo")
    call_command("load_demo")
    assert DailyReport.objects.filter(date="2020-02-07").count() == 2
    assert UnitReport.objects.filter(submitted_at__isnull=False).count() == 2


def test_dashboard_and_report_query_counts_do_not_grow_with_orders(day, client, personas, org,
                                                                    django_assert_max_num_queries):
    c = client_for(client, personas.supervisor)
    daily.generate("2020-02-07", now=day.now)
    c.get("/reports/dashboard/")  # first call stores the trend's missing days
    with django_assert_max_num_queries(40):
        assert c.get("/reports/dashboard/").status_code == 200
    with django_assert_max_num_queries(45):
        daily.build("2020-02-07", now=day.now)


def test_kpi_table_rows_match_the_hand_computed_day(day, org):
    rows = {r["code"]: r for r in kpi.table("street", "day", timezone.datetime(2020, 2, 7).date())["rows"]}
    xf = rows[org.xingfu.code]
    assert (xf["new_orders"], xf["closed_orders"], xf["overdue_orders"]) == (1, 1, 1)  # B; A closed; B overdue
    assert xf["on_time_rate"] == 0.5 and xf["rank"] == 1
    assert rows[org.chenqiao.code]["accept_rate"] == 1.0  # E accepted on time


def test_home_shows_the_reports_a_unit_owes_today(personas, org, categories, client):
    services.switch_emergency(personas.supervisor, on=True, level="一级", now=start_of_today())
    unit_reports.open_slots(now=start_of_today())
    assert UnitReport.objects.filter(unit=org.xingfu).exists()
    page = client_for(client, personas.xf_liaison).get("/").content.decode()
    assert "待报送定时上报" in page
