"""Reads of the community app, always scoped to the user's jurisdiction through accounts.access."""

import re
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts import access
from community.models import (
    Alert, GateEntry, HealthCheck, Inspection, QuarantineCase, Resident, ServiceRequest,
)
from core.fields import hash_value
from core.person import normalize_id_card, normalize_phone
from core.workcal import local_date
from places.models import OrgUnit

VIEW = "community.view"
_ROOM_ONLY_RE = re.compile(r"^\s*(\d{1,5})\s*室?\s*$")
_ROOM_RE = re.compile(r"^\s*(\w+?)\s*(?:栋|幢|号楼|-|/)\s*(?:(\w+?)\s*(?:单元|-|/)\s*)?(\w+?)\s*室?\s*$")


def residents(user):
    return access.scope(user, Resident.objects.select_related("household__compound"))


def search_residents(user, q):
    """By phone (blind index), ID number (blind index), room ("3-2-301", "3栋2单元301") or name."""
    rows = residents(user)
    q = (q or "").strip()
    if not q:
        return rows.none()
    digits = normalize_phone(q)
    if digits.isdigit() and len(digits) >= 7 and "-" not in q.strip("-"):
        return rows.filter(phone_hash=hash_value("phone", digits))
    if len(normalize_id_card(q)) == 18:
        return rows.filter(id_hash=hash_value("id_card", q))
    only_room = _ROOM_ONLY_RE.match(q)
    if only_room:  # "301": the volunteer knows the room, not the building
        return rows.filter(household__room=only_room.group(1))
    room = _ROOM_RE.match(re.sub(r"\s+", "-", q))  # "3 2 301" as typed on a phone keypad = 3-2-301
    if room and any(ch.isdigit() for ch in q):
        building, entrance, number = room.groups()
        filters = Q(household__building=building, household__room=number)
        if entrance:
            filters &= Q(household__entrance=entrance)
        return rows.filter(filters)
    return rows.filter(name__contains=q)


def service_requests(user):
    """Requests in the user's jurisdiction, plus those assigned to them (a compound's volunteer sees their task)."""
    scoped = access.scope(user, ServiceRequest.objects.all()).values("pk")
    return ServiceRequest.objects.filter(Q(pk__in=scoped) | Q(assignee=user)).select_related(
        "household__compound", "assignee", "case__resident")


def gates_for(user):
    """Gates where the user may register entries, for the gate picker."""
    return access.scope(user, OrgUnit.objects.filter(kind=OrgUnit.Kind.GATE, active=True),
                        perm="community.register_entry").order_by("path")


def quarantine_status(resident_ids):
    """{resident_id: case} for residents in home quarantine now — the gate page shows it at once."""
    cases = QuarantineCase.objects.filter(resident_id__in=resident_ids, status=QuarantineCase.Status.ACTIVE)
    return {c.resident_id: c for c in cases}


def today_bounds(now=None):
    now = timezone.localtime(now or timezone.now())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def dashboard(user, now=None):
    """Today's entries and alerts per gate, quarantine and missed checks, open services — in the user's scope."""
    start, end = today_bounds(now)
    entries = access.scope(user, GateEntry.objects.filter(created_at__gte=start, created_at__lt=end), perm=VIEW)
    per_gate = (entries.values("gate_id", "gate__name").annotate(
        total=Count("id"), ins=Count("id", filter=Q(direction="in")), outs=Count("id", filter=Q(direction="out")),
        alerted=Count("id", filter=Q(alerted=True))).order_by("-total")[:30])
    alerts = access.scope(user, Alert.objects.all(), perm=VIEW)
    cases = access.scope(user, QuarantineCase.objects.filter(status=QuarantineCase.Status.ACTIVE), perm=VIEW)
    today = local_date(now or timezone.now())
    reported_today = HealthCheck.objects.filter(case__in=cases, day=today).values("case_id").distinct()
    services = access.scope(user, ServiceRequest.objects.exclude(status__in=["done", "cancelled"]), perm=VIEW)
    return {
        "entries_today": entries.count(),
        "per_gate": list(per_gate),
        "alerts_today": alerts.filter(created_at__gte=start, created_at__lt=end).count(),
        "alerts_open": alerts.filter(status__in=["open", "handling"]).count(),
        "open_alerts": list(alerts.filter(status__in=["open", "handling"]).select_related("gate", "community")[:10]),
        "in_quarantine": cases.count(),
        "not_reported_today": cases.exclude(pk__in=reported_today).count(),
        "missed_alerts_open": alerts.filter(kind="missed_check", status="open").count(),
        "open_services": services.count(),
        "high_risk_services": services.filter(risk="high").count(),
        "inspections_flagged": access.scope(user, Inspection.objects.filter(at__gte=start, flagged=True), perm=VIEW).count(),
    }


def dashboard_summary(unit, now=None):
    """Tiles for the reports dashboard of `unit` (its whole subtree): today's gate entries, open alerts,
    people in home quarantine, open door-to-door services."""
    from django.urls import reverse

    start, end = today_bounds(now)

    def within(queryset):
        return queryset.filter(access.jurisdiction_q(queryset.model, [unit.path]))

    alerts = within(Alert.objects.filter(status__in=[Alert.Status.OPEN, Alert.Status.HANDLING])).count()
    url = reverse("community:dashboard")
    return [
        {"title": gettext("今日出入登记"), "value": within(GateEntry.objects.filter(created_at__gte=start, created_at__lt=end)).count(),
         "url": url, "tone": ""},
        {"title": gettext("待处置预警"), "value": alerts, "url": url, "tone": "danger" if alerts else "ok"},
        {"title": gettext("居家隔离中"), "value": within(QuarantineCase.objects.filter(status=QuarantineCase.Status.ACTIVE)).count(),
         "url": url, "tone": ""},
        {"title": gettext("未完成上门服务"), "value": within(ServiceRequest.objects.exclude(
            status__in=[ServiceRequest.Status.DONE, ServiceRequest.Status.CANCELLED])).count(), "url": url, "tone": ""},
    ]
