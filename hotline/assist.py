"""Triage help on the hotline screens: where an order's address belongs, probable duplicates, and the
dispatch suggestion. Every call is best-effort: triage is advice, so a failure there is logged and the
screen goes on without it (an operator must never be blocked by the helper)."""

import logging

from hotline import selectors
from hotline.models import State
from places.models import OrgUnit

log = logging.getLogger(__name__)


def routed_paths(address, units=None):
    """→ (street_path, community_path) of an address as the triage router reads it; "" where not known.
    units: {code: path} to skip the lookup (the backfill passes the whole tree). Never raises."""
    from triage.router import OK, STREET_ONLY, route

    if not (address or "").strip():
        return "", ""
    try:
        routed = route(address)
        if routed.status not in (OK, STREET_ONLY) or not routed.street:
            return "", ""
        codes = [routed.street[0]] + ([routed.community[0]] if routed.community else [])
        if units is None:
            units = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "path"))
        street = units.get(routed.street[0], "")
        community = units.get(routed.community[0], "") if routed.community else ""
        return street, (community if street and community.startswith(street) else "")
    except Exception:  # noqa: BLE001 — advice only
        log.exception("triage route failed for address %r", address[:60])
        return "", ""


def backfill_duplicate_keys(model=None, route=True, batch=1000, stdout=None):
    """Fill routed_*_path, dup_*_path and dup_shingles of the open orders (closed ones are never duplicate
    candidates and get theirs when they are saved again). model: WorkOrder or a migration's historical model;
    route=False: only the dispatcher's street/community (no router, e.g. while the triage tables are missing).
    → number of orders updated"""
    from hotline.models import OPEN_STATES, WorkOrder, duplicate_keys
    from triage.duplicates import shingle_text

    model = model or WorkOrder
    units = dict(OrgUnit.objects.values_list("code", "path")) if route else {}
    ids = list(model.objects.filter(state__in=OPEN_STATES).order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch):
        rows = list(model.objects.filter(pk__in=ids[start:start + batch]).only(
            "id", "state", "address", "content", "street_path", "community_path"))
        for row in rows:
            row.routed_street_path, row.routed_community_path = (
                routed_paths(row.address, units) if route else ("", ""))
            row.dup_street_path, row.dup_community_path = duplicate_keys(
                row.state, row.street_path, row.community_path, row.routed_street_path, row.routed_community_path)
            row.dup_shingles = shingle_text(row.content or "")
        model.objects.bulk_update(rows, ["routed_street_path", "routed_community_path", "dup_street_path",
                                         "dup_community_path", "dup_shingles"], batch_size=200)
        done += len(rows)
        if stdout is not None:
            stdout.write(f"  … {done}/{len(ids)}\n")
    return done


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


def similar_open_orders(user, text, *, street_path="", community_path="", exclude=None, days=selectors.DUPLICATE_DAYS,
                        now=None, limit=5):
    """Probably the same matter as `text` at that place: open orders of the community (of the street when the
    community is not known), newest first and bounded, scored by triage.duplicates.find.
    → [{"id", "number", "score", "text_similarity", "same_place", "reason"}], best first. Never raises."""
    from triage import duplicates as dup

    if not (community_path or street_path) or not (text or "").strip():
        return []
    try:
        candidates = selectors.duplicate_candidates(user, street_path, community_path=community_path,
                                                    exclude=exclude, days=days, now=now)
        numbers = {row["id"]: row["number"] for row in candidates}
        code = community_path.rstrip("/").rsplit("/", 1)[-1] if community_path else None
        found = dup.find(text, code, candidates, days=days, now=now, limit=limit, same_street=bool(street_path))
    except Exception:  # noqa: BLE001
        log.exception("duplicate search failed")
        return []
    return [{**f, "number": numbers[f["id"]]} for f in found]


def intake_suggestion(user, content, address, now=None):
    """triage.services.suggest for an order about to be taken, duplicates included (what `user` may see).
    → the suggestion dict, or None when triage failed (logged; intake goes on without it)."""
    from triage.services import suggest

    try:
        return suggest((content or "")[:4000], (address or "")[:300], user=user, now=now)
    except Exception:  # noqa: BLE001 — advice only
        log.exception("triage suggestion failed at intake")
        return None


def duplicate_keys_of(order):
    """(street_path, community_path) the duplicate search uses for an order: the stored keys, or for an order
    taken before they existed (not backfilled yet) the same rule on its routed address."""
    from hotline.models import duplicate_keys

    if order.dup_street_path or order.dup_community_path:
        return order.dup_street_path or "", order.dup_community_path or ""
    street, community = duplicate_keys(order.state, order.street_path, order.community_path,
                                       *routed_paths(order.address))
    return street or "", community or ""


def duplicates(user, order, days=selectors.DUPLICATE_DAYS, limit=5):
    """Probably the same matter as an open order: [{"order", "score", "reason", "same_place", …}], best first."""
    if order.state not in (State.PENDING_DISPATCH, State.PENDING_ACCEPT, State.HANDLING):
        return []
    street, community = duplicate_keys_of(order)
    found = similar_open_orders(user, order.content, street_path=street, community_path=community,
                                exclude=order.pk, days=days, limit=limit)
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
