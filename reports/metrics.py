"""The figures of a time window: counts computed here, rates from hotline.kpis (the DESIGN.md definitions,
owned by the hotline app), each with the Chinese definition every report prints.

All queries are bounded by the window through an index: WorkOrder.received_at, (state, reply_due), the
timeline's (action, at) and the period columns indexed by reports/migrations/0002-0003 (hotline's models
declare no index on OrderEvent.at, dispatched_at, replied_at, closed_at). Cost follows the window's work,
not the history's size.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from hotline import kpis
from hotline.models import OrderEvent, State, WorkOrder

# Every state, so the (state, reply_due) index can serve a pure reply_due range.
ALL_STATES = list(State.values)
# Our names for hotline.kpis' rates (the JSON keys of the reports).
RATES = {
    "accept_rate": "timely_accept_rate", "on_time_rate": "on_time_reply_rate", "satisfaction_rate": "satisfaction_rate",
    "direct_answer_rate": "direct_answer_rate", "return_rate": "return_rate", "redo_rate": "redo_rate",
}

DEFINITIONS = {
    "new_orders": "受理量:统计时段内受理(登记)的工单数,含其后并单、撤销的工单。",
    "epidemic_orders": "疫情工单:统计时段内受理的工单中标记为疫情相关(含 EP-* 疫情分类)的数量。",
    "closed_orders": "办结量:统计时段内完成回访并办结的工单数。",
    "cancelled_orders": "撤销量:统计时段内由平台撤销的工单数。",
    "merged_orders": "并单量:统计时段内并入其他工单的工单数(来电人各自保留编号)。",
    "overdue_orders": "超期工单:办结时限落在统计时段内、但未在时限前答复的承办工单数(不含并单、撤销、直接答复)。",
    **{ours: kpis.DEFINITIONS[theirs] for ours, theirs in RATES.items()},
    "avg_handling_hours": kpis.DEFINITIONS["avg_handling_hours"],
    "daily_intake": "日均受理量 = 受理量 ÷ 统计天数。",
}


def rate_value(r):
    """A fraction 0..1, or None when there is nothing to count (never 0/0 = 100%)."""
    return None if r.value is None else round(r.value, 4)




def parse_cutoff(value):
    if isinstance(value, time):
        return value
    try:
        hours, minutes = (int(p) for p in str(value or "00:00").split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValueError(f"截止时间格式应为 HH:MM,收到“{value}”。") from None


def day_window(day, cutoff=time(0)):
    """The 24 hours a day's report covers: midnight to midnight, or (cut-off ≠ 00:00) the 24 hours that end
    at the cut-off on that day, e.g. 12:00 → 前一日 12:00 至 当日 12:00."""
    cutoff = parse_cutoff(cutoff)
    if cutoff == time(0):
        start = timezone.make_aware(datetime.combine(day, cutoff))
    else:
        start = timezone.make_aware(datetime.combine(day - timedelta(days=1), cutoff))
    return start, start + timedelta(days=1)


@dataclass
class Scope:
    """Whose orders. `paths`: the viewer's jurisdiction (unit paths; empty = the whole platform); `filters`: the
    same slice in hotline.kpis' terms (unit=, street=, category=) for the rates; `q`: an extra SQL filter (the
    KPI table's groups).

    Jurisdiction is tested in Python on rows an indexed window query returned (`rows`, `keep`): an OR of
    prefix tests in SQL makes SQLite's planner scan the whole table, which would tie the cost to the history."""

    q: Q | None = None
    filters: dict = field(default_factory=dict)
    paths: tuple = ()

    @property
    def whole(self):
        return self.q is None and not self.paths

    def orders(self, qs=None):
        """SQL-filtered queryset: only for queries already bounded by primary keys or an indexed window."""
        qs = WorkOrder.objects.all() if qs is None else qs
        if self.q is not None:
            qs = qs.filter(self.q)
        return qs.filter(WorkOrder.jurisdiction_q(list(self.paths))) if self.paths else qs

    def rows(self, qs, fields):
        """values(*fields) of an indexed, bounded queryset, restricted to the jurisdiction in Python."""
        qs = qs.order_by()  # WorkOrder's default ordering would make SQLite walk the received_at index
        if self.q is not None:
            qs = qs.filter(self.q)
        if not self.paths:
            return list(qs.values(*fields))
        rows = list(qs.values(*dict.fromkeys((*fields, *PATH_FIELDS))))
        return self._inside(rows, "id")

    def keep(self, rows, key="order_id"):
        """Rows (dicts) whose order is in scope, looked up by primary key in chunks."""
        if self.whole:
            return rows
        ids = {r[key] for r in rows}
        found = rows_for(ids, PATH_FIELDS, WorkOrder.objects.filter(self.q) if self.q is not None else None)
        allowed = {r["id"] for r in (self._inside(found, "id") if self.paths else found)}
        return [r for r in rows if r[key] in allowed]

    def _inside(self, rows, key):
        def by_path(row):
            return any(row[c].startswith(p) for p in self.paths for c in PATH_COLUMNS)

        inside = [r for r in rows if by_path(r)]
        others = {r[key] for r in rows if not by_path(r)}
        co = set()
        through = WorkOrder.co_units.through.objects
        for chunk in chunks(sorted(others)):
            for path in self.paths:
                co.update(through.filter(workorder_id__in=chunk, orgunit__path__startswith=path)
                          .values_list("workorder_id", flat=True))
        return inside + [r for r in rows if r[key] in co]


