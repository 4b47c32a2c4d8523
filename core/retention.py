"""Retention of personal data (PIPL art. 19 and 47: kept no longer than the purpose needs, then deleted or
made anonymous), one rule per kind of record, enforced by the worker (core.retention, daily). The table of
kinds → period → what happens is in docs/SECURITY.md; the SHOUHU_* periods in docs/configuration.md.

Rows that ledgers and statistics count (orders, quarantine cases, residents, volunteers, donors, inspections,
alerts, service requests) are kept and their personal fields pseudonymised (PSEUDONYM for names, empty
phone/ID and blind index); rows that are nothing but personal data (gate entries, health checks,
notifications) are deleted. People on the emergency roster (residents, volunteers, donors) are only
touched once no 应急响应 is in force and the last one ended more than the period ago, and only if they
have been inactive for the period.

Bounded: each rule works in batches of SHOUHU_RETENTION_BATCH rows, one short transaction each (no long lock
on SQLite's single writer or on PostgreSQL rows), and at most SHOUHU_RETENTION_MAX_ROWS rows per rule per
run; when a rule hits that cap the job queues a follow-up run a minute later (core/tasks.py). Each rule that
changed something writes one audit record (how many rows, the cutoff), never the erased values.

The audit log itself is kept SHOUHU_AUDIT_RETENTION_DAYS (default 3 years, never less than 180 days: the
Cybersecurity Law art. 21 asks for at least six months of logs; a reveal or export must stay answerable
for as long as a complaint or an inspection can ask about it), then deleted in the same bounded way.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from core import audit

PSEUDONYM = "〔已匿名〕"
AUDIT_MINIMUM_DAYS = 180


def days(name, default):
    return int(getattr(settings, name, default))


def _limits(batch, limit):
    return (batch or days("SHOUHU_RETENTION_BATCH", 1000)), (limit or days("SHOUHU_RETENTION_MAX_ROWS", 20000))


class Rule:
    """Apply `action(ids)` to the rows of `qs`, a batch at a time, each batch in its own transaction.

    `qs` must stop matching a row once it is handled (deleted, or its personal fields emptied), so the
    loop ends and a rerun finds nothing left to do."""

    def __init__(self, name, qs, action, batch=None, limit=None):
        self.name, self.qs, self.action = name, qs, action
        self.batch, self.limit = _limits(batch, limit)
        self.done, self.capped = 0, False

    def run(self, cutoff):
        while self.done < self.limit:
            ids = list(self.qs.order_by().values_list("id", flat=True)[:min(self.batch, self.limit - self.done)])
            if not ids:
                break
            with transaction.atomic():
                self.action(ids)
            self.done += len(ids)
        else:
            self.capped = self.qs.exists()
        if self.done:
            audit.record(None, f"core.retention.{self.name}",
                         detail={"rows": self.done, "cutoff": cutoff.isoformat(), "more": self.capped})
        return self.done


def _delete(model):
    return lambda ids: model.objects.filter(id__in=ids).delete()


def _update(model, **values):
    # update(): empty values are stored empty (no ciphertext), blind indexes are set explicitly.
    return lambda ids: model.objects.filter(id__in=ids).update(**values)


def _unique_erased():
    """A per-row placeholder for a blind index under a uniqueness constraint (volunteers' one active ID)."""
    return Concat(models.Value("erased:"), Cast("id", models.CharField()), output_field=models.CharField())


# -- community: quarantine health data ---------------------------------------------------------------------

def purge_health_checks(now=None, batch=None, limit=None):
    """Health checks of quarantine cases that ended more than SHOUHU_HEALTH_RETENTION_DAYS ago: deleted."""
    from community.models import HealthCheck, QuarantineCase

    cutoff = timezone.localdate(now or timezone.now()) - timedelta(days=days("SHOUHU_HEALTH_RETENTION_DAYS", 28))
    qs = HealthCheck.objects.filter(case__status=QuarantineCase.Status.ENDED, case__end_date__lt=cutoff)
    rule = Rule("health_checks", qs, _delete(HealthCheck), batch, limit)
    rule.run(cutoff)
    return rule


def erase_ended_cases(now=None, batch=None, limit=None):
    """Ended quarantine cases, same period: the free-text reason (travel, contacts, symptoms), the outcome
    note (hospital…) and the reasons in the period history are emptied; dates, outcome and status stay."""
    from community.models import QuarantineCase, QuarantineChange

    cutoff = timezone.localdate(now or timezone.now()) - timedelta(days=days("SHOUHU_HEALTH_RETENTION_DAYS", 28))
    qs = QuarantineCase.objects.filter(status=QuarantineCase.Status.ENDED, end_date__lt=cutoff).filter(
        ~Q(reason="") | ~Q(outcome_note="") | Q(changes__reason__gt=""))

    def erase(ids):
        # The history is append-only for people; retention is the one writer allowed to empty its reasons.
        QuarantineChange.objects.filter(case_id__in=ids).update(reason="")
        QuarantineCase.objects.filter(id__in=ids).update(reason="", outcome_note="")

    rule = Rule("quarantine_cases", qs.distinct(), erase, batch, limit)
    rule.run(cutoff)
    return rule


def erase_closed_alerts(now=None, batch=None, limit=None):
    """Closed alerts older than SHOUHU_HEALTH_RETENTION_DAYS name a person and a temperature: the message
    becomes the rule's label, advice and handling note are emptied (the counts per rule and day stay)."""
    from community.models import Alert, AlertRule

    cutoff = (now or timezone.now()) - timedelta(days=days("SHOUHU_HEALTH_RETENTION_DAYS", 28))
    qs = Alert.objects.filter(status=Alert.Status.CLOSED, created_at__lt=cutoff).filter(
        ~Q(handling_note="") | ~Q(advice="") | ~Q(message__in=[str(label) for label in AlertRule.Kind.labels]))
    labels = dict(AlertRule.Kind.choices)

    def erase(ids):
        for kind in Alert.objects.filter(id__in=ids).values_list("kind", flat=True).distinct():
            Alert.objects.filter(id__in=ids, kind=kind).update(
                message=str(labels.get(kind, kind))[:300], advice="", handling_note="")

    rule = Rule("alerts", qs, erase, batch, limit)
    rule.run(cutoff)
    return rule


def erase_finished_services(now=None, batch=None, limit=None):
    """上门服务 done or cancelled more than SHOUHU_SERVICE_NOTES_RETENTION_DAYS ago: the free text (what was
    bought, medicines, who was met), the photo and the events' notes go; kind, dates and status stay."""
    from community.models import ServiceEvent, ServiceRequest

    cutoff = (now or timezone.now()) - timedelta(days=days("SHOUHU_SERVICE_NOTES_RETENTION_DAYS", 180))
    S = ServiceRequest.Status
    finished = Q(status=S.DONE, done_at__lt=cutoff) | Q(status=S.CANCELLED, created_at__lt=cutoff)
    qs = ServiceRequest.objects.filter(finished).filter(
        ~Q(detail="") | ~Q(done_note="") | ~Q(photo="") | Q(events__note__gt="")).distinct()

    def erase(ids):
        for request in ServiceRequest.objects.filter(id__in=ids).exclude(photo=""):
            request.photo.delete(save=False)  # the file on disk, not just the reference
        ServiceEvent.objects.filter(request_id__in=ids).update(note="")
        ServiceRequest.objects.filter(id__in=ids).update(detail="", done_note="", photo="")

    rule = Rule("services", qs, erase, batch, limit)
    rule.run(cutoff)
    return rule


def erase_inspected_people(now=None, batch=None, limit=None):
    """People checked at a 检查站 more than SHOUHU_INSPECTION_RETENTION_DAYS ago: name, ID and phone erased;
    the inspection (vessel, plate, ports, flags) and the temperature count stay."""
    from community.models import InspectedPerson

    cutoff = (now or timezone.now()) - timedelta(days=days("SHOUHU_INSPECTION_RETENTION_DAYS", 28))
    qs = InspectedPerson.objects.filter(inspection__at__lt=cutoff).exclude(name=PSEUDONYM)
    rule = Rule("inspected_people", qs, _update(InspectedPerson, name=PSEUDONYM, id_number="", id_hash="", phone=""),
                batch, limit)
    rule.run(cutoff)
    return rule


# -- the emergency roster: residents, volunteers, donors ---------------------------------------------------

def roster_cutoff(now=None):
    """The cutoff for the roster rules, or None while 应急响应 is in force or ended less than the period ago."""
    from hotline.models import EmergencyResponse

    cutoff = (now or timezone.now()) - timedelta(days=days("SHOUHU_PERSON_RETENTION_DAYS", 365))
    if EmergencyResponse.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=cutoff)).exists():
        return None
    return cutoff


