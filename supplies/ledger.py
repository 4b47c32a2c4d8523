"""The stock ledger: the only code that writes StockMove and StockBalance.

Every change locks the (unit, item) balance row first (select_for_update; on SQLite the IMMEDIATE
transaction already serialises writers), checks inside the lock, then appends moves. Outgoing stock is
taken from lots first-in first-out, one move per lot, so each unit of stock can be traced to its gift.
Callers are services that already hold a transaction and have checked the actor's rights.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from supplies.models import LotBalance, MinimumStock, StockBalance, StockMove


class InsufficientStock(Exception):
    def __init__(self, unit, item, wanted, available):
        self.unit, self.item, self.wanted, self.available = unit, item, wanted, available
        super().__init__(
            _("%(unit)s的%(item)s库存不足:需要%(wanted)s%(u)s,现有%(available)s%(u)s。")
            % {"unit": unit.name, "item": item.name, "wanted": wanted, "available": available, "u": item.unit}
        )


def _locked_balance(unit, item):
    StockBalance.objects.get_or_create(unit=unit, item=item)
    return StockBalance.objects.select_for_update().get(unit=unit, item=item)


def put(unit, item, lot, quantity, kind, *, actor=None, at=None, allocation=None, counterpart=None, note=""):
    """Stock in: one lot, a positive quantity."""
    assert transaction.get_connection().in_atomic_block, "ledger writes need the caller's transaction"
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    balance = _locked_balance(unit, item)
    move = StockMove.objects.create(unit=unit, item=item, lot=lot, kind=kind, quantity=quantity, actor=actor,
                                    at=at or timezone.now(), allocation=allocation, counterpart=counterpart,
                                    note=note[:200])
    balance.quantity += quantity
    balance.save(update_fields=["quantity"])
    lot_balance, _created = LotBalance.objects.get_or_create(unit=unit, lot=lot, defaults={"item": item})
    LotBalance.objects.filter(pk=lot_balance.pk).update(quantity=F("quantity") + quantity)
    return [move]


def lot_balances(unit, item):
    """[(lot_id, quantity)] still on hand at the unit, oldest lot first (FIFO order).
    Call with the (unit, item) balance locked."""
    rows = (LotBalance.objects.filter(unit=unit, item=item, quantity__gt=0)
            .order_by("lot__created_at", "lot_id").values_list("lot_id", "quantity"))
    return list(rows)


def take(unit, item, quantity, kind, *, actor=None, at=None, allocation=None, counterpart=None, note=""):
    """Stock out: takes `quantity` from the oldest lots first. Raises InsufficientStock, writing nothing."""
    assert transaction.get_connection().in_atomic_block, "ledger writes need the caller's transaction"
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    balance = _locked_balance(unit, item)
    if balance.quantity < quantity:
        raise InsufficientStock(unit, item, quantity, balance.quantity)
    moves, left = [], quantity
    at = at or timezone.now()
    for lot_id, on_hand in lot_balances(unit, item):
        portion = min(on_hand, left)
        moves.append(StockMove(unit=unit, item=item, lot_id=lot_id, kind=kind, quantity=-portion, actor=actor, at=at,
                               allocation=allocation, counterpart=counterpart, note=note[:200]))
        left -= portion
        if not left:
            break
    if left:  # the balance row and the ledger disagree: refuse rather than guess
        raise InsufficientStock(unit, item, quantity, quantity - left)
    StockMove.objects.bulk_create(moves)
    for move in moves:
        LotBalance.objects.filter(unit=unit, lot_id=move.lot_id).update(quantity=F("quantity") + move.quantity)
    balance.quantity -= quantity
    balance.save(update_fields=["quantity"])
    _warn_if_low(unit, item, balance.quantity)
    return moves


def _warn_if_low(unit, item, on_hand):
    minimum = MinimumStock.objects.filter(unit=unit, item=item).values_list("quantity", flat=True).first()
    if minimum is None or on_hand >= minimum:
        return
    from django.urls import reverse

    from core.notify import notify_unit

    notify_unit(unit, "supplies.manage", _("库存预警:%(unit)s %(item)s仅剩%(n)s%(u)s") % {
        "unit": unit.name, "item": item.name, "n": on_hand, "u": item.unit},
        body=_("低于最低库存%(m)s%(u)s,请及时补充。") % {"m": minimum, "u": item.unit},
        url=reverse("supplies:stock", args=[unit.code]), level="warn")


def on_hand(unit, item):
    return StockBalance.objects.filter(unit=unit, item=item).values_list("quantity", flat=True).first() or 0
