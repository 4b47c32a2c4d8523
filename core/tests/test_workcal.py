from datetime import date

from core import workcal
from core.models import CalendarDay


def test_spring_festival_2020_extension_and_makeup_day(db):
    assert workcal.is_workday(date(2020, 1, 19))  # Sunday, make-up working day
    assert not workcal.is_workday(date(2020, 1, 31))  # extended holiday
    assert not workcal.is_workday(date(2020, 2, 1))  # Saturday: make-up day cancelled by the extension
    assert workcal.is_workday(date(2020, 2, 3))
    assert workcal.nth_workday_after(date(2020, 1, 22), 1) == date(2020, 1, 23)
    assert workcal.nth_workday_after(date(2020, 1, 23), 1) == date(2020, 2, 3)
    assert workcal.nth_workday_after(date(2020, 1, 22), 5) == date(2020, 2, 6)


def test_admin_override_wins(db):
    CalendarDay.objects.create(day=date(2020, 2, 3), is_workday=False, note="测试")
    assert not workcal.is_workday(date(2020, 2, 3))
    assert workcal.nth_workday_after(date(2020, 1, 23), 1) == date(2020, 2, 4)


def test_unknown_year_falls_back_to_weekdays(db):
    assert workcal.is_workday(date(2099, 6, 1)) == (date(2099, 6, 1).weekday() < 5)
    assert workcal.workdays_between(date(2099, 6, 5), date(2099, 6, 8)) == 1  # Fri → Mon
