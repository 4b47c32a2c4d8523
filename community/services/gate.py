"""Gate registration (出入登记): one insert per entry, exactly once per idempotency key, rules → alerts."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from community import caches
from community.models import (
    Alert, AlertRule, Direction, EntryPerson, GateEntry, Mode, QuarantineCase, Resident,
)
from community.plates import parse_plate
from community.rules import DEFAULT_FEVER, mentions_hubei, validate_temperature
from core import audit
from core.fields import hash_value
from core.notify import notify
from core.person import validate_id_card, validate_phone
from core.retention import Rule

ALERT_PERM = "community.manage"  # community workers: the people who act on an alert


@dataclass
class EntryResult:
    entry: GateEntry
    created: bool
    alerts: list = field(default_factory=list)
    people: list = None  # the stored EntryPerson rows when known (a fresh entry), else read on demand

    def __post_init__(self):
        if self.people is None:
            self.people = list(self.entry.people.all())

    @property
    def advice(self):
        return [a.advice for a in self.alerts if a.advice]


def community_of(unit):
    """The gate's community, cached per process: registration must not walk the tree on every entry."""
    community = caches.get("community", (unit.pk, unit.path), lambda: unit.ancestor_of_kind("community"))
    if community is None:
        raise ValidationError("该出入口未挂在社区下,无法登记。")
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
    """{kind: rule} of the enabled alert rules (cached per process, see community.caches)."""
    return caches.alert_rules()


def _notify_alert(alert, rule):
    from django.contrib.auth import get_user_model

    User = get_user_model()  # noqa: N806 - only the id is needed for a notification's recipient
    recipients = [User(pk=pk) for pk in caches.recipient_ids(ALERT_PERM, alert.community)]
    notify(recipients, f"【{alert.get_kind_display()}】{alert.message}"[:200], body=rule.advice,
           url=f"/community/alerts/{alert.pk}/", level=rule.level)


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
    _notify_alert(alert, rule)
    return alert


def _planned_alerts(gate, community, direction, people, plate, hubei_travel, travel, rule_map):
    """The alerts this entry raises, unsaved (no entry yet): decided before the write transaction, so the
    database is locked only for the inserts."""
    alerts = []

    def add(kind, message, owner=community, case=None):
        rule = rule_map.get(kind)
        if rule is not None:
            alerts.append(Alert(kind=kind, community=owner, gate=gate, case=case, message=message[:300],
                                advice=rule.advice))

    where = gate.name
    fever = rule_map.get(AlertRule.Kind.FEVER)
    threshold = fever.threshold if fever and fever.threshold else DEFAULT_FEVER
    for person in people:
        if person.temperature >= threshold:
            add("fever", f"{where}:{person.name} 体温 {person.temperature}℃")
    if (plate and plate.valid and plate.province == "鄂") or hubei_travel:
        what = f"鄂牌车辆 {plate.plate}" if plate and plate.province == "鄂" else f"14天内到过湖北({travel})"
        add("hubei", f"{where}:{what}")
    if direction == Direction.OUT and "quarantine_out" in rule_map:
        resident_ids = [p.resident_id for p in people if p.resident_id]
        # A self-registering resident types name and phone: their phone's blind index finds them too.
        hashes = [hash_value("phone", p.phone) for p in people if not p.resident_id and p.phone]
        hashes = [h for h in hashes if h]
        if hashes:
            resident_ids += list(Resident.objects.filter(
                phone_hash__in=hashes, household__compound__path__startswith=community.path).values_list("pk", flat=True))
        if resident_ids:
            cases = QuarantineCase.objects.filter(resident_id__in=resident_ids, status=QuarantineCase.Status.ACTIVE)
            for case in cases.select_related("resident", "community"):
                add("quarantine_out", f"{where}:居家隔离人员 {case.resident.name} 欲外出", owner=case.community,
                    case=case)
    return alerts


def _clean_key(raw_key):
    key = (raw_key or "").strip()[:64]
    if len(key) < 8:
        raise ValidationError("缺少幂等键(idempotency_key),无法保证只登记一次。")
    return key


