"""Worker jobs: the morning 日报 and the 定时上报 slots and reminders."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from core.jobs import task
from reports.metrics import parse_cutoff


def report_time():
    return parse_cutoff(getattr(settings, "DAILY_REPORT_TIME", "08:00"))


@task("reports.daily_report", every=timedelta(minutes=15))
def daily_report(now=None):
    """At SHOUHU_DAILY_REPORT_TIME (default 08:00) make yesterday's report once, with the configured cut-off."""
    from reports import daily
    from reports.models import DailyReport

    now = timezone.localtime(now or timezone.now())
    if now.time() < report_time():
        return "not yet"
    day = now.date() - timedelta(days=1)
    cutoff = parse_cutoff(getattr(settings, "DAILY_REPORT_CUTOFF", "00:00"))
    if DailyReport.objects.filter(date=day, cutoff=cutoff).exists():
        return "exists"
    daily.generate(day, cutoff, now=now)
    return f"generated {day}"


@task("reports.unit_reports", every=timedelta(minutes=10))
def unit_reports(now=None):
    """While 应急响应 is on: open today's report slots and remind the units that are late (once per slot)."""
    from reports import unit_reports as service

    now = now or timezone.now()
    opened = service.open_slots(now=now)
    reminded = service.remind_late(now=now)
    return {"opened": opened, "reminded": reminded}
