"""Reads for the reports screens, scoped to the viewer's jurisdiction (accounts.access).

Dashboards count with indexed, bounded queries only: today's window on received_at, the timeline's
(action, at) index, the open states via (state, reply_due) and the warning index; past days come from the
stored daily reports (their rollups), so a dashboard never scans the history.
"""

from collections import Counter
from datetime import datetime, time, timedelta

from django.apps import apps
from django.db.models import Count
from django.utils import timezone

from accounts import access
from hotline.models import OPEN_STATES, Category, OrderEvent, WorkOrder
from places.models import OrgUnit
from reports import daily, metrics
from reports.metrics import WHOLE, Scope

TREND_DAYS = 14
TREND_TOPICS = 5


def viewer_scope(user, perm="reports.view"):
    """(Scope, top unit) of what the user may see; the whole platform for district-level members."""
    if access.is_unrestricted(user):
        return WHOLE, OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("path").first()
    units = access.units(user, perm)
    if not units:
        return None, None
    if any(u.kind == OrgUnit.Kind.DISTRICT for u in units):
        return WHOLE, next(u for u in units if u.kind == OrgUnit.Kind.DISTRICT)
    # Rates (hotline.kpis) follow the first unit's subtree as lead unit; counts use the full jurisdiction.
    return Scope(filters={"unit": units[0]}, paths=tuple(u.path for u in units)), units[0]


def unit_scope(unit):
    if unit.kind == OrgUnit.Kind.DISTRICT:
        return WHOLE
    return Scope(filters={"unit": unit}, paths=(unit.path,))


def today_window(now=None):
    now = timezone.localtime(now or timezone.now())
    start = timezone.make_aware(datetime.combine(now.date(), time(0)))
    return start, start + timedelta(days=1)


def _street_code(path):
    parts = [p for p in (path or "").strip("/").split("/") if p]
    return parts[-1] if parts else ""


def open_orders(scope):
    """The open orders of the scope: the whole platform's through the (state, reply_due) index; a unit's are
    those it leads or that were sub-dispatched into it (its queues), through the exact-path indexes."""
    qs = WorkOrder.objects.filter(state__in=OPEN_STATES).order_by()
    return qs if scope.whole else qs.filter(scope.exact_q())


def today_rows(scope, fields=("id", "epidemic"), now=None):
    start, end = today_window(now)
    return scope.rows(WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end).order_by(), fields)


def tiles(scope, now=None):
    """Today's intake, epidemic, closed; open, yellow, red now — each from one bounded indexed query."""
    start, end = today_window(now)
    closed = OrderEvent.objects.filter(action="callback", at__gte=start, at__lt=end)
    if scope.whole:
        today = WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end)
        # warning IN (…) first: the (warning, state) index (reports/migrations/0005) answers it alone —
        # COUNT(*), not COUNT(id), so PostgreSQL counts index entries without visiting the rows.
        warnings = dict(WorkOrder.objects.filter(warning__in=["yellow", "red"], state__in=OPEN_STATES)
                        .values_list("warning").annotate(n=Count("*")).order_by())
        return {"new": today.count(), "epidemic": today.filter(epidemic=True).count(), "closed": closed.count(),
                "open": WorkOrder.objects.filter(state__in=OPEN_STATES).count(),
                "yellow": warnings.get("yellow", 0), "red": warnings.get("red", 0)}
    today = today_rows(scope, now=now)
    opened = open_orders(scope)
    return {"new": len(today), "epidemic": sum(1 for r in today if r["epidemic"]),
            "closed": len(scope.keep(list(closed.values("order_id")))), "open": opened.count(),
            "yellow": opened.filter(warning="yellow").count(), "red": opened.filter(warning="red").count()}


def latest_rates(scope, unit, now=None):
    """The rates of the last full day: read from the stored district report, or (a unit's slice) counted from
    hotline.kpis on yesterday's window."""
    from reports.models import DailyReport

    yesterday = timezone.localdate(now or timezone.now()) - timedelta(days=1)
    keys = list(metrics.RATES)
    stored = None
    if scope.whole:
        stored = (DailyReport.objects.filter(date=yesterday).order_by("cutoff")
                  .values_list(*[f"figures__{k}" for k in keys]).first())
    if stored is not None:
        values = dict(zip(keys, stored))
    else:
        start, end = metrics.day_window(yesterday)
        values = {k: metrics.rate_value(r) for k, r in metrics.rate_objects(start, end, scope).items()}
    return {"date": yesterday, **values, "definitions": metrics.DEFINITIONS}


