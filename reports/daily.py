"""The daily report (日报): `build(day, cutoff)` → a JSON-ready dict; `generate(day, cutoff)` stores it.

Figures and their definitions come from reports.metrics; everything is bounded by the day's window
(and the 7 days before it for rising topics), so the cost follows the day's work.
"""

from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hotline.models import Category, Channel, OrderType, State, WorkOrder
from places.models import OrgUnit
from reports import metrics
from reports.metrics import WHOLE, counter, day_window, parse_cutoff

ISSUER = "港闸区12345政务服务热线"
HOT_TOPICS = 5
RISING_MIN = 3  # a topic must have at least this many orders on the day to be called rising
RISING_FACTOR = 1.5  # … and this many times its daily average over the previous 7 days


def _code(path):
    parts = [p for p in (path or "").strip("/").split("/") if p]
    return parts[-1] if parts else ""


def _names(codes):
    return dict(OrgUnit.objects.filter(code__in=set(codes)).values_list("code", "name"))


def build(day, cutoff="00:00", scope=WHOLE, now=None):
    """The report's figures for `day` (a date) and cut-off ("00:00" or "12:00" …), as a JSON-ready dict."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    cutoff = parse_cutoff(cutoff)
    start, end = day_window(day, cutoff)
    figures = metrics.compute(start, end, scope, now=now)
    new = figures.pop("_new")
    events = figures.pop("_events")

    for row in new:
        row["street"] = _code(row["street_path"])
        row["community"] = _code(row["community_path"])
    by_unit = counter(new, "lead_unit__code")
    by_street = counter(new, "street")
    by_topic = counter(new, "category__code")
    places = Counter(r["community"] or r["street"] for r in new if r["community"] or r["street"])
    unit_names = {r["lead_unit__code"]: r["lead_unit__name"] for r in new if r["lead_unit__code"]}

    # Units urged or supervised in the window (the order's lead unit, or the platform when not dispatched).
    pressure = {}
    pressed = [e for action in ("urge", "supervise") for e in events.get(action, [])]
    owners = {r["id"]: r["lead_unit__code"] for r in metrics.rows_for({e["order_id"] for e in pressed},
                                                                        ("id", "lead_unit__code"))}
    for e in pressed:
        code = owners.get(e["order_id"]) or ""
        entry = pressure.setdefault(code, {"unit": code, "urge": 0, "supervise": 0, "orders": set()})
        entry[e["action"]] += 1
        entry["orders"].add(e["order_id"])

    names = _names([*by_street, *places, *pressure, *by_unit])
    names.update(unit_names)
    topic_names = dict(Category.objects.filter(code__in=set(by_topic) | {""}).values_list("code", "name"))

    rising, trend = _rising(by_topic, start, scope, day)
    trend.append({"date": day.isoformat(), "count": len(new)})
    topic_names.update(dict(Category.objects.filter(code__in=[r["code"] for r in rising]).values_list(
        "code", "name")))
    notable_ids = [r["id"] for r in new if r["major"] or r["urgency"] == "critical"]
    notable_ids += [i for i in sorted({e["order_id"] for e in events.get("supervise", [])}) if i not in notable_ids]
    details = {r["id"]: r for r in scope.keep(metrics.rows_for(notable_ids[:20], metrics.CASE_FIELDS), "id")}
    notable = [details[i] for i in notable_ids[:20] if i in details]

    return {
        "date": day.isoformat(),
        "cutoff": cutoff.strftime("%H:%M"),
        "window": {"start": timezone.localtime(start).isoformat(), "end": timezone.localtime(end).isoformat()},
        "issuer": ISSUER,
        **figures,
        "by_type": counter(new, "order_type"),
        "by_channel": counter(new, "channel"),
        "by_topic": by_topic,
        "by_unit": by_unit,
        "by_street": by_street,
        # Rollups the dashboards' 14-day trends read instead of re-scanning two weeks of orders.
        "by_street_topic": _nested(new, "street", "category__code"),
        "by_unit_topic": _nested(new, "lead_unit__code", "category__code"),
        "epidemic_by_topic": counter([r for r in new if r["epidemic"]], "category__code"),
        "hot_topics": [{"code": c, "name": topic_names.get(c, c), "count": n}
                       for c, n in Counter(by_topic).most_common(HOT_TOPICS)],
        "hot_places": [{"code": c, "name": names.get(c, c), "count": n} for c, n in places.most_common(HOT_TOPICS)],
        "rising_topics": [{**r, "name": topic_names.get(r["code"], r["code"])} for r in rising],
        "trend_8d": trend,
        "notable_cases": [_case(r, names) for r in notable[:20]],
        "pressed_units": sorted(
            ({"unit": code, "name": names.get(code, "未派单"), "urge": p["urge"], "supervise": p["supervise"],
              "orders": len(p["orders"])} for code, p in pressure.items()),
            key=lambda p: (-(p["urge"] + p["supervise"]), p["unit"])),
        "labels": {
            "type": {k: str(v) for k, v in OrderType.choices},
            "channel": {k: str(v) for k, v in Channel.choices}, "topic": topic_names,
            "unit": {c: names.get(c, c) for c in [*by_unit, *by_street]},
        },
        "definitions": metrics.DEFINITIONS,
    }


def _nested(rows, outer, inner):
    result = {}
    for row in rows:
        if row[outer]:
            bucket = result.setdefault(row[outer], {})
            bucket[row[inner]] = bucket.get(row[inner], 0) + 1
    return result


def _rising(by_topic, start, scope, day):
    """Topics clearly above their daily average of the previous 7 days (index on received_at)."""
    before = WorkOrder.objects.filter(received_at__gte=start - timedelta(days=7), received_at__lt=start)
    if scope.whole:
        baseline = Counter(dict(before.values_list("category__code").annotate(n=Count("id")).order_by()))
        # One indexed count per day: no row of the week is fetched.
        per_day = {d: before.filter(received_at__gte=start + timedelta(days=d),
                                    received_at__lt=start + timedelta(days=d + 1)).count() for d in range(-7, 0)}
    else:
        rows = scope.rows(before, ("id", "category__code", "received_at"))
        baseline = Counter(r["category__code"] for r in rows)
        per_day = Counter((r["received_at"] - start).days for r in rows)
    trend = [{"date": (day + timedelta(days=d)).isoformat(), "count": per_day.get(d, 0)} for d in range(-7, 0)]
    result = []
    for code, count in by_topic.items():
        average = baseline.get(code, 0) / 7
        if count >= RISING_MIN and count >= RISING_FACTOR * max(average, 1 / 7):
            result.append({"code": code, "count": count, "average_before": round(average, 1)})
    return sorted(result, key=lambda r: -(r["count"] - r["average_before"])), trend


def _case(row, names):
    return {
        "number": row["number"], "topic": row["category__name"], "unit": row["lead_unit__name"] or "",
        "state": str(State(row["state"]).label), "major": row["major"], "epidemic": row["epidemic"],
        "received_at": timezone.localtime(row["received_at"]).strftime("%m-%d %H:%M"),
        "summary": (row["content"] or "")[:60],
    }


@transaction.atomic
def generate(day, cutoff="00:00", user=None, now=None):
    """Build and store (or refresh) the district report for the day; returns the DailyReport."""
    from reports.models import DailyReport

    cutoff = parse_cutoff(cutoff)
    figures = build(day, cutoff, now=now)
    report, _ = DailyReport.objects.update_or_create(
        date=date.fromisoformat(figures["date"]), cutoff=cutoff,
        defaults={"figures": figures, "generated_at": now or timezone.now(), "generated_by": user},
    )
    return report
