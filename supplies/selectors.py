"""Reads for supplies, scoped to the user through accounts.access (outside = 404 / not listed)."""

from collections import defaultdict

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext

from accounts import access
from places.models import OrgUnit
from supplies.models import (
    Allocation, AllocationLine, Donation, Fill, LotBalance, MinimumStock, Need, StockBalance, StockLot, StockMove,
    fill_of,
)


# Most urgent first on the board; within a rank, newest first.
URGENCY_RANK = Case(When(urgency=Need.Urgency.CRITICAL, then=Value(0)), When(urgency=Need.Urgency.URGENT, then=Value(1)),
                    default=Value(2), output_field=IntegerField())


def needs_for(user, *, open_only=True, unit=None, q=""):
    qs = access.scope(user, Need.objects.select_related("unit", "posted_by"), "supplies.view")
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q) | Q(unit__name__icontains=q))
    return qs.order_by(URGENCY_RANK, "-posted_at").prefetch_related("lines__item")


def public_needs():
    return (Need.objects.filter(visibility=Need.Visibility.PUBLIC, closed_at__isnull=True)
            .select_related("unit").order_by(URGENCY_RANK, "-posted_at").prefetch_related("lines__item"))


def unmet_need_count(user, limit=500):
    """Open needs not yet fully received (the home tile)."""
    needs = attach_progress(needs_for(user)[:limit])
    return sum(1 for need in needs if need.received_fill != Fill.COMPLETE)


def attach_progress(needs):
    """Sets need.progress (one row per line) and need.pledged_fill / need.received_fill on each need,
    in three queries for the whole page."""
    needs = list(needs)
    ids = [n.pk for n in needs]
    pledged, received = defaultdict(int), defaultdict(int)
    through = Donation.needs.through.objects.filter(
        need_id__in=ids, donation__status__in=[Donation.Status.PLEDGED, Donation.Status.RECEIVED])
    for row in through.values("need_id", "donation__lines__item_id", "donation__status").annotate(
            q=Sum("donation__lines__quantity")):
        key = (row["need_id"], row["donation__lines__item_id"])
        pledged[key] += row["q"] or 0
        if row["donation__status"] == Donation.Status.RECEIVED:
            received[key] += row["q"] or 0
    lines = AllocationLine.objects.filter(allocation__need_id__in=ids).exclude(
        allocation__status=Allocation.Status.CANCELLED)
    for row in lines.values("allocation__need_id", "item_id", "allocation__status").annotate(q=Sum("quantity")):
        key = (row["allocation__need_id"], row["item_id"])
        pledged[key] += row["q"]
        if row["allocation__status"] == Allocation.Status.RECEIVED:
            received[key] += row["q"]
    for need in needs:
        need.progress = []
        for line in need.lines.all():
            key = (need.pk, line.item_id)
            p, r = min(pledged[key], line.quantity), min(received[key], line.quantity)
            need.progress.append({"item": line.item, "requested": line.quantity, "pledged": pledged[key],
                                  "received": received[key], "pledged_fill": fill_of(p, line.quantity),
                                  "received_fill": fill_of(r, line.quantity),
                                  "percent": int(100 * r / line.quantity) if line.quantity else 0})
        need.pledged_fill = _overall([row["pledged_fill"] for row in need.progress])
        need.received_fill = _overall([row["received_fill"] for row in need.progress])
    return needs


def _overall(fills):
    if fills and all(f == Fill.COMPLETE for f in fills):
        return Fill.COMPLETE
    if any(f != Fill.NONE for f in fills):
        return Fill.PARTIAL
    return Fill.NONE