PATH_COLUMNS = ("platform_path", "lead_path", "community_path")
PATH_FIELDS = ("id", *PATH_COLUMNS)


def chunks(items, size=5000):
    """SQLite caps the bound parameters of one query; window id lists can be tens of thousands."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def rows_for(ids, fields, qs=None):
    qs = (WorkOrder.objects.all() if qs is None else qs).order_by()
    result = []
    for chunk in chunks(sorted(ids)):
        result.extend(qs.filter(pk__in=chunk).values(*fields))
    return result


WHOLE = Scope()


def events_in(start, end, actions, scope=WHOLE):
    """Timeline rows of these actions in [start, end): served by the (action, at) index."""
    rows = OrderEvent.objects.filter(action__in=list(actions), at__gte=start, at__lt=end).values(
        "order_id", "action")
    return scope.keep(list(rows))


NEW_FIELDS = ("id", "number", "order_type", "category__code", "category__name", "channel", "lead_unit__code",
              "lead_unit__name", "street_path", "community_path", "epidemic", "answered_directly", "major",
              "urgency")
CASE_FIELDS = ("id", "number", "category__name", "lead_unit__name", "state", "major", "epidemic", "received_at",
               "content")


def new_orders(start, end, scope=WHOLE):
    return scope.rows(WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end), NEW_FIELDS)


def rate_objects(start, end, scope=WHOLE):
    """{our key: hotline.kpis.Rate} for [start, end) in the scope's slice."""
    return {ours: kpis.KPIS[theirs](start=start, end=end, **scope.filters) for ours, theirs in RATES.items()}


def overdue_count(start, end, scope=WHOLE):
    """超期: unit orders whose deadline fell in the window and that were not replied by it."""
    unit_orders = WorkOrder.objects.exclude(state__in=[State.MERGED, State.CANCELLED]).filter(
        answered_directly=False, lead_unit__isnull=False)
    due_rows = scope.rows(unit_orders.filter(state__in=ALL_STATES, reply_due__gte=start, reply_due__lt=end),
                          ("id", "reply_due", "replied_at"))
    return sum(1 for r in due_rows if not r["replied_at"] or r["replied_at"] > r["reply_due"])


def summary(start, end, scope=WHOLE):
    """The KPI table's row: counts by indexed COUNT queries and the rates, without fetching the window's rows."""
    closed = events_in(start, end, ("callback",), scope)
    rates = rate_objects(start, end, scope)
    days = max((end - start).total_seconds() / 86400, 1e-9)
    new = WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end)
    new_count = new.count() if scope.whole else len(scope.rows(new, ("id",)))
    return {
        "new_orders": new_count, "closed_orders": len({e["order_id"] for e in closed}),
        "overdue_orders": overdue_count(start, end, scope),
        **{key: rate_value(r) for key, r in rates.items()},
        "avg_handling_hours": kpis.avg_handling_hours(start=start, end=end, **scope.filters),
        "daily_intake": round(new_count / days, 1),
    }


def compute(start, end, scope=WHOLE, now=None):
    """Counts and rates for [start, end). Returns a dict of plain numbers (JSON-ready)."""
    now = now or timezone.now()
    new = new_orders(start, end, scope)
    events = list(events_in(start, end, ("dispatch", "callback", "cancel", "merge", "urge", "supervise"), scope))
    by_action = {}
    for e in events:
        by_action.setdefault(e["action"], []).append(e)
    ids = lambda action: {e["order_id"] for e in by_action.get(action, [])}  # noqa: E731

    overdue = overdue_count(start, end, scope)

    period = dict(start=start, end=end, **scope.filters)
    rates = rate_objects(start, end, scope)
    closed = ids("callback")
    days = max((end - start).total_seconds() / 86400, 1e-9)
    return {
        "new_orders": len(new),
        "epidemic_orders": sum(1 for o in new if o["epidemic"]),
        "closed_orders": len(closed),
        "cancelled_orders": len(ids("cancel")),
        "merged_orders": len(ids("merge")),
        "overdue_orders": overdue,
        "dispatched_orders": len(ids("dispatch")),
        "accepted_on_time": rates["accept_rate"].numerator,
        "accept_counted": rates["accept_rate"].denominator,
        "replied_on_time": rates["on_time_rate"].numerator,
        "reply_counted": rates["on_time_rate"].denominator,
        "callbacks_satisfied": rates["satisfaction_rate"].numerator,
        "callbacks_answered": rates["satisfaction_rate"].denominator,
        "direct_answers": rates["direct_answer_rate"].numerator,
        "returns": rates["return_rate"].numerator,
        "redos": rates["redo_rate"].numerator,
        **{key: rate_value(r) for key, r in rates.items()},
        "avg_handling_hours": kpis.avg_handling_hours(**period),
        "daily_intake": round(len(new) / days, 1),
        "_new": new,
        "_events": by_action,
    }


def counter(rows, key):
    return dict(Counter(row[key] for row in rows if row[key]).most_common())
