"""Every write in supplies: one function per action, each in one transaction, checked, audited, notified on commit.

Views, the API, the Excel import, admin actions and the demo loader all call these.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from core import audit
from core.notify import notify, notify_unit
from core.person import validate_phone
from supplies import ledger
from supplies.models import (
    Allocation, AllocationEvent, AllocationLine, CashSplit, Certificate, Donation, DonationLine, Donor, Need,
    NeedLine, StockLot, StockMove,
)
from supplies.validators import validate_credit_code


class InvalidTransition(Exception):
    pass


# Allocation state machine: from → to → (permission, which unit it is checked at).
ALLOCATION_TRANSITIONS = {
    Allocation.Status.IN_TRANSIT: {
        Allocation.Status.RECEIVED: ("supplies.manage", "to_unit"),
        Allocation.Status.CANCELLED: ("supplies.manage", "from_unit"),
    },
}
DONATION_TRANSITIONS = {
    Donation.Status.PLEDGED: {
        Donation.Status.RECEIVED: ("supplies.manage", "received_by"),
        Donation.Status.CANCELLED: ("supplies.manage", "received_by"),
    },
}


def available_transitions(user, obj, table):
    result = []
    for target, (perm, unit_field) in table.get(obj.status, {}).items():
        if access.has_perm(user, perm, getattr(obj, unit_field)):
            result.append(target)
    return result


def _check_transition(user, obj, table, target):
    allowed = table.get(obj.status, {})
    if target not in allowed:
        raise InvalidTransition(_("当前状态“%(s)s”不能执行此操作。") % {"s": obj.get_status_display()})
    perm, unit_field = allowed[target]
    access.require_perm(user, perm, getattr(obj, unit_field))


def _create_coded(model, prefix, at, **fields):
    """Create a row whose human code is prefix + local date + primary key (QZ202002040012).

    Counting today's rows would race between two simultaneous writers (a duplicate-key error on PostgreSQL);
    the primary key is already unique, so the code is set from it right after the insert."""
    obj = model.objects.create(code=f"tmp-{secrets.token_hex(6)}", **fields)
    obj.code = f"{prefix}{timezone.localtime(at):%Y%m%d}{obj.pk:04d}"
    obj.save(update_fields=["code"])
    return obj


def _positive_int(value, label):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(f)s须为整数。") % {"f": label}) from None
    if number <= 0:
        raise ValidationError(_("%(f)s须大于0。") % {"f": label})
    return number


def _merge_lines(lines):
    """[(item, qty)] → one line per item (two rows of masks are one line of masks)."""
    merged = {}
    for item, qty in lines:
        qty = _positive_int(qty, _("数量"))
        merged[item] = merged.get(item, 0) + qty
    if not merged:
        raise ValidationError(_("请至少填写一种物资。"))
    return merged


# ---- needs -------------------------------------------------------------------------------------------------

@transaction.atomic
def post_need(actor, unit, title, lines, *, urgency=Need.Urgency.URGENT, deadline=None,
              visibility=Need.Visibility.INTERNAL, description="", contact="", now=None):
    """A unit asks for supplies. lines: [(Item, quantity)]."""
    access.require_perm(actor, "supplies.request", unit)
    now = now or timezone.now()
    merged = _merge_lines(lines)
    need = _create_coded(Need, "QZ", now, unit=unit, title=title.strip() or _("物资求助"),
                               description=description, urgency=urgency, deadline=deadline, visibility=visibility,
                               contact=contact, posted_by=actor, posted_at=now)
    NeedLine.objects.bulk_create([NeedLine(need=need, item=item, quantity=qty) for item, qty in merged.items()])
    audit.record(actor, "supplies.need_posted", obj=need, unit=unit,
                 detail={"lines": {item.name: qty for item, qty in merged.items()}})
    street = unit.street
    if street and street.pk != unit.pk:
        notify_unit(street, "supplies.manage", _("%(unit)s发布物资求助:%(t)s") % {"unit": unit.name, "t": need.title},
                    url=reverse("supplies:need_detail", args=[need.code]),
                    level="warn" if urgency != Need.Urgency.NORMAL else "info")
    return need


@transaction.atomic
def close_need(actor, need, now=None):
    need = Need.objects.select_for_update().get(pk=need.pk)
    access.require_perm(actor, "supplies.request", need.unit)
    if need.closed_at:
        raise InvalidTransition(_("该求助已关闭。"))
    need.closed_at = now or timezone.now()
    need.save(update_fields=["closed_at"])
    audit.record(actor, "supplies.need_closed", obj=need, unit=need.unit)
    return need


# ---- donors and donations ----------------------------------------------------------------------------------

@dataclass
class Split:
    purpose: str
    amount: Decimal
    recipient_unit: object = None
    recipient_name: str = ""


def find_or_create_donor(kind, name, *, credit_code="", title="", title_detail="", phone="", contact_name="",
                         consent_public=False):
    """Organisations are matched by credit code (else by name), people by name and phone."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写捐赠方名称。"))
    if kind not in Donor.Kind.values:
        raise ValidationError(_("捐赠方类型无效。"))
    if credit_code:
        if kind != Donor.Kind.ORGANISATION:
            raise ValidationError(_("个人捐赠方不填统一社会信用代码。"))
        credit_code = validate_credit_code(credit_code)
    if phone:
        phone = validate_phone(phone)
    donor = None
    if credit_code:
        donor = Donor.objects.filter(credit_code=credit_code).first()
    elif kind == Donor.Kind.ORGANISATION:
        donor = Donor.objects.filter(kind=kind, name=name, credit_code="").first()
    else:
        donor = next((d for d in Donor.objects.filter(kind=kind, name=name) if d.phone == phone), None)
    if donor is None:
        donor = Donor.objects.create(kind=kind, name=name, credit_code=credit_code, title=title,
                                     title_detail=title_detail, phone=phone, contact_name=contact_name,
                                     consent_public=consent_public)
    else:  # the latest word on titles and consent wins
        donor.title, donor.title_detail = title or donor.title, title_detail or donor.title_detail
        donor.consent_public = consent_public
        donor.phone = phone or donor.phone
        donor.contact_name = contact_name or donor.contact_name
        donor.save()
    return donor