def pseudonymise_residents(now=None, batch=None, limit=None):
    """Residents registered before the cutoff with no quarantine case active or ended since: name becomes
    PSEUDONYM, phone, ID, their blind indexes and the elderly card code are erased. The row stays: households,
    cases and statistics refer to it."""
    from community.models import QuarantineCase, Resident

    cutoff = roster_cutoff(now)
    if cutoff is None:
        return Rule("residents", Resident.objects.none(), None)
    recent = QuarantineCase.objects.filter(Q(status=QuarantineCase.Status.ACTIVE) | Q(end_date__gte=cutoff.date()))
    qs = (Resident.objects.filter(created_at__lt=cutoff).exclude(name=PSEUDONYM)
          .exclude(id__in=recent.values("resident_id")))
    rule = Rule("residents", qs, _update(Resident, name=PSEUDONYM, phone="", phone_hash="", id_number="", id_hash="",
                                         personal_code=None), batch, limit)
    rule.run(cutoff)
    return rule


def pseudonymise_volunteers(now=None, batch=None, limit=None):
    """Volunteers (and sign-ups) with no decision, sign-up or shift since the cutoff: name, phone, ID and
    free text erased; status, skills and hours stay for the roll of honour's counts."""
    from volunteers.models import Assignment, Volunteer

    cutoff = roster_cutoff(now)
    if cutoff is None:
        return Rule("volunteers", Volunteer.objects.none(), None)
    busy = Assignment.objects.filter(end__gte=cutoff).values("user_id")
    qs = (Volunteer.objects.filter(created_at__lt=cutoff).filter(Q(decided_at__isnull=True) | Q(decided_at__lt=cutoff))
          .exclude(name=PSEUDONYM).exclude(user_id__in=busy))
    rule = Rule("volunteers", qs, _update(Volunteer, name=PSEUDONYM, phone="", phone_hash="", id_number="",
                                          id_hash=_unique_erased(), skills_note="", decision_note=""), batch, limit)
    rule.run(cutoff)
    return rule


