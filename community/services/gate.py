"""Gate registration (出入登记): one insert per entry, exactly once per idempotency key, rules → alerts."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from community.models import (
    Alert, AlertRule, Direction, EntryPerson, GateEntry, Mode, QuarantineCase, Resident,
)
from community.plates import parse_plate
from community.rules import DEFAULT_FEVER, idempotent_replay, mentions_hubei, validate_temperature
from core import audit
from core.notify import notify
from core.person import validate_id_card, validate_phone

ALERT_PERM = "community.manage"  # community workers: the people who act on an alert


@dataclass
class EntryResult:
    entry: GateEntry
    created: bool
    alerts: list = field(default_factory=list)

    @property
    def advice(self):
        return [a.advice for a in self.alerts if a.advice]


_COMMUNITY_OF = {}  # (gate id, path) → its community: registration must not walk the tree on every entry


def community_of(unit):
    community = _COMMUNITY_OF.get((unit.pk, unit.path))
    if community is None:
        community = unit.ancestor_of_kind("community")
        if community is None:
            raise ValidationError("该出入口未挂在社区下,无法登记。")
        if len(_COMMUNITY_OF) < 10000:
            _COMMUNITY_OF[(unit.pk, unit.path)] = community
    return community


def _clean_people(people, community):
    """[{resident|resident_id|personal_code, name, phone, id_number, temperature}] → EntryPerson objects."""
    if not people:
        raise ValidationError("请至少登记一名通行人员。")
    ids = [p.get("resident_id") for p in people if p.get("resident_id")]
    codes = [p.get("personal_code").strip().upper() for p in people if p.get("personal_code")]
    residents = {r.pk: r for r in Resident.objects.filter(
        pk__in=ids, household__compound__path__startswith=community.path)} if ids else {}
    by_code = {r.personal_code: r for r in Resident.objects.filter(personal_code__in=codes)} if codes else {}
    cleaned = []
    for number, person in enumerate(people, start=1):
        resident = person.get("resident") or residents.get(_int(person.get("resident_id")))
        code = (person.get("personal_code") or "").strip().upper()
        if code and resident is None:
            resident = by_code.get(code)
            if resident is None:
                raise ValidationError(f"第{number}人:个人码 {code} 不存在,请核对。")
        if person.get("resident_id") and resident is None:
            raise ValidationError(f"第{number}人:不是本社区登记的居民。")
        try:
            temperature = validate_temperature(person.get("temperature"))
            if resident is not None:
                cleaned.append(EntryPerson(resident=resident, name=resident.name, temperature=temperature))
                continue
            name = (person.get("name") or "").strip()
            if not name:
                raise ValidationError("请填写访客姓名。")
            phone = validate_phone(person["phone"]) if person.get("phone") else ""
            id_number = validate_id_card(person["id_number"]) if person.get("id_number") else ""
            if not phone:
                raise ValidationError("访客请留电话。")
        except ValidationError as exc:
            raise ValidationError(f"第{number}人:{' '.join(exc.messages)}") from None
        cleaned.append(EntryPerson(name=name[:60], phone=phone, id_number=id_number, temperature=temperature))
    return cleaned


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rules():
    return {r.kind: r for r in AlertRule.objects.filter(enabled=True)}


def _raise(rule_map, kind, community, message, gate=None, entry=None, case=None, dedupe_key=None):
    rule = rule_map.get(kind)
    if rule is None:
        return None
    alert = Alert(kind=kind, community=community, gate=gate, entry=entry, case=case, message=message[:300],
                  advice=rule.advice, dedupe_key=dedupe_key)
    if dedupe_key:
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:
            return None
    else:
        alert.save()
    notify(access.users_with_perm(ALERT_PERM, community), f"【{alert.get_kind_display()}】{message}"[:200],
           body=rule.advice, url=f"/community/alerts/{alert.pk}/", level=rule.level)
    return alert


def _evaluate(entry, people, plate, rule_map, community):
    alerts = []
    where = entry.gate.name
    fever = rule_map.get(AlertRule.Kind.FEVER)
    threshold = fever.threshold if fever and fever.threshold else DEFAULT_FEVER
    for person in people:
        if person.temperature >= threshold:
            alerts.append(_raise(rule_map, "fever", community,
                                 f"{where}:{person.name} 体温 {person.temperature}℃", gate=entry.gate, entry=entry))
    if (plate and plate.valid and plate.province == "鄂") or entry.hubei_travel:
        what = f"鄂牌车辆 {entry.plate}" if plate and plate.province == "鄂" else f"14天内到过湖北({entry.travel})"
        alerts.append(_raise(rule_map, "hubei", community, f"{where}:{what}", gate=entry.gate, entry=entry))
    if entry.direction == Direction.OUT:
        resident_ids = [p.resident_id for p in people if p.resident_id]
        cases = QuarantineCase.objects.filter(resident_id__in=resident_ids, status=QuarantineCase.Status.ACTIVE)
        for case in cases.select_related("resident"):
            alerts.append(_raise(rule_map, "quarantine_out", case.community,
                                 f"{where}:居家隔离人员 {case.resident.name} 欲外出", gate=entry.gate, entry=entry,
                                 case=case))
    return [a for a in alerts if a is not None]


def register_entry(actor, gate, *, idempotency_key, direction, mode, people, plate="", travel="", purpose="",
                   note="", occurred_at=None, source=GateEntry.Source.VOLUNTEER, now=None):
    """Store one entry exactly once per key. A retry with a known key returns the stored entry untouched.

    actor=None only for the public self-registration page (source=self). Raises ValidationError with a
    Chinese message for bad input (a wrong plate is refused, not stored as if right).
    """
    key, existing = idempotent_replay(GateEntry, idempotency_key, gate_id=gate.pk)
    if existing is not None:
        return EntryResult(existing, False, list(existing.alerts.all()))
    if gate.kind != "gate":
        raise ValidationError("请选择出入口。")
    if actor is not None:
        access.require_perm(actor, "community.register_entry", gate)
    elif source != GateEntry.Source.SELF:
        raise ValidationError("未登录只能扫码自助登记。")
    if direction not in Direction.values:
        raise ValidationError("请选择进或出。")
    if mode not in Mode.values:
        raise ValidationError("请选择步行或车辆。")
    parsed = None
    if mode == Mode.VEHICLE:
        parsed = parse_plate(plate)
        if not parsed.valid:
            raise ValidationError(f"车牌 {parsed.plate or plate}:{parsed.reason}")
    community = community_of(gate)
    cleaned = _clean_people(people, community)
    now = now or timezone.now()
    if occurred_at is not None and not (now - timedelta(days=retention_days()) <= occurred_at <= now):
        occurred_at = None  # a phone with a wrong clock: the server's time is the better guess
    entry = GateEntry(
        gate=gate, community=community, unit_path=gate.path, created_at=now, occurred_at=occurred_at or now,
        direction=direction, mode=mode, plate=parsed.plate if parsed else "",
        plate_province=parsed.province if parsed else "", plate_local=bool(parsed and parsed.local),
        travel=(travel or "").strip()[:200], hubei_travel=mentions_hubei(travel), purpose=(purpose or "").strip()[:100],
        note=(note or "").strip()[:200], source=source, recorder=actor, idempotency_key=key)
    try:
        with transaction.atomic():
            entry.save()
            for person in cleaned:
                person.entry = entry
            EntryPerson.objects.bulk_create(cleaned)
            alerts = _evaluate(entry, cleaned, parsed, rules(), community)
            if alerts:
                GateEntry.objects.filter(pk=entry.pk).update(alerted=True)
                entry.alerted = True
    except IntegrityError:
        # Two retries raced: the other one stored it; answer with the stored entry.
        existing = GateEntry.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return EntryResult(existing, False, list(existing.alerts.all()))
    return EntryResult(entry, True, alerts)


@transaction.atomic
def handle_alert(actor, alert, status, note=""):
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    access.require_perm(actor, ALERT_PERM, alert.community)
    if status not in Alert.TRANSITIONS.get(alert.status, set()):
        raise ValidationError(f"预警当前为“{alert.get_status_display()}”,不能改为该状态。")
    if status == Alert.Status.CLOSED and not note.strip():
        raise ValidationError("请填写处置说明。")
    alert.status = status
    alert.handled_by = actor
    alert.handled_at = timezone.now()
    if note:
        alert.handling_note = note.strip()
    alert.save()
    audit.record(actor, "community.alert_" + status, obj=alert, unit=alert.community, detail={"note": note})
    return alert


def retention_days():
    return int(getattr(settings, "SHOUHU_GATE_RETENTION_DAYS", 28))


def purge_entries(now=None, days=None, batch=5000):
    """Delete entries older than the retention period, in batches (millions of rows, short locks)."""
    cutoff = (now or timezone.now()) - timedelta(days=days if days is not None else retention_days())
    total = 0
    while True:
        ids = list(GateEntry.objects.filter(created_at__lt=cutoff).order_by().values_list("id", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            Alert.objects.filter(entry_id__in=ids).update(entry=None)  # the alert outlives the entry
            EntryPerson.objects.filter(entry_id__in=ids).delete()
            GateEntry.objects.filter(id__in=ids).delete()
        total += len(ids)
    return total