def by_street(scope, now=None):
    """Today's intake and the open orders per street (属地)."""
    today = Counter(_street_code(r["street_path"]) for r in today_rows(scope, ("id", "street_path"), now))
    names = dict(OrgUnit.objects.filter(kind__in=OrgUnit.TERRITORIAL).values_list("code", "name"))
    opened = Counter()
    # COUNT(*): an index-only scan of (state, street_path); COUNT(id) would visit every open row.
    for path, n in open_orders(scope).values_list("street_path").annotate(n=Count("*")).order_by():
        opened[_street_code(path)] += n
    rows = [{"code": c, "name": names.get(c, c), "today": today.get(c, 0), "open": opened.get(c, 0)}
            for c in names if today.get(c) or opened.get(c) or scope.whole]
    return sorted(rows, key=lambda r: (-r["today"], -r["open"], r["code"]))


def stored_rollups(days, key, cutoff="00:00"):
    """{day: figures[key]} from the stored reports, reading only that key (JSON path in the database).
    A missing day is generated and kept (the worker makes them every morning, so this is rare)."""
    from reports.models import DailyReport

    found = dict(DailyReport.objects.filter(date__in=days, cutoff=cutoff).values_list("date", f"figures__{key}"))
    for day in days:
        if day not in found:
            found[day] = daily.generate(day, cutoff).figures.get(key)
    return {day: found[day] or {} for day in days}


def topic_trend(unit, scope, now=None, days=TREND_DAYS):
    """Orders per topic per day over the last `days` days (today so far included).

    Past days come from the stored reports' rollups (by_topic, or by_unit_topic summed over the units inside
    the viewer's unit); today is one grouped query on its window."""
    today = timezone.localdate(now or timezone.now())
    dates = [today - timedelta(days=d) for d in range(days - 1, -1, -1)]
    if scope.whole:
        per_day = [Counter(v) for v in stored_rollups(dates[:-1], "by_topic").values()]
    else:
        inside = set(OrgUnit.objects.filter(path__startswith=unit.path).values_list("code", flat=True))
        per_day = []
        for rollup in stored_rollups(dates[:-1], "by_unit_topic").values():
            counts = Counter()
            for code, topics in rollup.items():
                if code in inside:
                    counts.update(topics)
            per_day.append(counts)
    per_day.append(Counter(r["category__code"] for r in today_rows(scope, ("id", "category__code"), now)))
    total = Counter()
    for counts in per_day:
        total.update(counts)
    top = [code for code, _ in total.most_common(TREND_TOPICS)]
    names = dict(Category.objects.filter(code__in=top).values_list("code", "name"))
    series = [(names.get(code, code), [counts.get(code, 0) for counts in per_day]) for code in top]
    return {"dates": [f"{d.month}/{d.day}" for d in dates], "series": series,
            "rows": [{"date": d, "counts": [c.get(code, 0) for code in top], "total": sum(c.values())}
                     for d, c in zip(dates, per_day)], "topics": [names.get(c, c) for c in top]}


def community_panels(unit, now=None):
    """Figures from the community, volunteers and supplies apps where they are installed (else empty)."""
    panels = []
    for app_label, loader in (("community", _community), ("volunteers", _volunteers), ("supplies", _supplies)):
        if not apps.is_installed(app_label):
            continue
        try:
            panels.extend(loader(unit, now) or [])
        except (ImportError, LookupError, AttributeError):
            continue  # the app exists but not (yet) the part we read: leave the panel out
    return panels


def _community(unit, now):
    from community import selectors  # noqa: F401  (only if the app ships it)

    summary = getattr(selectors, "dashboard_summary", None)
    if summary is not None:
        return summary(unit, now=now)
    return []


def _volunteers(unit, now):
    from volunteers import selectors

    summary = getattr(selectors, "dashboard_summary", None)
    return summary(unit, now=now) if summary else []


def _supplies(unit, now):
    from supplies import selectors

    summary = getattr(selectors, "dashboard_summary", None)
    return summary(unit, now=now) if summary else []


def community_orders(unit, now=None):
    """Hotline orders of a community (sub-dispatched to it or in its subtree): open ones and today's."""
    scope = unit_scope(unit)
    opened = open_orders(scope)
    return {"open": opened.count(), "today": len(today_rows(scope, now=now)),
            "red": opened.filter(warning="red").count()}