def _replay(key, gate):
    """The stored answer for a key already used, or None. A key used at another gate is refused."""
    existing = GateEntry.objects.filter(idempotency_key=key).order_by().first()
    if existing is None:
        return None
    if existing.gate_id != gate.pk:
        raise ValidationError("幂等键已被其他记录使用,请重新提交。")
    return EntryResult(existing, False, list(existing.alerts.all()))


def register_entry(actor, gate, *, idempotency_key, direction, mode, people, plate="", travel="", purpose="",
                   note="", occurred_at=None, source=GateEntry.Source.VOLUNTEER, now=None):
    """Store one entry exactly once per key. A retry with a known key returns the stored entry untouched.

    actor=None only for the public self-registration page (source=self). Raises ValidationError with a
    Chinese message for bad input (a wrong plate is refused, not stored as if right).

    The key is not looked up first: the insert itself is the check (the key is a unique column), so a new
    entry costs its inserts only; a collision (a retry) reads and answers the stored entry. Input that no
    longer validates (a rule or resident changed since) still gets the stored answer if its key is known.
    """
    key = _clean_key(idempotency_key)
    try:
        entry, cleaned, alerts = _prepare(actor, gate, key, direction=direction, mode=mode, people=people,
                                          plate=plate, travel=travel, purpose=purpose, note=note,
                                          occurred_at=occurred_at, source=source, now=now)
    except (ValidationError, PermissionDenied):
        stored = _replay(key, gate)
        if stored is None:
            raise
        return stored
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
            for person in cleaned:
                person.entry = entry
            EntryPerson.objects.bulk_create(cleaned)
            for alert in alerts:
                alert.entry = entry
            Alert.objects.bulk_create(alerts)
    except IntegrityError:
        # The key is known (a retry, or two retries racing): answer with the stored entry.
        entry.pk = None
        stored = _replay(key, gate)
        if stored is None:
            raise
        return stored
    rule_map = rules()
    for alert in alerts:
        _notify_alert(alert, rule_map.get(alert.kind) or AlertRule(level="danger"))
    return EntryResult(entry, True, alerts, cleaned)


def _prepare(actor, gate, key, *, direction, mode, people, plate, travel, purpose, note, occurred_at, source, now):
    """Everything but the write: checks, parsing, people, the alerts to raise. Reads only cached rows unless
    the entry names residents or someone goes out (quarantine status)."""
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
    travel = (travel or "").strip()[:200]
    hubei_travel = mentions_hubei(travel)
    alerts = _planned_alerts(gate, community, direction, cleaned, parsed, hubei_travel, travel, rules())
    entry = GateEntry(
        gate=gate, community=community, unit_path=gate.path, created_at=now, occurred_at=occurred_at or now,
        direction=direction, mode=mode, plate=parsed.plate if parsed else "",
        plate_province=parsed.province if parsed else "", plate_local=bool(parsed and parsed.local),
        travel=travel, hubei_travel=hubei_travel, purpose=(purpose or "").strip()[:100],
        note=(note or "").strip()[:200], source=source, recorder=actor, idempotency_key=key, alerted=bool(alerts))
    return entry, cleaned, alerts


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


def _delete_entries(ids):
    """One batch of the purge (core.retention.Rule runs it in its own transaction)."""
    Alert.objects.filter(entry_id__in=ids).update(entry=None)  # the alert outlives the entry
    EntryPerson.objects.filter(entry_id__in=ids).delete()
    GateEntry.objects.filter(id__in=ids).delete()


def purge_entries(now=None, days=None, batch=None, limit=None):
    """Delete entries older than the retention period: a retention rule (core.retention.Rule), so a batch of
    `batch` (SHOUHU_RETENTION_BATCH) rows per transaction and at most `limit` (SHOUHU_RETENTION_MAX_ROWS) rows
    per run. A 28-day window is millions of rows: one transaction over all of them would hold the write lock
    (SQLite: the whole database) and stop gate registration for an hour or more (docs/benchmarks/community.md).
    Returns the rule: `.done` rows, `.capped` when rows remain (the caller queues a follow-up run)."""
    cutoff = (now or timezone.now()) - timedelta(days=days if days is not None else retention_days())
    rule = Rule("gate_entries", GateEntry.objects.filter(created_at__lt=cutoff), _delete_entries, batch, limit)
    rule.run(cutoff)
    return rule