def check_splits(amount, splits):
    """Designated splits must add up to the amount exactly (Decimal, to the fen)."""
    if amount is None or amount <= 0:
        raise ValidationError(_("捐款金额须大于0。"))
    for split in splits:
        if split.amount is None or split.amount <= 0:
            raise ValidationError(_("每项定向用途的金额须大于0。"))
        if not split.purpose.strip():
            raise ValidationError(_("请填写定向用途。"))
        if not split.recipient_unit and not split.recipient_name.strip():
            raise ValidationError(_("请填写“%(p)s”的受赠方。") % {"p": split.purpose})
    total = sum((s.amount for s in splits), Decimal("0"))
    if splits and total != amount:
        raise ValidationError(_("定向用途合计%(t)s元,与捐款金额%(a)s元不一致,相差%(d)s元。") % {
            "t": f"{total:,.2f}", "a": f"{amount:,.2f}", "d": f"{amount - total:,.2f}"})


@transaction.atomic
def record_donation(actor, donor, received_by, *, lines=(), amount=None, splits=(), needs=(), received=True,
                    note="", now=None):
    """A gift in kind (lines: [(Item, quantity, estimated_value or None)]) or in cash (amount, splits).

    received=True books it straight into stock (the usual case: the goods are on the table);
    received=False records a pledge, booked by receive_donation() when it arrives.
    """
    access.require_perm(actor, "supplies.manage", received_by)
    now = now or timezone.now()
    if bool(lines) == (amount is not None):
        raise ValidationError(_("一笔捐赠要么是实物(物资明细),要么是资金(金额),不能都填或都不填。"))
    if amount is not None:
        amount = Decimal(amount)
        check_splits(amount, list(splits))
    kind = Donation.Kind.IN_KIND if lines else Donation.Kind.CASH
    donation = _create_coded(Donation, "JZ", now, donor=donor, kind=kind,
                                       received_by=received_by, amount=amount, note=note, pledged_at=now,
                                       recorded_by=actor)
    seen = set()
    for item, qty, value in lines:
        if item.pk in seen:
            raise ValidationError(_("物资“%(i)s”重复填写,请合并为一行。") % {"i": item.name})
        seen.add(item.pk)
        if value is not None and Decimal(value) < 0:
            raise ValidationError(_("估值不能为负数。"))
        DonationLine.objects.create(donation=donation, item=item, quantity=_positive_int(qty, _("数量")),
                                    estimated_value=value)
    CashSplit.objects.bulk_create([CashSplit(donation=donation, purpose=s.purpose.strip(), amount=s.amount,
                                             recipient_unit=s.recipient_unit, recipient_name=s.recipient_name.strip())
                                   for s in splits])
    for need in needs:
        if need.visibility != Need.Visibility.PUBLIC and not access.has_perm(actor, "supplies.view", need.unit):
            raise ValidationError(_("求助%(c)s不在您的管辖范围内。") % {"c": need.code})
    donation.needs.set(needs)
    audit.record(actor, "supplies.donation_recorded", obj=donation, unit=received_by,
                 detail={"donor": donor.name, "summary": donation.summary()})
    if received:
        _receive(actor, donation, now)
    for need in needs:
        notify_unit(need.unit, "supplies.request", _("%(d)s响应了求助“%(t)s”") % {"d": donor.public_name, "t": need.title},
                    url=reverse("supplies:need_detail", args=[need.code]))
    return donation


