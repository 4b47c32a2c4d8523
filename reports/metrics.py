"""KPI definitions (DESIGN.md "KPIs") and the window queries they run on.

hotline/ has no kpis.py yet, so the definitions live here; each figure carries its Chinese definition so
every report can print it. All queries are bounded by a time window through an index:
WorkOrder.received_at, WorkOrder(state, reply_due) and the timeline OrderEvent(action, at) index that
reports/migrations/0002 adds (hotline's model has none on `at`). Cost follows the window's work, not the
history's size.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from hotline.models import CallbackResult, OrderEvent, State, WorkOrder

# Every state, so the (state, reply_due) index can serve a pure reply_due range.
ALL_STATES = list(State.values)
SATISFIED = {CallbackResult.SATISFIED, CallbackResult.BASIC}
ANSWERED = {CallbackResult.SATISFIED, CallbackResult.BASIC, CallbackResult.UNSATISFIED}

DEFINITIONS = {
    "new_orders": "受理量:统计时段内受理(登记)的工单数,含其后并单、撤销的工单。",
    "epidemic_orders": "疫情工单:统计时段内受理的工单中标记为疫情相关(含 EP-* 疫情分类)的数量。",
    "closed_orders": "办结量:统计时段内完成回访并办结的工单数。",
    "cancelled_orders": "撤销量:统计时段内由平台撤销的工单数。",
    "merged_orders": "并单量:统计时段内并入其他工单的工单数(来电人各自保留编号)。",
    "overdue_orders": "超期工单:办结时限落在统计时段内、但未在时限前答复的承办工单数(不含并单、撤销、直接答复)。",
    "accept_rate": "及时签收率 = 在签收时限内签收的工单数 ÷ 统计时段内派出的工单数(报告生成时尚未到签收时限且未签收的不计入)。",
    "on_time_rate": "按时办结率 = 在办结时限前答复的工单数 ÷ 办结时限落在统计时段内或在统计时段内答复的承办工单数。",
    "satisfaction_rate": "回访满意率 =(满意 + 基本满意)÷ 有效回访数(满意、基本满意、不满意及因不满意重办;联系不上不计入)。",
    "direct_answer_rate": "直接答复率 = 统计时段内受理即由话务员依知识库直接答复的工单数 ÷ 受理量。",
    "return_rate": "退单率 = 统计时段内承办单位退单次数 ÷ 统计时段内派单次数。",
    "redo_rate": "重办率 = 统计时段内因不满意重办的次数 ÷ 统计时段内回访次数(含重办)。",
    "avg_handling_hours": "平均办理时长 = 统计时段内办结工单从受理到办结的平均小时数。",
    "daily_intake": "日均受理量 = 受理量 ÷ 统计天数。",
}


def rate(numerator, denominator):
    """A fraction 0..1, or None when there is nothing to count (never 0/0 = 100%)."""
    return round(numerator / denominator, 4) if denominator else None


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
    """Whose orders: None = the whole platform; else a jurisdiction Q on WorkOrder (accounts.access)."""

    q: Q | None = None

    def orders(self, qs=None):
        qs = WorkOrder.objects.all() if qs is None else qs
        return qs if self.q is None else qs.filter(self.q)

    def keep(self, rows, key="order_id"):
        """Rows (dicts) whose order is in scope. A join-free check on the window's own order ids, so a
        subquery over the whole history never runs."""
        if self.q is None:
            return rows
        allowed = set()
        for chunk in chunks(sorted({r[key] for r in rows})):
            allowed.update(self.orders().filter(pk__in=chunk).values_list("pk", flat=True))
        return [r for r in rows if r[key] in allowed]


def chunks(items, size=5000):
    """SQLite caps the bound parameters of one query; window id lists can be tens of thousands."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def rows_for(ids, fields, qs=None):
    qs = WorkOrder.objects.all() if qs is None else qs
    result = []
    for chunk in chunks(sorted(ids)):
        result.extend(qs.filter(pk__in=chunk).values(*fields))
    return result


WHOLE = Scope()


def events_in(start, end, actions, scope=WHOLE):
    """Timeline rows of these actions in [start, end): served by the (action, at) index."""
    rows = OrderEvent.objects.filter(action__in=list(actions), at__gte=start, at__lt=end).values(
        "order_id", "action", "data", "at")
    return scope.keep(list(rows))


NEW_FIELDS = ("id", "number", "order_type", "category__code", "category__name", "channel", "lead_unit__code",
              "lead_unit__name", "street_path", "community_path", "epidemic", "answered_directly", "major",
              "urgency", "state", "content", "received_at")


