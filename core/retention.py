"""Retention of personal data (PIPL art. 19: kept no longer than the purpose needs), one rule per kind of
record, enforced by the worker (core.retention, daily). Periods are settings read with defaults here and
documented in docs/SECURITY.md:

| kind | setting | default | what happens |
| gate entries | SHOUHU_GATE_RETENTION_DAYS | 28 | deleted (community.purge_entries, every 6 h) |
| quarantine health checks | SHOUHU_HEALTH_RETENTION_DAYS | 28 | temperature/symptom rows of a case ended that many days ago are deleted |
| closed orders' caller | SHOUHU_ORDER_PERSONAL_RETENTION_DAYS | 180 | caller name and phone (and its blind index) of closed, merged or cancelled orders are erased; the order itself stays for statistics |

Each purge writes one audit record (how many rows, the cutoff), never the erased values.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit


def days(name, default):
    return int(getattr(settings, name, default))


def _batches(qs, batch):
    while True:
        ids = list(qs.order_by().values_list("id", flat=True)[:batch])
        if not ids:
            return
        yield ids


def purge_health_checks(now=None, batch=5000):
    """Health checks of quarantine cases that ended more than SHOUHU_HEALTH_RETENTION_DAYS ago."""
    from community.models import HealthCheck, QuarantineCase

    now = now or timezone.now()
    cutoff = timezone.localdate(now) - timedelta(days=days("SHOUHU_HEALTH_RETENTION_DAYS", 28))
    qs = HealthCheck.objects.filter(case__status=QuarantineCase.Status.ENDED, case__end_date__lt=cutoff)
    total = 0
    for ids in _batches(qs, batch):
        with transaction.atomic():
            total += HealthCheck.objects.filter(id__in=ids).delete()[0]
    if total:
        audit.record(None, "core.retention.health_checks", detail={"deleted": total, "cutoff": cutoff.isoformat()})
    return total


def erase_closed_callers(now=None, batch=2000):
    """Caller name/phone of orders closed (or merged, cancelled) more than SHOUHU_ORDER_PERSONAL_RETENTION_DAYS ago."""
    from hotline.models import State, WorkOrder

    now = now or timezone.now()
    cutoff = now - timedelta(days=days("SHOUHU_ORDER_PERSONAL_RETENTION_DAYS", 180))
    ended = Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, received_at__lt=cutoff)
    qs = WorkOrder.objects.filter(ended, state__in=[State.CLOSED, State.MERGED, State.CANCELLED]).exclude(
        caller_phone_hash="", caller_name="")
    total = 0
    for ids in _batches(qs, batch):
        with transaction.atomic():
            # update(): the empty value is stored as empty (no ciphertext), and the blind index goes too.
            total += WorkOrder.objects.filter(id__in=ids).update(caller_name="", caller_phone="", caller_phone_hash="")
    if total:
        audit.record(None, "core.retention.order_callers", detail={"erased": total, "cutoff": cutoff.isoformat()})
    return total


def run(now=None):
    """Every retention rule once; the gate entries' own purge (community) is included so one run covers all."""
    from community.services import purge_entries

    return {"gate_entries": purge_entries(now=now), "health_checks": purge_health_checks(now=now),
            "order_callers": erase_closed_callers(now=now)}