def _receive(actor, donation, now):
    for line in donation.lines.select_related("item").order_by("item_id"):  # fixed lock order: no deadlocks
        lot = StockLot.objects.create(code=f"{donation.code}-{line.pk}", item=line.item,
                                      source=StockLot.Source.DONATION, donation_line=line, quantity=line.quantity,
                                      first_unit=donation.received_by, created_at=now)
        ledger.put(donation.received_by, line.item, lot, line.quantity, StockMove.Kind.DONATION_IN, actor=actor,
                   at=now, note=_("%(d)s捐赠") % {"d": donation.donor.name})
    donation.status, donation.received_at = Donation.Status.RECEIVED, now
    donation.save(update_fields=["status", "received_at"])
    audit.record(actor, "supplies.donation_received", obj=donation, unit=donation.received_by)


@transaction.atomic
def receive_donation(actor, donation, now=None):
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    _check_transition(actor, donation, DONATION_TRANSITIONS, Donation.Status.RECEIVED)
    _receive(actor, donation, now or timezone.now())
    return donation


@transaction.atomic
def cancel_donation(actor, donation, now=None):
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    _check_transition(actor, donation, DONATION_TRANSITIONS, Donation.Status.CANCELLED)
    donation.status = Donation.Status.CANCELLED
    donation.save(update_fields=["status"])
    audit.record(actor, "supplies.donation_cancelled", obj=donation, unit=donation.received_by)
    return donation


# ---- stock -------------------------------------------------------------------------------------------------

@transaction.atomic
def record_purchase(actor, unit, item, quantity, supplier="", now=None):
    access.require_perm(actor, "supplies.manage", unit)
    now = now or timezone.now()
    quantity = _positive_int(quantity, _("数量"))
    lot = _create_coded(StockLot, "CG", now, item=item, source=StockLot.Source.PURCHASE,
                                  supplier=supplier, quantity=quantity, first_unit=unit, created_at=now)
    ledger.put(unit, item, lot, quantity, StockMove.Kind.PURCHASE_IN, actor=actor, at=now, note=supplier)
    audit.record(actor, "supplies.purchase", obj=lot, unit=unit, detail={"item": item.name, "quantity": quantity})
    return lot


@transaction.atomic
def consume(actor, unit, item, quantity, kind=StockMove.Kind.DISTRIBUTION, note="", now=None):
    """Goods leave the system: handed to people (distribution) or used up at the unit (use)."""
    if kind not in (StockMove.Kind.DISTRIBUTION, StockMove.Kind.USE):
        raise ValidationError(_("出库类型无效。"))
    access.require_perm(actor, "supplies.manage", unit)
    quantity = _positive_int(quantity, _("数量"))
    moves = ledger.take(unit, item, quantity, kind, actor=actor, at=now, note=note)
    audit.record(actor, f"supplies.{kind}", unit=unit, detail={"item": item.name, "quantity": quantity, "note": note})
    return moves


@transaction.atomic
def allocate(actor, from_unit, to_unit, lines, *, need=None, note="", now=None):
    """Send goods from one unit's stock to another (a street to a community). lines: [(Item, quantity)].
    The goods leave the sender now and reach the receiver when it confirms receipt."""
    access.require_perm(actor, "supplies.manage", from_unit)
    if from_unit.pk == to_unit.pk:
        raise ValidationError(_("调出和调入单位不能相同。"))
    if need is not None and need.unit_id != to_unit.pk:
        raise ValidationError(_("所选求助不是调入单位发布的。"))
    now = now or timezone.now()
    merged = _merge_lines(lines)
    allocation = _create_coded(Allocation, "DB", now, from_unit=from_unit,
                                           to_unit=to_unit, need=need, note=note, created_by=actor, created_at=now)
    AllocationLine.objects.bulk_create([AllocationLine(allocation=allocation, item=i, quantity=q)
                                        for i, q in merged.items()])
    # Lock balances in a fixed order so two allocations of the same items cannot deadlock.
    for item in sorted(merged, key=lambda i: i.pk):
        ledger.take(from_unit, item, merged[item], StockMove.Kind.ALLOCATION_OUT, actor=actor, at=now,
                    allocation=allocation, counterpart=to_unit, note=note)
    AllocationEvent.objects.create(allocation=allocation, to_status=allocation.status, actor=actor, at=now)
    audit.record(actor, "supplies.allocated", obj=allocation, unit=from_unit,
                 detail={"to": to_unit.code, "lines": {i.name: q for i, q in merged.items()}})
    notify_unit(to_unit, "supplies.manage", _("%(f)s调拨物资给您单位,请签收") % {"f": from_unit.name},
                body="、".join(f"{i.name}{q}{i.unit}" for i, q in merged.items()),
                url=reverse("supplies:allocation_detail", args=[allocation.code]))
    return allocation