def new_orders(start, end, scope=WHOLE):
    return list(scope.orders().filter(received_at__gte=start, received_at__lt=end).values(*NEW_FIELDS))


def compute(start, end, scope=WHOLE, now=None):
    """Counts and rates for [start, end). Returns a dict of plain numbers (JSON-ready)."""
    now = now or timezone.now()
    new = new_orders(start, end, scope)
    events = list(events_in(start, end, ("dispatch", "return", "signoff", "callback", "redo", "cancel", "merge",
                                         "urge", "supervise"), scope))
    by_action = {}
    for e in events:
        by_action.setdefault(e["action"], []).append(e)
    ids = lambda action: {e["order_id"] for e in by_action.get(action, [])}  # noqa: E731

    # 及时签收率: orders dispatched in the window, unless their acceptance is still pending and not yet due.
    dispatched = ids("dispatch")
    accept_rows = rows_for(dispatched, ("accepted_at", "accept_due"))
    settled = [r for r in accept_rows if r["accepted_at"] or (r["accept_due"] and r["accept_due"] <= now)]
    accepted_on_time = sum(1 for r in settled if r["accepted_at"] and (r["accept_due"] is None
                                                                       or r["accepted_at"] <= r["accept_due"]))

    # 按时办结率 and 超期: unit orders whose deadline fell in the window or that were replied (signed) in it.
    unit_orders = WorkOrder.objects.exclude(state__in=[State.MERGED, State.CANCELLED]).filter(
        answered_directly=False, lead_unit__isnull=False)
    due_rows = scope.orders(unit_orders.filter(state__in=ALL_STATES, reply_due__gte=start, reply_due__lt=end))
    fields = ("id", "reply_due", "replied_at")
    due = {r["id"]: r for r in due_rows.values(*fields)}
    replied = {r["id"]: r for r in rows_for(ids("signoff"), fields, unit_orders)}
    counted = {**replied, **due}
    on_time = sum(1 for r in counted.values() if r["replied_at"] and r["reply_due"] and r["replied_at"] <= r["reply_due"])
    overdue = sum(1 for r in due.values() if not r["replied_at"] or r["replied_at"] > r["reply_due"])

    callbacks = [e["data"].get("result") for e in by_action.get("callback", [])]
    redo = len(by_action.get("redo", []))
    answered = sum(1 for r in callbacks if r in ANSWERED) + redo
    satisfied = sum(1 for r in callbacks if r in SATISFIED)

    closed = ids("callback")
    closed_rows = rows_for(closed, ("received_at", "closed_at"))
    spans = [(r["closed_at"] - r["received_at"]).total_seconds() / 3600 for r in closed_rows
             if r["received_at"] and r["closed_at"]]
    returns = len(by_action.get("return", []))
    dispatch_count = len(by_action.get("dispatch", []))
    days = max((end - start).total_seconds() / 86400, 1e-9)
    return {
        "new_orders": len(new),
        "epidemic_orders": sum(1 for o in new if o["epidemic"]),
        "closed_orders": len(closed),
        "cancelled_orders": len(ids("cancel")),
        "merged_orders": len(ids("merge")),
        "overdue_orders": overdue,
        "dispatched_orders": len(dispatched),
        "accepted_on_time": accepted_on_time,
        "accept_counted": len(settled),
        "accept_rate": rate(accepted_on_time, len(settled)),
        "replied_on_time": on_time,
        "reply_counted": len(counted),
        "on_time_rate": rate(on_time, len(counted)),
        "callbacks_answered": answered,
        "callbacks_satisfied": satisfied,
        "callbacks_unreachable": sum(1 for r in callbacks if r == CallbackResult.UNREACHABLE),
        "satisfaction_rate": rate(satisfied, answered),
        "direct_answers": sum(1 for o in new if o["answered_directly"]),
        "direct_answer_rate": rate(sum(1 for o in new if o["answered_directly"]), len(new)),
        "returns": returns,
        "return_rate": rate(returns, dispatch_count),
        "redos": redo,
        "redo_rate": rate(redo, len(callbacks) + redo),
        "avg_handling_hours": round(sum(spans) / len(spans), 1) if spans else None,
        "daily_intake": round(len(new) / days, 1),
        "_new": new,
        "_events": by_action,
    }


def counter(rows, key):
    return dict(Counter(row[key] for row in rows if row[key]).most_common())
