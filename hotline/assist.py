"""Triage help on the hotline screens: where an order's address belongs, probable duplicates, and the
dispatch suggestion. Every call is best-effort: triage is advice, so a failure there is logged and the
screen goes on without it (an operator must never be blocked by the helper)."""

import logging

from hotline import selectors
from hotline.models import State
from places.models import OrgUnit

log = logging.getLogger(__name__)


def place_of(order):
    """→ {"street": OrgUnit|None, "community_code": str|None, "reason": str} for the order's address.
    A dispatched order has its street (street_path); otherwise the router reads the address."""
    from triage.router import OK, STREET_ONLY, route

    street = community_code = None
    reason, names = "", []
    try:
        routed = route(order.address) if order.address else None
    except Exception:  # noqa: BLE001 — advice only
        log.exception("triage route failed for order %s", order.pk)
        routed = None
    if routed and routed.status in (OK, STREET_ONLY):
        street = OrgUnit.objects.filter(code=routed.street[0]).first() if routed.street else None
        community_code = routed.community[0] if routed.community else None
        reason = routed.reason
        names = [value[1] for value in (routed.compound, routed.community) if value]
    if order.street_path and (street is None or street.path != order.street_path):
        # The dispatcher's choice outranks the router: the address names a place of another street.
        street = OrgUnit.objects.filter(path=order.street_path).first() or street
        community_code, names = None, []
    if order.community_id:
        community_code = order.community.code
    return {"street": street, "community_code": community_code, "reason": reason, "names": names}


def duplicates(user, order, place=None, days=selectors.DUPLICATE_DAYS, limit=5):
    """Probably the same matter: [{"order", "score", "reason", "same_place"}], best first."""
    from triage import duplicates as dup

    if order.state not in (State.PENDING_DISPATCH, State.PENDING_ACCEPT, State.HANDLING):
        return []
    place = place or place_of(order)
    street = place["street"]
    if street is None:
        return []
    try:
        candidates = selectors.duplicate_candidates(user, street.path, exclude=order.pk, days=days)
        code, names = place["community_code"], place.get("names") or []
        if code and names:
            # Orders dispatched to the street have no community yet: their address naming the same compound
            # or community is as good (a string test, not a routing per candidate).
            for row in candidates:
                if not row["community_code"] and any(n in (row["address"] or "") for n in names):
                    row["community_code"] = code
        found = dup.find(order.content, place["community_code"], candidates, days=days, limit=limit)
    except Exception:  # noqa: BLE001
        log.exception("duplicate search failed for order %s", order.pk)
        return []
    orders = {o.pk: o for o in selectors.orders(user).filter(pk__in=[f["id"] for f in found])}
    return [{**f, "order": orders[f["id"]]} for f in found if f["id"] in orders]


def dispatch_suggestion(order, place=None):
    """The unit the dispatch form should preselect: the street for 属地 categories, else the department of the
    派单目录. → {"unit": OrgUnit|None, "hint": str} (unit None: show the hint only)."""
    from triage.classify import department_for

    place = place or place_of(order)
    street = place["street"]
    try:
        found = department_for(order.category.code, street=street)
    except Exception:  # noqa: BLE001
        log.exception("dispatch suggestion failed for order %s", order.pk)
        return {"unit": None, "hint": ""}
    if found is None:
        if street is not None:
            return {"unit": None, "hint": f"地址属于{street.name}({place['reason']})"}
        return {"unit": None, "hint": ""}
    unit = OrgUnit.objects.filter(code=found["code"], active=True).first()
    return {"unit": unit, "hint": found["reason"]}
