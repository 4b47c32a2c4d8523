"""定时上报: while 应急响应 is on, each unit concerned owes a short report at set hours.

Units concerned: the streets, the development zone and the departments under the platform. Hours come from
the emergency's ReportTemplate or settings.UNIT_REPORT_HOURS (default 10:00,16:00). The worker opens the
day's slots and reminds late units once per slot (reminded_at is set with a compare-and-set update)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from core import audit
from core.notify import notify_unit
from hotline.services import current_emergency
from places.models import OrgUnit
from reports.metrics import parse_cutoff
from reports.models import ReportTemplate, UnitReport

CONCERNED = (OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE, OrgUnit.Kind.DEPARTMENT)
DEFAULT_FIELDS = [
    {"key": "checked", "label": "当日排查人数"},
    {"key": "quarantined", "label": "居家隔离人数"},
    {"key": "orders_open", "label": "在办疫情工单"},
    {"key": "problems", "label": "需协调问题数"},
]
DEFAULT_PROMPT = "简要说明防控进展、突出问题及需协调事项。"


def template_for(emergency):
    template = ReportTemplate.objects.filter(emergency=emergency).first()
    if template is None:
        return ReportTemplate(emergency=emergency, fields=DEFAULT_FIELDS, prompt=DEFAULT_PROMPT)
    return template


def hours(emergency):
    text = template_for(emergency).hours or getattr(settings, "UNIT_REPORT_HOURS", "10:00,16:00")
    return sorted(parse_cutoff(h.strip()) for h in text.split(",") if h.strip())


def concerned_units():
    return OrgUnit.objects.filter(kind__in=CONCERNED, active=True).order_by("path")


def open_slots(now=None):
    """Create today's slots for every concerned unit (idempotent). Returns how many were new."""
    emergency = current_emergency()
    if emergency is None:
        return 0
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    dues = [timezone.make_aware(datetime.combine(day, h)) for h in hours(emergency)]
    dues = [d for d in dues if d >= emergency.started_at]
    existing = set(UnitReport.objects.filter(emergency=emergency, due_at__in=dues).values_list("unit_id", "due_at"))
    new = [UnitReport(emergency=emergency, unit=u, due_at=d) for u in concerned_units() for d in dues
           if (u.pk, d) not in existing]
    UnitReport.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def remind_late(now=None):
    """Notify each unit whose slot is past due and unsubmitted, once per slot."""
    emergency = current_emergency()
    if emergency is None:
        return 0
    now = now or timezone.now()
    late = UnitReport.objects.filter(emergency=emergency, due_at__lte=now, submitted_at__isnull=True,
                                     reminded_at__isnull=True).select_related("unit")
    count = 0
    for slot in late:
        with transaction.atomic():
            if not UnitReport.objects.filter(pk=slot.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue  # another worker reminded it
            notify_unit(slot.unit, "reports.submit", f"请报送 {timezone.localtime(slot.due_at):%H:%M} 定时上报",
                        f"{slot.unit.name}尚未报送,应急响应期间请按时上报。",
                        reverse("reports:unit_report", args=[slot.pk]), "warning")
            count += 1
    return count


@transaction.atomic
def submit(user, slot, *, counts, text, now=None):
    """A unit submits (or corrects) its report for a slot."""
    slot = UnitReport.objects.select_for_update().select_related("unit", "emergency").get(pk=slot.pk)
    access.require_perm(user, "reports.submit", slot.unit)
    if slot.emergency.ended_at:
        raise ValidationError("应急响应已结束,无需再报。")
    template = template_for(slot.emergency)
    clean = {}
    for field in template.fields:
        raw = str(counts.get(field["key"], "")).strip()
        if not raw.isdigit():
            raise ValidationError(f"“{field['label']}”请填写非负整数。")
        clean[field["key"]] = int(raw)
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写情况说明。")
    slot.counts, slot.text, slot.submitted_by = clean, text[:2000], user
    slot.submitted_at = slot.submitted_at or now or timezone.now()
    slot.save()
    audit.record(user, "reports.unit_report", obj=slot, unit=slot.unit, detail={"counts": clean})
    return slot


def status(user, day=None):
    """Slots of a day in the user's jurisdiction, grouped by due time: [(due, [slots])]."""
    emergency = current_emergency()
    if emergency is None:
        return None, []
    day = day or timezone.localdate()
    slots = access.scope(user, UnitReport.objects.filter(emergency=emergency, due_at__date=day), "reports.view")
    groups = {}
    for slot in slots.select_related("unit").order_by("due_at", "unit__path"):
        groups.setdefault(slot.due_at, []).append(slot)
    return emergency, sorted(groups.items())
