"""Demo: the stored 日报 of the story's days (noon cut-off for 2020-02-07 too), the 定时上报 template of the
demo 应急响应 and the 2020-02-07 slots, with the reports that 幸福街道 and 永兴街道 sent. Idempotent."""

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from hotline.services import current_emergency
from reports import daily, unit_reports
from reports.models import DailyReport, ReportTemplate, UnitReport

FIRST, LAST = date(2020, 1, 24), date(2020, 2, 8)
FIELDS = [
    {"key": "checked", "label": "当日排查人数"},
    {"key": "hubei", "label": "湖北返回人员"},
    {"key": "quarantined", "label": "居家隔离人数"},
    {"key": "orders_open", "label": "在办疫情工单"},
]
SENT = [
    ("xf_liaison", "幸福街道", "10:00", "09:40", {"checked": 1260, "hubei": 14, "quarantined": 37, "orders_open": 3},
     "永和佳苑等 12 个小区实行封闭管理,东门设登记点;湖北返回人员均已落实居家隔离,每日两次测温。"),
    ("yx_liaison", "永兴街道", "10:00", "10:25", {"checked": 980, "hubei": 6, "quarantined": 21, "orders_open": 2},
     "永和社区反映的返乡人员已上门核实并落实居家隔离;口罩平价供应点增至 3 处。"),
]


def _at(text):
    return timezone.make_aware(datetime.fromisoformat(text))


def load(stdout=None):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[s[0] for s in SENT])}
    made = 0
    day = FIRST
    while day <= LAST:
        if not DailyReport.objects.filter(date=day, cutoff="00:00").exists():
            daily.generate(day, "00:00", now=_at(f"{day + timedelta(days=1)} 08:00"))
            made += 1
        day += timedelta(days=1)
    if not DailyReport.objects.filter(date=date(2020, 2, 7), cutoff="12:00").exists():
        daily.generate(date(2020, 2, 7), "12:00", now=_at("2020-02-07 13:00"))
    emergency = current_emergency()
    if emergency is not None:
        ReportTemplate.objects.get_or_create(emergency=emergency, defaults={
            "fields": FIELDS, "prompt": "简要说明小区封闭管理、人员排查和需区里协调的事项。", "hours": "10:00,16:00"})
        unit_reports.open_slots(now=_at("2020-02-07 08:00"))
        for username, unit_name, due, sent, counts, text in SENT:
            slot = UnitReport.objects.filter(emergency=emergency, unit__name=unit_name,
                                             due_at=_at(f"2020-02-07 {due}")).first()
            if slot and not slot.submitted_at and username in users:
                unit_reports.submit(users[username], slot, counts=counts, text=text, now=_at(f"2020-02-07 {sent}"))
    if stdout:
        stdout.write(f"reports: {made} daily reports stored, 定时上报 slots for 2020-02-07")
