"""The KPI table's figures for every group from one read of the period.

`metrics.summary()` per group re-reads the whole period once per group (about 17 queries × 21 units: tens of
seconds for a quarter at any size). Here each indexed window query runs once — orders received, dispatched,
due, replied and closed in [start, end), the timeline's dispatch/return/redo/callback moves. What needs the
viewer's jurisdiction (受理量, 办结量, 超期) comes back as rows (ids and paths); the rates come back already
counted per (lead_path, street_path, category) key; every group's row is then summed over matching keys. The figures are exactly metrics.summary()'s (the definitions of the
daily report and of hotline.kpis; reports/tests/test_kpi_window.py compares both on the hand-computed day):

  counts (受理量, 办结量, 超期)   the group's rows inside the viewer's jurisdiction (metrics.Scope paths)
  rates, 平均办理时长              hotline.kpis' slice: the group's filter plus the viewer's own (`scope.filters`)
"""

from collections import defaultdict

from django.db.models import BooleanField, Count, DurationField, ExpressionWrapper, F, Q, Sum, Value

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
        in_window = lambda field: Q(**{f"{field}__gte": start, f"{field}__lt": end})  # noqa: E731

        def rows(q, *fields, **annotations):
            # Flags are computed in SQL: parsing tens of thousands of timestamps costs more than the query.
            qs = WorkOrder.objects.filter(q).order_by().annotate(**annotations)
            return list(qs.values(*ORDER_FIELDS, *fields, *annotations))

        def grouped(q, good=None, seconds=False):
            """The rates need no row ids (no jurisdiction test): one row per key, counted in SQL."""
            qs = WorkOrder.objects.filter(q).order_by().values("lead_path", "street_path", "category_id")
            qs = qs.annotate(n=Count("id"), good=Count("id", filter=good) if good is not None else Value(0))
            if seconds:
                qs = qs.annotate(total=Sum(ExpressionWrapper(F("replied_at") - F("received_at"),
                                                             output_field=DurationField())))
            return {(r["lead_path"], r["street_path"], r["category_id"], True):
                    [r["n"], r["good"], r["total"].total_seconds() if seconds and r["total"] is not None else 0.0]
                    for r in qs}

        self.received = rows(in_window("received_at"), "answered_directly")
        self.due = rows(in_window("reply_due"), "lead_unit_id", "state", "answered_directly",
                        late=ExpressionWrapper(Q(replied_at__isnull=True) | Q(replied_at__gt=F("reply_due")),
                                               output_field=BooleanField()))
        self.grouped = {
            "dispatched": grouped(in_window("dispatched_at"), Q(accepted_at__isnull=False, accepted_late=False)),
            "reply": grouped(Q(lead_unit__isnull=False) & (in_window("reply_due") | in_window("replied_at")),
                             Q(replied_at__isnull=False, replied_late=False)),
            "answered": grouped(in_window("closed_at") & Q(callback_result__in=ANSWERED),
                                Q(callback_result__in=GOOD)),
            "hours": grouped(in_window("replied_at"), seconds=True),
        }
        # Timeline moves counted per (action, unit, category) in SQL; only callbacks are needed by order.
        moves = OrderEvent.objects.filter(action__in=["dispatch", "return", "redo", "callback"], at__gte=start,
                                          at__lt=end).order_by().values("action", "unit__path", "order__category_id")
        self.moves = {(r["action"], r["unit__path"] or "", r["order__category_id"]): r["n"]
                      for r in moves.annotate(n=Count("id"))}
        self.closed_ids = set(OrderEvent.objects.filter(action="callback", at__gte=start, at__lt=end).order_by()
                              .values_list("order_id", flat=True))
        by_id = {r["id"]: r for r in self.received}
        missing = self.closed_ids - set(by_id)
        by_id.update({r["id"]: r for r in metrics.rows_for(missing, ORDER_FIELDS)})
        self.event_order = by_id
        # Jurisdiction (the viewer's paths, co-handling included) once for every row the counts use.
        if scope.paths:
            counted = {r["id"]: r for r in (*self.received, *self.due, *by_id.values())}
            self.inside = {r["id"] for r in metrics.Scope(paths=scope.paths)._inside(list(counted.values()), "id")}
        else:
            self.inside = None

    def _key(self, row):
        """What the group tests look at: rows with the same key count alike (a few hundred keys, not rows)."""
        return (row["lead_path"] or "", row["street_path"] or "", row["category_id"],
                self.inside is None or row["id"] in self.inside)

    def _buckets(self, rows, good=None, value=None):
        """{key: [rows, good rows, sum of value]} — each group then tests keys, not every row."""
        out = defaultdict(lambda: [0, 0, 0.0])
        for r in rows:
            b = out[self._key(r)]
            b[0] += 1
            if good is not None and good(r):
                b[1] += 1
            if value is not None:
                b[2] += value(r)
        return out

    def _prepare(self):
        if hasattr(self, "_b"):
            return self._b
        overdue = [r for r in self.due if r["state"] not in (State.MERGED, State.CANCELLED)
                   and not r["answered_directly"] and r["lead_unit_id"] and r["late"]]
        self._b = {
            "received": self._buckets(self.received, lambda r: r["answered_directly"]),
            "closed": self._buckets([self.event_order[i] for i in self.closed_ids if i in self.event_order]),
            "overdue": self._buckets(overdue),
            **self.grouped,
            "moves": self.moves,
        }
        return self._b

    def _category_ok(self, category_id, category):
        return category_id == category.pk or self.parent.get(category_id) == category.pk

    def _key_match(self, key, filters):
        """hotline.kpis.orders(**filters) as a test on a row's key."""
        lead_path, street_path, category_id, _inside = key
        unit, street, category = filters.get("unit"), filters.get("street"), filters.get("category")
        if unit is not None and not lead_path.startswith(unit.path):
            return False
        if street is not None and street_path != street.path:
            return False
        return category is None or self._category_ok(category_id, category)

    def _move_match(self, key, filters):
        """hotline.kpis._events: unit/street by the move's unit; other filters by the order."""
        _action, unit_path, category_id = key
        for name in ("unit", "street"):
            unit = filters.get(name)
            if unit is not None and not unit_path.startswith(unit.path):
                return False
        category = filters.get("category")
        return category is None or (category_id is not None and self._category_ok(category_id, category))

    def summary(self, group):
        """metrics.summary(start, end, Scope(group's q, {**scope.filters, **group}, scope.paths))."""
        b = self._prepare()
        filters = {**self.scope.filters, **group}

        def count(name):  # the group's SQL filter (kpi.groups' Q) inside the viewer's jurisdiction
            return sum(v[0] for k, v in b[name].items() if k[3] and self._key_match(k, group))

        def totals(name):  # hotline.kpis' slice: group filter plus the viewer's own, no jurisdiction test
            n = good = value = 0
            for k, v in b[name].items():
                if self._key_match(k, filters):
                    n, good, value = n + v[0], good + v[1], value + v[2]
            return n, good, value

        def rate(name):
            n, good, _ = totals(name)
            return metrics.rate_value(Rate(good, n))

        moves = defaultdict(int)
        for k, n in b["moves"].items():
            if self._move_match(k, filters):
                moves[k[0]] += n
        new_count = count("received")
        replied, _, seconds = totals("hours")
        days = max((self.end - self.start).total_seconds() / 86400, 1e-9)
        return {
            "new_orders": new_count, "closed_orders": count("closed"), "overdue_orders": count("overdue"),
            "accept_rate": rate("dispatched"), "on_time_rate": rate("reply"), "satisfaction_rate": rate("answered"),
            "direct_answer_rate": rate("received"),
            "return_rate": metrics.rate_value(Rate(moves["return"], moves["dispatch"])),
            "redo_rate": metrics.rate_value(Rate(moves["redo"], moves["redo"] + moves["callback"])),
            "avg_handling_hours": round(seconds / replied / 3600, 2) if replied else None,
            "daily_intake": round(new_count / days, 1),
        }
