"""Reads, always scoped to the user's jurisdiction through accounts.access.

Queues are prefix tests on the order's denormalised path columns plus a state, ordered by an indexed
column, so a page costs the same at 10,000 or 10,000,000 orders.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.fields import hash_value
from hotline.models import OPEN_STATES, UNIT_STATES, KnowledgeEntry, State, WorkOrder

LIST_RELATED = ("category", "lead_unit", "community")


def orders(user, perm="hotline.view"):
    return access.scope(user, WorkOrder.objects.select_related(*LIST_RELATED), perm)


def _paths_q(user, perm, *columns):
    q = Q(pk__in=[])
    if access.is_unrestricted(user):
        return ~q
    for path in access.jurisdiction_paths(user, perm):
        for column in columns:
            q |= Q(**{f"{column}__startswith": path})
    return q


LEAD_KINDS = ("street", "zone", "department")  # the kinds an order can be dispatched to (forms.dispatch_units)


def _exact_paths(user, perm, kinds):
    """The paths of the units of `kinds` inside the user's jurisdiction for `perm`. Queues compare the
    order's path columns to these exactly (IN), so an index on (path, state, reply_due) serves them in
    order without a sort, whatever the total number of orders."""
    from places.models import OrgUnit

    q = Q(pk__in=[])
    for path in access.jurisdiction_paths(user, perm):
        q |= Q(path__startswith=path)
    if access.is_unrestricted(user):
        q = Q()
    return list(OrgUnit.objects.filter(q, kind__in=kinds).values_list("path", flat=True))


def _platform(user, perm, states):
    return WorkOrder.objects.select_related(*LIST_RELATED).filter(_paths_q(user, perm, "platform_path"),
                                                                  state__in=states)


def dispatch_queue(user):
    return _platform(user, "hotline.dispatch", [State.PENDING_DISPATCH]).order_by("reply_due", "id")


def review_queue(user):
    return _platform(user, "hotline.review", [State.PENDING_REVIEW]).order_by("reply_due", "id")


def callback_queue(user):
    return _platform(user, "hotline.callback", [State.PENDING_CALLBACK]).order_by("replied_at", "id")


def extension_queue(user):
    return _platform(user, "hotline.decide_extension", [State.HANDLING]).filter(
        extension_until__isnull=False).order_by("reply_due", "id")


def red_list(user):
    """Orders past their deadline (marked red by the worker), for supervisors."""
    # warning is cleared when an order leaves the unit (WorkOrder.denormalise): no state test, no sort.
    return WorkOrder.objects.select_related(*LIST_RELATED).filter(
        _paths_q(user, "hotline.supervise", "platform_path"), warning="red").order_by("reply_due", "id")


def overdue(user, now=None):
    now = now or timezone.now()
    return _platform(user, "hotline.supervise", UNIT_STATES).filter(reply_due__lt=now).order_by("reply_due", "id")


def inbox(user):
    """A unit's orders to accept or in hand (lead unit), most urgent first."""
    return WorkOrder.objects.select_related(*LIST_RELATED).filter(
        lead_path__in=_exact_paths(user, "hotline.accept", LEAD_KINDS), unit_open=1,  # 待签收 or 办理中
    ).order_by("reply_due", "id")


def tasks(user):
    """Orders the user may reply to: sub-dispatched to their community, or in hand at their unit."""
    q = Q(community_path__in=_exact_paths(user, "hotline.reply", ("community",)))
    if not access.roles_in(user) <= {"community_worker"}:
        q |= Q(lead_path__in=_exact_paths(user, "hotline.reply", LEAD_KINDS))
    return WorkOrder.objects.select_related(*LIST_RELATED).filter(q, state=State.HANDLING).order_by("reply_due", "id")


def signoff_queue(user):
    return WorkOrder.objects.select_related(*LIST_RELATED).filter(
        lead_path__in=_exact_paths(user, "hotline.signoff", LEAD_KINDS), state=State.PENDING_SIGNOFF,
    ).order_by("reply_due", "id")


QUEUES = {
    "dispatch": (_("待派单"), dispatch_queue, "hotline.dispatch"),
    "inbox": (_("本单位待办"), inbox, "hotline.accept"),
    "tasks": (_("我的任务"), tasks, "hotline.reply"),
    "signoff": (_("待签发"), signoff_queue, "hotline.signoff"),
    "review": (_("待审核"), review_queue, "hotline.review"),
    "callback": (_("待回访"), callback_queue, "hotline.callback"),
    "extensions": (_("延期审批"), extension_queue, "hotline.decide_extension"),
    "red": (_("红牌超期"), red_list, "hotline.supervise"),
    "overdue": (_("已超期"), overdue, "hotline.supervise"),
}


def queue_names(user):
    return [(key, label) for key, (label, _fn, perm) in QUEUES.items() if access.has_perm(user, perm)]