def pseudonymise_donors(now=None, batch=None, limit=None):
    """Donors with no donation since the cutoff: a person's name becomes PSEUDONYM; every donor loses the
    phone, the contact person and the title detail. Organisation names, donations and certificates stay
    (the ledger must still add up)."""
    from supplies.models import Donation, Donor

    cutoff = roster_cutoff(now)
    if cutoff is None:
        return Rule("donors", Donor.objects.none(), None)
    recent = Donation.objects.filter(pledged_at__gte=cutoff).values("donor_id")
    qs = (Donor.objects.filter(created_at__lt=cutoff).exclude(id__in=recent)
          .filter(~Q(phone="") | ~Q(contact_name="") | ~Q(title_detail="") | (Q(kind=Donor.Kind.PERSON) & ~Q(name=PSEUDONYM))))

    def erase(ids):
        Donor.objects.filter(id__in=ids).update(phone="", contact_name="", title_detail="")
        Donor.objects.filter(id__in=ids, kind=Donor.Kind.PERSON).update(name=PSEUDONYM)

    rule = Rule("donors", qs, erase, batch, limit)
    rule.run(cutoff)
    return rule


# -- hotline, notifications, the audit log -----------------------------------------------------------------

def erase_closed_callers(now=None, batch=None, limit=None):
    """Caller name/phone of orders closed (or merged, cancelled) more than SHOUHU_ORDER_PERSONAL_RETENTION_DAYS
    ago. The order's content, handling notes and reply stay: they are the government service record."""
    from hotline.models import State, WorkOrder

    cutoff = (now or timezone.now()) - timedelta(days=days("SHOUHU_ORDER_PERSONAL_RETENTION_DAYS", 180))
    ended = Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, received_at__lt=cutoff)
    qs = WorkOrder.objects.filter(ended, state__in=[State.CLOSED, State.MERGED, State.CANCELLED]).exclude(
        caller_phone_hash="", caller_name="")
    rule = Rule("order_callers", qs, _update(WorkOrder, caller_name="", caller_phone="", caller_phone_hash=""),
                batch, limit)
    rule.run(cutoff)
    return rule


def purge_notifications(now=None, batch=None, limit=None):
    """In-app notifications older than SHOUHU_NOTIFICATION_RETENTION_DAYS (their titles name people): deleted."""
    from core.models import Notification

    cutoff = (now or timezone.now()) - timedelta(days=days("SHOUHU_NOTIFICATION_RETENTION_DAYS", 90))
    rule = Rule("notifications", Notification.objects.filter(created_at__lt=cutoff), _delete(Notification),
                batch, limit)
    rule.run(cutoff)
    return rule


def purge_audit(now=None, batch=None, limit=None):
    """Audit records older than SHOUHU_AUDIT_RETENTION_DAYS (at least AUDIT_MINIMUM_DAYS; 0 keeps them forever)."""
    from core.models import AuditLog

    period = days("SHOUHU_AUDIT_RETENTION_DAYS", 1095)
    if period <= 0:
        return Rule("audit", AuditLog.objects.none(), None)
    cutoff = (now or timezone.now()) - timedelta(days=max(period, AUDIT_MINIMUM_DAYS))
    rule = Rule("audit", AuditLog.objects.filter(at__lt=cutoff), _delete(AuditLog), batch, limit)
    rule.run(cutoff)
    return rule


RULES = [purge_health_checks, erase_ended_cases, erase_closed_alerts, erase_finished_services, erase_inspected_people,
         pseudonymise_residents, pseudonymise_volunteers, pseudonymise_donors, erase_closed_callers,
         purge_notifications, purge_audit]


def follow_up(job, args=None):
    """Queue `job` again a minute from now: a run stopped at its cap, the rest goes in the next (one per minute)."""
    from core import jobs

    later = timezone.now() + timedelta(minutes=1)
    jobs.enqueue(job, args=args, run_at=later, unique_key=f"{job}:more@{int(later.timestamp()) // 60}")


def run(now=None, batch=None, limit=None):
    """Every retention rule once (the gate entries' own purge in community included, so one run covers all).
    Returns {rule: rows} and "more": True when a rule stopped at its cap (the task then runs again soon)."""
    from community.services import purge_entries

    result, more = {}, False
    for fn in [purge_entries, *RULES]:
        rule = fn(now=now, batch=batch, limit=limit)
        result[rule.name] = rule.done
        more = more or rule.capped
    result["more"] = more
    return result
