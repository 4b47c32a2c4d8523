"""Home quarantine: the legal period (changed only with a reason, audited) and the monitoring plan
(checks per day, day N from the start, late and after-the-end checks accepted but flagged)."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from community.models import AlertRule, HealthCheck, QuarantineCase, QuarantineChange
from community.rules import DEFAULT_FEVER, idempotent_replay, validate_temperature
from community.services.gate import _raise, rules
from core import audit
from core.workcal import local_date

PERM = "community.manage"


def slot_deadline(case, day, slot):
    """Slot i of n is due by 8:00 + 12h·i/n local time (one check: 20:00; two: 14:00 and 20:00)."""
    hours = 8 + 12 * slot / case.checks_per_day
    naive = datetime.combine(day, time(0)) + timedelta(hours=hours)
    return timezone.make_aware(naive)


@transaction.atomic
def open_case(actor, resident, reason, start_date, end_date, checks_per_day=2, check_perm=True):
    """check_perm=False only for a checkpoint referral: the referral is the authority in the receiving community."""
    community = resident.household.compound.ancestor_of_kind("community")
    if check_perm:
        access.require_perm(actor, PERM, community)
    if not (reason or "").strip():
        raise ValidationError("请填写隔离原因。")
    if end_date < start_date:
        raise ValidationError("隔离结束日期不能早于开始日期。")
    if not 1 <= int(checks_per_day) <= 6:
        raise ValidationError("每日测温次数应为1–6次。")
    if QuarantineCase.objects.filter(resident=resident, status=QuarantineCase.Status.ACTIVE).exists():
        raise ValidationError(f"{resident.name} 已在居家隔离中。")
    case = QuarantineCase.objects.create(resident=resident, community=community, reason=reason.strip(),
                                         start_date=start_date, end_date=end_date, checks_per_day=checks_per_day,
                                         created_by=actor)
    QuarantineChange.objects.create(case=case, actor=case.created_by, action="open", new_end=end_date,
                                    reason=reason.strip())
    audit.record(actor, "community.quarantine_open", obj=case, unit=community,
                 detail={"start": str(start_date), "end": str(end_date)})
    return case


@transaction.atomic
def change_period(actor, case, new_end, reason):
    """Extend or shorten the legal period. A reason is required; the old and new end are kept."""
    case = QuarantineCase.objects.select_for_update().get(pk=case.pk)
    access.require_perm(actor, PERM, case.community)
    if case.status != QuarantineCase.Status.ACTIVE:
        raise ValidationError("隔离已解除,不能再调整期限。")
    if not (reason or "").strip():
        raise ValidationError("延长或缩短隔离期必须填写原因。")
    if new_end == case.end_date:
        raise ValidationError("新的结束日期与原日期相同。")
    if new_end < case.start_date:
        raise ValidationError("结束日期不能早于隔离开始日期。")
    action = "extend" if new_end > case.end_date else "shorten"
    old_end, case.end_date = case.end_date, new_end
    case.save(update_fields=["end_date"])
    QuarantineChange.objects.create(case=case, actor=actor, action=action, old_end=old_end, new_end=new_end,
                                    reason=reason.strip())
    audit.record(actor, f"community.quarantine_{action}", obj=case, unit=case.community,
                 detail={"old_end": str(old_end), "new_end": str(new_end), "reason": reason.strip()})
    return case


@transaction.atomic
def end_case(actor, case, outcome, note=""):
    case = QuarantineCase.objects.select_for_update().get(pk=case.pk)
    access.require_perm(actor, PERM, case.community)
    if case.status != QuarantineCase.Status.ACTIVE:
        raise ValidationError("隔离已解除。")
    if outcome not in QuarantineCase.Outcome.values:
        raise ValidationError("请选择解除隔离的结果。")
    case.status, case.outcome, case.outcome_note = QuarantineCase.Status.ENDED, outcome, note.strip()[:200]
    case.save(update_fields=["status", "outcome", "outcome_note"])
    QuarantineChange.objects.create(case=case, actor=actor, action="end", reason=f"{case.get_outcome_display()} {note}")
    audit.record(actor, "community.quarantine_end", obj=case, unit=case.community, detail={"outcome": outcome})
    return case


def record_check(case, temperature, *, idempotency_key, symptoms="", actor=None, day=None, now=None):
    """A temperature report, by the resident (actor=None, via the signed link) or by staff.

    Always accepted within 34–43 ℃: a check for a past day or after its slot's deadline is flagged late,
    a check after the legal end is flagged after_end (the data still matters), fever raises an alert.
    """
    key, existing = idempotent_replay(HealthCheck, idempotency_key, case_id=case.pk)
    if existing is not None:
        return existing
    if actor is not None:
        access.require_perm(actor, PERM, case.community)
    temp = validate_temperature(temperature)
    now = now or timezone.now()
    today = local_date(now)
    day = day or today
    if day > today:
        raise ValidationError("不能为将来的日期上报体温。")
    if day < case.start_date:
        raise ValidationError("该日期早于隔离开始日期。")
    rule_map = rules()
    fever_rule = rule_map.get(AlertRule.Kind.FEVER)
    threshold = fever_rule.threshold if fever_rule and fever_rule.threshold else DEFAULT_FEVER
    try:
        with transaction.atomic():
            case = QuarantineCase.objects.select_for_update().get(pk=case.pk)
            slot = HealthCheck.objects.filter(case=case, day=day).count() + 1
            late = day < today or (slot <= case.checks_per_day and now > slot_deadline(case, day, slot))
            check = HealthCheck.objects.create(
                case=case, at=now, day=day, day_n=case.day_n(day), slot=slot, temperature=temp,
                symptoms=(symptoms or "").strip()[:200], by_resident=actor is None, recorder=actor, late=late,
                after_end=day > case.end_date or case.status != QuarantineCase.Status.ACTIVE,
                fever=temp >= threshold, idempotency_key=key)
            if check.fever or check.symptoms:
                what = f"体温 {temp}℃" + (f",症状:{check.symptoms}" if check.symptoms else "")
                _raise(rule_map, "fever", case.community, f"居家隔离 {case.resident.name} 第{check.day_n}天 {what}",
                       case=case)
    except IntegrityError:
        return HealthCheck.objects.get(idempotency_key=key)
    return check


def missed_slots(case, now):
    """(day, slot) pairs of today and yesterday whose deadline passed with too few checks."""
    today = local_date(now)
    missed = []
    for day in (today - timedelta(days=1), today):
        if day < case.start_date or day > case.end_date:
            continue
        done = HealthCheck.objects.filter(case=case, day=day).count()
        for slot in range(done + 1, case.checks_per_day + 1):
            if now > slot_deadline(case, day, slot):
                missed.append((day, slot))
    return missed


def raise_missed_checks(now=None):
    """Worker task: one alert per missed (case, day, slot), never twice."""
    now = now or timezone.now()
    rule_map = rules()
    count = 0
    for case in QuarantineCase.objects.filter(status=QuarantineCase.Status.ACTIVE).select_related("resident"):
        for day, slot in missed_slots(case, now):
            alert = _raise(rule_map, "missed_check", case.community,
                           f"居家隔离 {case.resident.name} 第{case.day_n(day)}天第{slot}次体温未上报", case=case,
                           dedupe_key=f"missed:{case.pk}:{day.isoformat()}:{slot}")
            count += alert is not None
    return count