def _move_allocated(allocation, unit, kind, actor, now):
    """Re-book the allocation's outgoing moves, lot by lot, into `unit`."""
    for out in allocation.moves.filter(kind=StockMove.Kind.ALLOCATION_OUT).select_related("lot", "item"):
        ledger.put(unit, out.item, out.lot, -out.quantity, kind, actor=actor, at=now, allocation=allocation,
                   counterpart=allocation.from_unit if kind == StockMove.Kind.ALLOCATION_IN else allocation.to_unit)


@transaction.atomic
def confirm_allocation(actor, allocation, now=None, note=""):
    allocation = Allocation.objects.select_for_update().select_related("from_unit", "to_unit").get(pk=allocation.pk)
    _check_transition(actor, allocation, ALLOCATION_TRANSITIONS, Allocation.Status.RECEIVED)
    now = now or timezone.now()
    _move_allocated(allocation, allocation.to_unit, StockMove.Kind.ALLOCATION_IN, actor, now)
    return _set_allocation_status(actor, allocation, Allocation.Status.RECEIVED, now, note)


@transaction.atomic
def cancel_allocation(actor, allocation, now=None, note=""):
    """The sender takes back goods still in transit; they return to its stock with their lots."""
    allocation = Allocation.objects.select_for_update().select_related("from_unit", "to_unit").get(pk=allocation.pk)
    _check_transition(actor, allocation, ALLOCATION_TRANSITIONS, Allocation.Status.CANCELLED)
    now = now or timezone.now()
    _move_allocated(allocation, allocation.from_unit, StockMove.Kind.ALLOCATION_RETURN, actor, now)
    return _set_allocation_status(actor, allocation, Allocation.Status.CANCELLED, now, note)


def _set_allocation_status(actor, allocation, target, now, note):
    before = allocation.status
    allocation.status = target
    if target == Allocation.Status.RECEIVED:
        allocation.received_by, allocation.received_at = actor, now
    allocation.save()
    AllocationEvent.objects.create(allocation=allocation, from_status=before, to_status=target, actor=actor, at=now,
                                   note=note[:200])
    audit.record(actor, f"supplies.allocation_{target}", obj=allocation, unit=allocation.to_unit)
    if allocation.created_by_id and allocation.created_by_id != actor.pk:
        notify([allocation.created_by], _("调拨单%(c)s:%(s)s") % {"c": allocation.code, "s": allocation.get_status_display()},
               url=reverse("supplies:allocation_detail", args=[allocation.code]))
    return allocation


# ---- certificates ------------------------------------------------------------------------------------------

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone


def new_certificate_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


@transaction.atomic
def issue_certificate(actor, donation, *, issuer=None, now=None):
    donation = Donation.objects.select_for_update().select_related("donor", "received_by").get(pk=donation.pk)
    access.require_perm(actor, "supplies.manage", donation.received_by)
    if donation.status != Donation.Status.RECEIVED:
        raise InvalidTransition(_("捐赠接收后才能颁发荣誉证书。"))
    existing = Certificate.objects.filter(donation=donation).first()
    if existing:
        return existing
    now = now or timezone.now()
    donor = donation.donor
    local = timezone.localtime(now)
    citation = _("在新型冠状病毒感染的肺炎疫情防控工作中,慷慨捐赠%(what)s,支援%(unit)s抗击疫情,"
                 "体现了守望相助、共克时艰的大爱情怀。特发此证,以表谢忱。") % {
        "what": donation.summary(), "unit": donation.received_by.name}
    district = donation.received_by.ancestors()[0]
    cert = Certificate.objects.create(
        code=new_certificate_code(), donation=donation, donor_name=donor.name, citation=citation,
        issuer=issuer or _("%(d)s新型冠状病毒感染的肺炎疫情防控工作指挥部") % {"d": district.name},
        issued_at=local, issued_by=actor)
    audit.record(actor, "supplies.certificate_issued", obj=cert, unit=donation.received_by)
    return cert


@transaction.atomic
def revoke_certificate(actor, certificate, now=None):
    certificate = Certificate.objects.select_for_update().select_related("donation__received_by").get(
        pk=certificate.pk)
    access.require_perm(actor, "supplies.manage", certificate.donation.received_by)
    if certificate.revoked_at:
        raise InvalidTransition(_("该证书已作废。"))
    certificate.revoked_at = now or timezone.now()
    certificate.save(update_fields=["revoked_at"])
    audit.record(actor, "supplies.certificate_revoked", obj=certificate, unit=certificate.donation.received_by)
    return certificate