def donations_for(user, *, q="", kind=""):
    qs = access.scope(user, Donation.objects.select_related("donor", "received_by"), "supplies.view")
    if q:
        qs = qs.filter(Q(donor__name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.prefetch_related("lines__item", "splits__recipient_unit")


def stock_units(user):
    """Units the user may look at stock for: their units and every unit below holding stock."""
    tops = access.units(user, "supplies.view")
    paths = [u.path for u in tops]
    holding = OrgUnit.objects.filter(
        pk__in=StockBalance.objects.filter(quantity__gt=0).values("unit_id"))
    if not access.is_unrestricted(user):
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(path__startswith=path)
        holding = holding.filter(q)
    return tops, list(holding.exclude(pk__in=[u.pk for u in tops]))


def stock_of(unit):
    """[{item, quantity, minimum, low}] for a unit, items with stock or a minimum."""
    balances = {b.item_id: b for b in StockBalance.objects.filter(unit=unit).select_related("item")}
    minimums = {m.item_id: m for m in MinimumStock.objects.filter(unit=unit).select_related("item")}
    rows = []
    for item_id in set(balances) | set(minimums):
        balance, minimum = balances.get(item_id), minimums.get(item_id)
        item = (balance or minimum).item
        qty = balance.quantity if balance else 0
        if not qty and not minimum:
            continue
        rows.append({"item": item, "quantity": qty, "minimum": minimum.quantity if minimum else None,
                     "low": bool(minimum and qty < minimum.quantity)})
    return sorted(rows, key=lambda r: (r["item"].sort, r["item"].name))


def in_transit_to(unit):
    return Allocation.objects.filter(to_unit=unit, status=Allocation.Status.IN_TRANSIT).select_related("from_unit")


def ledger_of(unit, item=None):
    qs = StockMove.objects.filter(unit=unit).select_related("item", "lot", "counterpart", "actor", "allocation")
    if item is not None:
        qs = qs.filter(item=item)
    return qs.order_by("-at", "-id")


def lots_at(unit):
    """Lots with stock left at the unit: [{lot, quantity}], oldest first (the order they will be used)."""
    left = dict(LotBalance.objects.filter(unit=unit, quantity__gt=0).values_list("lot_id", "quantity"))
    lots = StockLot.objects.filter(pk__in=left).select_related(
        "item", "donation_line__donation__donor").order_by("created_at", "id")
    return [{"lot": lot, "quantity": left[lot.pk]} for lot in lots]


def lot_trace(lot):
    """Where a lot went: every move, where it is now (per unit), and what is in transit."""
    moves = list(lot.moves.select_related("unit", "counterpart", "allocation").order_by("at", "id"))
    holdings = defaultdict(int)
    for move in moves:
        holdings[move.unit] += move.quantity
    transit = 0
    for move in moves:
        if move.kind == StockMove.Kind.ALLOCATION_OUT and move.allocation.status == Allocation.Status.IN_TRANSIT:
            transit -= move.quantity
    used = -sum(m.quantity for m in moves if m.kind in (StockMove.Kind.DISTRIBUTION, StockMove.Kind.USE))
    return {"lot": lot, "moves": moves, "holdings": [(u, q) for u, q in holdings.items() if q > 0],
            "in_transit": transit, "used": used}


def donation_trace(donation):
    lots = StockLot.objects.filter(donation_line__donation=donation).select_related("item")
    return [lot_trace(lot) for lot in lots]


def allocations_for(user, *, status="", unit=None):
    qs = access.scope(user, Allocation.objects.select_related("from_unit", "to_unit", "need"), "supplies.view")
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(Q(from_unit=unit) | Q(to_unit=unit))
    return qs.prefetch_related("lines__item")


def thanks_list():
    """Public thank-you list: received gifts of donors who agreed to be thanked by name."""
    donations = (Donation.objects.filter(status=Donation.Status.RECEIVED, donor__consent_public=True)
                 .select_related("donor", "received_by").prefetch_related("lines__item").order_by("received_at"))
    anonymous = Donation.objects.filter(status=Donation.Status.RECEIVED, donor__consent_public=False).aggregate(
        n=Count("donor", distinct=True))["n"]
    return donations, anonymous


def low_stock_count(user):
    rows = 0
    for unit in access.units(user, "supplies.manage"):
        rows += sum(1 for row in stock_of(unit) if row["low"])
    return rows


def dashboard_summary(unit, now=None):
    """Tiles for the reports dashboard of `unit`: items in stock and items below their minimum."""
    from django.urls import reverse

    rows = stock_of(unit)
    low = sum(1 for r in rows if r["low"])
    url = reverse("supplies:stock", args=[unit.code])
    return [
        {"title": gettext("库存品类"), "value": sum(1 for r in rows if r["quantity"]), "url": url, "tone": ""},
        {"title": gettext("低于最低库存"), "value": low, "url": url, "tone": "danger" if low else "ok"},
    ]
