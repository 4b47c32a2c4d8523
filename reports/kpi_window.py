"""The KPI table's figures for every group from one read of the period.

`metrics.summary()` per group re-reads the whole period once per group (about 17 queries × 21 units: tens of
seconds for a quarter at any size). Here each indexed window query runs once — orders received, dispatched,
due, replied and closed in [start, end), the timeline's dispatch/return/redo/callback moves — and every group's
row is counted from those rows in Python. The figures are exactly metrics.summary()'s (the definitions of the
daily report and of hotline.kpis; reports/tests/test_kpi_window.py compares both on the hand-computed day):

  counts (受理量, 办结量, 超期)   the group's rows inside the viewer's jurisdiction (metrics.Scope paths)
  rates, 平均办理时长              hotline.kpis' slice: the group's filter plus the viewer's own (`scope.filters`)
"""

from collections import defaultdict

from hotline.kpis import Rate
from hotline.models import CallbackResult, Category, OrderEvent, State, WorkOrder
from reports import metrics

ORDER_FIELDS = ("id", "lead_path", "street_path", "category_id", "platform_path", "community_path")
ANSWERED = {CallbackResult.SATISFIED, CallbackResult.BASIC, CallbackResult.UNSATISFIED}
GOOD = {CallbackResult.SATISFIED, CallbackResult.BASIC}


class Window:
    def __init__(self, start, end, scope=metrics.WHOLE):
        self.start, self.end, self.scope = start, end, scope
        self.parent = dict(Category.objects.values_list("id", "parent_id"))
        period = {"start": start, "end": end}

        def rows(field, *fields, **extra):
            qs = WorkOrder.objects.filter(**{f"{field}__gte": start, f"{field}__lt": end}, **extra).order_by()
            return list(qs.values(*dict.fromkeys((*ORDER_FIELDS, *fields))))

        self.received = rows("received_at", "answered_directly")
        self.dispatched = rows("dispatched_at", "accepted_at", "accepted_late")
        due = rows("reply_due", "lead_unit_id", "reply_due", "replied_at", "replied_late", "state",
                   "answered_directly", "received_at")
        replied = rows("replied_at", "lead_unit_id", "reply_due", "replied_at", "replied_late", "state",
                       "answered_directly", "received_at")
        self.due, self.replied = due, replied
        self.reply_counted = list({r["id"]: r for r in (*due, *replied) if r["lead_unit_id"]}.values())
        self.closed = rows("closed_at", "callback_result")
        events = OrderEvent.objects.filter(action__in=["dispatch", "return", "redo", "callback"], at__gte=start,
                                           at__lt=end).order_by().values("order_id", "action", "unit__path")
        self.events = list(events)
        by_id = {r["id"]: r for r in self.received}
        missing = {e["order_id"] for e in self.events} - set(by_id)
        by_id.update({r["id"]: r for r in metrics.rows_for(missing, ORDER_FIELDS)})
        self.event_order = by_id
        # Jurisdiction (the viewer's paths, co-handling included) once for every row the counts use.
        inside = metrics.Scope(paths=scope.paths)
        if scope.paths:
            counted = {r["id"]: r for r in (*self.received, *due, *by_id.values())}
            self.inside = {r["id"] for r in inside._inside(list(counted.values()), "id")}
        else:
            self.inside = None
        self.period = period

    def _in_jurisdiction(self, order_id):
        return self.inside is None or order_id in self.inside

    def _category_ok(self, row, category):
        return row["category_id"] == category.pk or self.parent.get(row["category_id"]) == category.pk

    def _order_match(self, row, filters):
        """hotline.kpis.orders(**filters) as a test on one row."""
        unit, street, category = filters.get("unit"), filters.get("street"), filters.get("category")
        if unit is not None and not (row["lead_path"] or "").startswith(unit.path):
            return False
        if street is not None and row["street_path"] != street.path:
            return False
        return category is None or self._category_ok(row, category)

    def _event_match(self, event, filters):
        """hotline.kpis._events: unit/street by the move's unit; other filters by the order."""
        for key in ("unit", "street"):
            unit = filters.get(key)
            if unit is not None and not (event["unit__path"] or "").startswith(unit.path):
                return False
        category = filters.get("category")
        if category is not None:
            order = self.event_order.get(event["order_id"])
            return order is not None and self._category_ok(order, category)
        return True

    def summary(self, group):
        """metrics.summary(start, end, Scope(group's q, {**scope.filters, **group}, scope.paths))."""
        filters = {**self.scope.filters, **group}

        def in_group(row):  # the group's SQL filter (kpi.groups' Q) plus the viewer's jurisdiction
            return self._order_match(row, group) and self._in_jurisdiction(row["id"])

        new_count = sum(1 for r in self.received if in_group(r))
        closed = {e["order_id"] for e in self.events if e["action"] == "callback"
                  and e["order_id"] in self.event_order and in_group(self.event_order[e["order_id"]])}
        overdue = sum(1 for r in self.due if r["state"] not in (State.MERGED, State.CANCELLED)
                      and not r["answered_directly"] and r["lead_unit_id"] and in_group(r)
                      and (not r["replied_at"] or r["replied_at"] > r["reply_due"]))

        def rate(rows, good):
            chosen = [r for r in rows if self._order_match(r, filters)]
            return metrics.rate_value(Rate(sum(1 for r in chosen if good(r)), len(chosen)))

        moves = defaultdict(int)
        for e in self.events:
            if self._event_match(e, filters):
                moves[e["action"]] += 1
        answered = [r for r in self.closed if r["callback_result"] in ANSWERED]
        hours = [(r["replied_at"] - r["received_at"]).total_seconds() for r in self.replied
                 if self._order_match(r, filters)]
        days = max((self.end - self.start).total_seconds() / 86400, 1e-9)
        return {
            "new_orders": new_count, "closed_orders": len(closed), "overdue_orders": overdue,
            "accept_rate": rate(self.dispatched, lambda r: r["accepted_at"] and not r["accepted_late"]),
            "on_time_rate": rate(self.reply_counted, lambda r: r["replied_at"] and not r["replied_late"]),
            "satisfaction_rate": rate(answered, lambda r: r["callback_result"] in GOOD),
            "direct_answer_rate": rate(self.received, lambda r: r["answered_directly"]),
            "return_rate": metrics.rate_value(Rate(moves["return"], moves["dispatch"])),
            "redo_rate": metrics.rate_value(Rate(moves["redo"], moves["redo"] + moves["callback"])),
            "avg_handling_hours": round(sum(hours) / len(hours) / 3600, 2) if hours else None,
            "daily_intake": round(new_count / days, 1),
        }

