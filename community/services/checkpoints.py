"""Checkpoint inspections (检查站): ships at the river port, cars on the road; flags and referrals."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from community.models import Alert, InspectedPerson, Inspection, Resident
from community.plates import parse_plate
from community.rules import DEFAULT_FEVER, idempotent_replay, mentions_hubei, validate_temperature
from community.services.quarantine import open_case
from core import audit
from core.fields import hash_value
from core.notify import notify_unit
from core.person import validate_id_card, validate_phone

PERM = "community.register_entry"


def _people(people, required_id):
    cleaned = []
    for number, person in enumerate(people or [], start=1):
        try:
            name = (person.get("name") or "").strip()
            if not name:
                raise ValidationError("请填写姓名。")
            raw_id = person.get("id_number") or ""
            if required_id and not raw_id:
                raise ValidationError("船员须登记身份证号。")
            temp = validate_temperature(person.get("temperature"))
            cleaned.append(InspectedPerson(
                name=name[:60], id_number=validate_id_card(raw_id) if raw_id else "",
                phone=validate_phone(person["phone"]) if person.get("phone") else "",
                role=(person.get("role") or "").strip()[:30], temperature=temp, fever=temp >= DEFAULT_FEVER))
        except ValidationError as exc:
            raise ValidationError(f"第{number}人:{' '.join(exc.messages)}") from None
    if not cleaned:
        raise ValidationError("请至少登记一人。")
    return cleaned


def record_inspection(actor, checkpoint, *, kind, idempotency_key, people, vessel_name="", vessel_registration="",
                      origin="", destination="", ports=(), plate="", now=None):
    key, existing = idempotent_replay(Inspection, idempotency_key, checkpoint_id=checkpoint.pk)
    if existing is not None:
        return existing
    access.require_perm(actor, PERM, checkpoint)
    if kind not in Inspection.Kind.values:
        raise ValidationError("请选择船舶或车辆。")
    ports = [p.strip() for p in (ports.split(",") if isinstance(ports, str) else ports) if p and p.strip()]
    flags, parsed = [], None
    if kind == Inspection.Kind.SHIP:
        if not vessel_name.strip() or not vessel_registration.strip():
            raise ValidationError("请填写船名和船舶登记号。")
        if mentions_hubei(origin, *ports):
            flags.append("14天内停靠湖北港口")
    else:
        parsed = parse_plate(plate)
        if not parsed.valid:
            raise ValidationError(f"车牌 {parsed.plate or plate}:{parsed.reason}")
        if parsed.province == "鄂":
            flags.append("鄂牌车辆")
        if mentions_hubei(origin):
            flags.append("来自湖北")
    cleaned = _people(people, required_id=kind == Inspection.Kind.SHIP)
    fevers = [p.name for p in cleaned if p.fever]
    if fevers:
        flags.append("发热:" + "、".join(fevers))
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                checkpoint=checkpoint, kind=kind, at=now or timezone.now(), vessel_name=vessel_name.strip()[:60],
                vessel_registration=vessel_registration.strip()[:40], origin=origin.strip()[:60],
                destination=destination.strip()[:60], ports=ports, plate=parsed.plate if parsed else "",
                flagged=bool(flags), flags=flags, recorder=actor, idempotency_key=key)
            for person in cleaned:
                person.inspection = inspection
            InspectedPerson.objects.bulk_create(cleaned)
            audit.record(actor, "community.inspection", obj=inspection, unit=checkpoint, detail={"flags": flags})
            if flags:
                notify_unit(checkpoint, "community.manage", f"{checkpoint.name}检查异常:{inspection}:{';'.join(flags)}",
                            url=f"/community/inspections/{inspection.pk}/", level="danger")
    except IntegrityError:
        return Inspection.objects.get(idempotency_key=key)
    return inspection


@transaction.atomic
def refer_person(actor, person, *, reason, start_date, end_date, community=None):
    """Referral to where the person lives: a quarantine case if the registry knows the ID number,
    otherwise an alert to the chosen community to find and register them. Returns the case or the alert."""
    person = InspectedPerson.objects.select_for_update().select_related("inspection__checkpoint").get(pk=person.pk)
    access.require_perm(actor, PERM, person.inspection.checkpoint)
    if person.referred_case_id:
        raise ValidationError("此人已转介。")
    resident = None
    if person.id_hash:
        resident = Resident.objects.filter(id_hash=person.id_hash).select_related("household__compound").first()
    if resident is not None:
        # The checkpoint team acts for the receiving community here: the referral is the legal basis.
        case = open_case(actor, resident, reason, start_date, end_date, check_perm=False)
        person.referred_case = case
        person.save(update_fields=["referred_case"])
        notify_unit(case.community, "community.manage", f"检查站转介居家隔离:{resident.name}",
                    url=f"/community/quarantine/{case.pk}/", level="danger")
        return case
    if community is None or community.kind != "community":
        raise ValidationError("居民库中没有此身份证号,请选择其居住的社区。")
    alert = Alert.objects.create(kind="referral", community=community, message=(
        f"{person.inspection.checkpoint.name}转介:{person.name}({reason}),请核实住址并登记居家隔离")[:300],
        advice="请电话联系本人,核实住址后在居民库登记并开始居家隔离。")
    audit.record(actor, "community.referral", obj=alert, unit=community,
                 detail={"person": person.pk, "id_hash": hash_value("id_card", person.id_number) if person.id_number else ""})
    notify_unit(community, "community.manage", alert.message[:200], url=f"/community/alerts/{alert.pk}/", level="danger")
    return alert

