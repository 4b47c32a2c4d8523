"""The Chinese working calendar: public holidays and make-up working days (调休).

Source: the `chinesecalendar` package (State Council notices, updated yearly), overridden by
CalendarDay rows an admin can add (e.g. a year the installed package does not know yet).
For a year neither knows, Monday–Friday are working days and a warning is logged.
"""

import logging
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.utils import timezone

log = logging.getLogger(__name__)
_warned_years: set[int] = set()


def _overrides(start: date, end: date) -> dict[date, bool]:
    from core.models import CalendarDay

    return dict(CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list("day", "is_workday"))


def _package_is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("工作日历缺少%s年的节假日数据,暂按周一至周五计算;请在后台添加“工作日历调整”。", day.year)
        return day.weekday() < 5


def is_workday(day: date) -> bool:
    override = _overrides(day, day)
    return override[day] if day in override else _package_is_workday(day)


def nth_workday_after(day: date, n: int) -> date:
    """The n-th working day strictly after `day` (n >= 1); n == 0 returns `day` itself."""
    if n <= 0:
        return day
    overrides = _overrides(day, day + timedelta(days=n * 3 + 40))
    current, found = day, 0
    while found < n:
        current += timedelta(days=1)
        if overrides[current] if current in overrides else _package_is_workday(current):
            found += 1
    return current


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]."""
    overrides = _overrides(start, end)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if overrides[current] if current in overrides else _package_is_workday(current):
            count += 1
    return count


def end_of_day(day: date) -> datetime:
    """23:59:59 of `day` in the current time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()
