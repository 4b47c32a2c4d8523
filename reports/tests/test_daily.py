import pytest

from reports import daily

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(day):
    return daily.build("2020-02-07", "00:00", now=day.now)


def test_counts_of_the_day(report):
    assert report["date"] == "2020-02-07" and report["cutoff"] == "00:00"
    assert report["new_orders"] == 8  # B C D E F G I K
    assert report["epidemic_orders"] == 3  # B F I
    assert report["closed_orders"] == 3  # A C K
    assert report["cancelled_orders"] == 1  # G
    assert report["merged_orders"] == 1  # F
    assert report["overdue_orders"] == 1  # B: due 23:59:59, never replied


def test_rates_of_the_day(report):
    # 及时签收率 (hotline.kpis): dispatched in the window B (late), D (not accepted), E (re-dispatched, on time).
    assert (report["accepted_on_time"], report["accept_counted"], report["accept_rate"]) == (1, 3, 0.3333)
    # 按时办结率: A (due 12:00, signed 11:00) on time, B overdue.
    assert (report["replied_on_time"], report["reply_counted"], report["on_time_rate"]) == (1, 2, 0.5)
    # 回访满意率 (hotline.kpis: closed in the window): A 满意, C 基本满意; K 联系不上 not counted; G cancelled.
    assert (report["callbacks_satisfied"], report["callbacks_answered"]) == (2, 2)
    assert report["satisfaction_rate"] == 1.0
    assert report["direct_answer_rate"] == 0.25  # C K of 8
    assert report["return_rate"] == 0.25  # 1 return, 4 dispatches (B D E E)
    assert report["redo_rate"] == 0.25  # 1 redo, 3 callbacks
    assert report["avg_handling_hours"] == 3.89  # receipt → reply, replied in the window: A 11.5 h, C and K 5 min


def test_dimensions_of_the_day(report, org):
    assert report["by_type"] == {"consult": 3, "report": 2, "help": 2, "complaint": 1}
    assert report["by_channel"] == {"phone": 6, "wechat": 1, "web": 1}
    assert report["by_topic"] == {"OTHER": 5, "EP-PERSON": 2, "EP-LIVING": 1}
    assert report["epidemic_by_topic"] == {"EP-PERSON": 2, "EP-LIVING": 1}
    expected_units = {org.xingfu.code: 1, org.yongxing.code: 1, org.chenqiao.code: 1}
    assert report["by_unit"] == expected_units and report["by_street"] == expected_units
    assert report["labels"]["unit"][org.xingfu.code] == "幸福街道"


def test_hot_topics_rising_cases_and_pressed_units(report, day, org):
    assert report["hot_topics"][0] == {"code": "OTHER", "name": "其他", "count": 5} or \
        report["hot_topics"][0]["code"] == "OTHER"
    assert [r["code"] for r in report["rising_topics"]] == ["OTHER"]  # 5 vs 1/7 a day before
    assert [c["number"] for c in report["notable_cases"]] == [day.d.number, day.b.number]  # major, supervised
    assert report["pressed_units"] == [
        {"unit": org.xingfu.code, "name": "幸福街道", "urge": 1, "supervise": 1, "orders": 1}]
    assert [t["count"] for t in report["trend_8d"]] == [0, 0, 0, 0, 0, 1, 1, 8]
    assert all(report["definitions"][k] for k in ("accept_rate", "on_time_rate", "satisfaction_rate"))


def test_noon_cutoff_takes_the_24_hours_before_noon(day):
    report = daily.build("2020-02-08", "12:00", now=day.now)
    assert report["window"]["start"].startswith("2020-02-07T12:00")
    assert report["new_orders"] == 5  # E F G I J
    assert report["epidemic_orders"] == 2  # F I
    assert report["closed_orders"] == 1  # A at 14:00


def test_empty_day_has_null_rates(db, categories):
    report = daily.build("2020-03-01")
    assert report["new_orders"] == 0
    assert report["on_time_rate"] is None and report["satisfaction_rate"] is None


def test_generate_stores_one_record_per_day_and_cutoff(day):
    first = daily.generate("2020-02-07", "00:00", now=day.now)
    again = daily.generate("2020-02-07", "00:00", now=day.now)
    assert first.pk == again.pk and again.figures["new_orders"] == 8