def search(qs, *, q="", phone="", state="", order_type="", category=None, epidemic=None, date_from=None,
           date_to=None):
    """Filters of the order lists: number or text (q), caller phone (exact, by blind index), state …"""
    q = (q or "").strip()
    if q:
        if q.upper().startswith(("GZ", "G")) and "-" in q:
            qs = qs.filter(number=q.upper())
        else:
            qs = qs.filter(Q(content__contains=q) | Q(address__contains=q) | Q(number__startswith=q.upper()))
    if phone:
        qs = qs.filter(caller_phone_hash=hash_value("phone", phone) or "-")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if order_type:
        qs = qs.filter(order_type=order_type)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    if epidemic:
        qs = qs.filter(epidemic=True)
    if date_from:
        qs = qs.filter(received_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(received_at__date__lte=date_to)
    return qs


def caller_history(user, phone, limit=10):
    digest = hash_value("phone", phone)
    if not digest:
        return WorkOrder.objects.none()
    return orders(user, "hotline.intake").filter(caller_phone_hash=digest).order_by("-received_at")[:limit]


def knowledge_search(text, day=None, public_only=False, limit=8):
    """Entries in force on `day`, best first, for what the operator is typing.

    Callers speak in sentences without spaces, so an entry scores by its tags found in the text and by
    the two-character pieces its question shares with the text. The base is small (hundreds), so this
    runs in Python over the entries in force.
    """
    day = day or timezone.localdate()
    qs = KnowledgeEntry.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                                       Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if public_only:
        qs = qs.filter(public=True)
    text = (text or "").strip()
    if not text:
        return list(qs[:limit]) if public_only else []
    pieces = _bigrams(text)
    scored = []
    for entry in qs[:5000]:
        tags = [t for t in entry.tags.replace(",", " ").replace(",", " ").split() if t]
        score = 3 * sum(1 for t in tags if t in text) + len(pieces & _bigrams(entry.question))
        if text in entry.question or text in entry.answer:
            score += 5
        if score >= 2:
            scored.append((score, entry.pk, entry))
    scored.sort(key=lambda row: (-row[0], -row[1]))
    return [entry for _score, _pk, entry in scored[:limit]]


def _bigrams(text):
    chars = [c for c in text if not c.isspace() and c not in ",。?!,.?!、;;::"]
    return {a + b for a, b in zip(chars, chars[1:])}


def timeline(order):
    return order.events.select_related("actor", "unit").order_by("at", "id")


def deadline_tone(order, now=None):
    """"danger" past due (or red), "warn" at 75% (yellow), "" otherwise — for the inbox colours."""
    from hotline import deadlines

    if order.state not in UNIT_STATES and order.state != State.PENDING_DISPATCH:
        return ""
    level = order.warning or deadlines.warning_level(order.deadline_start, order.reply_due, now or timezone.now())
    return {"red": "danger", "yellow": "warn"}.get(level, "")


DUPLICATE_DAYS = 7
DUPLICATE_CANDIDATES = 200


def _code(path):
    # A path ends with its unit's code ("/…/320611006004/"): no join needed.
    return path.rstrip("/").rsplit("/", 1)[-1] if path else None


def duplicate_candidates(user, street_path="", *, community_path="", exclude=None, days=DUPLICATE_DAYS, now=None,
                         limit=DUPLICATE_CANDIDATES):
    """Open orders of one community (of the street when the community is not known) received within `days`,
    newest first, at most `limit` rows, only the columns the duplicate search reads:
    [{"id", "number", "text", "shingles", "community_code", "created", "address"}] (the shape
    triage.duplicates.find takes). One range of the index (dup_community_path|dup_street_path, received_at)
    whatever the table size: the dup_* keys are NULL on closed orders. Scoped to what `user` may see, so no one
    learns of another street's orders through this panel."""
    rows = duplicate_candidates_query(user, street_path, community_path=community_path, exclude=exclude, days=days,
                                      now=now, limit=limit)
    if rows is None:
        return []
    return [{"id": pk, "number": number, "text": text, "shingles": shingles, "community_code": _code(path),
             "created": at, "address": address} for pk, number, text, shingles, path, at, address in rows]


def duplicate_candidates_query(user, street_path="", *, community_path="", exclude=None, days=DUPLICATE_DAYS,
                               now=None, limit=DUPLICATE_CANDIDATES):
    """The queryset behind duplicate_candidates (None without a place): for EXPLAIN in tests and benchmarks."""
    if community_path:
        qs = WorkOrder.objects.filter(dup_community_path=community_path)
    elif street_path:
        qs = WorkOrder.objects.filter(dup_street_path=street_path)
    else:
        return None
    since = (now or timezone.now()) - timedelta(days=days)
    qs = access.scope(user, qs.filter(received_at__gte=since), "hotline.view")
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("-received_at", "-id").values_list(
        "id", "number", "content", "dup_shingles", "dup_community_path", "received_at", "address")[:limit]
