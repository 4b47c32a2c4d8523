"""Benchmark of the reports: the daily report and each dashboard at N orders (SQLite by default).

    SHOUHU_VAR_DIR=/tmp/rb-10k /work/main/.venv/bin/python bench/reports_bench.py --orders 10000
    SHOUHU_VAR_DIR=/tmp/rb-1m  /work/main/.venv/bin/python bench/reports_bench.py --orders 1000000
    # PostgreSQL: SHOUHU_DATABASE_URL=postgres://… python bench/reports_bench.py --orders 10000000

The last 14 days carry the same district-sized load in every run (--per-day, default 500 orders a day);
the rest of N fills the 46 days before. So runs differ only in the size of the history, and the ratio of
their times shows whether cost follows the day's work (goal ≤ 2). Orders are bulk-inserted with their
timeline rows (intake, dispatch, accept, reply, signoff, approve, callback, and returns, redos, urges,
merges, cancels in realistic shares); then the worker's job of the last 14 days' stored reports runs, and
each measured call is timed as server time through Django's test client (median of --runs).
"""

import argparse
import os
import random
import statistics
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")
os.environ.setdefault("SHOUHU_DEBUG", "1")

DAYS, RECENT = 60, 14


def setup_django():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False  # no query log: time what production runs
    call_command("migrate", verbosity=0)


def base_data():
    from django.contrib.auth import get_user_model

    from accounts.models import Membership
    from places.demo import demo_csv
    from places.models import OrgUnit
    from places.services import import_places

    if not OrgUnit.objects.exists():
        import_places(demo_csv())
    users = {}
    for username, unit_name, role in (("supervisor", "港闸区", "supervisor"), ("xf_liaison", "幸福街道", "liaison"),
                                      ("hq_worker", "花桥社区", "community_worker")):
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password("bench")
            user.save()
            Membership.objects.create(user=user, unit=OrgUnit.objects.get(name=unit_name), role=role)
        users[username] = user
    return users


class Row:
    """A work order being generated: WorkOrder's column defaults, filled in by plain attribute sets."""

    ORDER_COLUMNS = (
        "id", "number", "channel", "caller_name", "caller_phone", "caller_phone_hash", "anonymous", "address",
        "content", "order_type", "epidemic", "urgency", "major", "state", "platform_path", "lead_path",
        "street_path", "community_path", "received_at", "dispatched_at", "accept_due", "accepted_at",
        "accepted_late", "reply_due", "deadline_start", "warning", "replied_at", "replied_late", "closed_at",
        "reply_text", "signed_by_name", "signed_at", "answered_directly", "extension_until", "extension_reason",
        "extension_count", "callback_result", "callback_note", "return_count", "redo_count", "urge_count",
        "supervised", "cancel_reason", "external_id", "category_id", "community_id", "created_by_id",
        "knowledge_id", "lead_unit_id", "merged_into_id", "platform_id", "reply_by_id", "signed_unit_id")

    def __init__(self, **kw):
        self.caller_name = self.caller_phone = self.caller_phone_hash = self.address = self.lead_path = ""
        self.street_path = self.community_path = self.warning = self.reply_text = self.signed_by_name = ""
        self.extension_reason = self.callback_result = self.callback_note = self.cancel_reason = ""
        self.external_id = ""
        self.anonymous = self.accepted_late = self.replied_late = self.answered_directly = self.supervised = False
        self.extension_count = self.return_count = self.redo_count = self.urge_count = 0
        self.dispatched_at = self.accept_due = self.accepted_at = self.replied_at = self.closed_at = None
        self.signed_at = self.extension_until = self.community_id = self.created_by_id = self.knowledge_id = None
        self.lead_unit_id = self.merged_into_id = self.reply_by_id = self.signed_unit_id = None
        self.__dict__.update(kw)

    def values(self, columns):
        return tuple(db_value(getattr(self, c)) for c in columns)


def db_value(value):
    """What Django stores on SQLite: datetimes as naive UTC text (raw inserts must match it)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value


def generate(total, per_day, seed=7):
    """Bulk-insert `total` orders and their timeline; returns seconds taken."""
    from django.db import connection, transaction
    from django.utils import timezone

    from hotline import deadlines
    from hotline.models import Category, WorkOrder
    from places.models import OrgUnit

    if WorkOrder.objects.exists():
        return 0.0
    rnd = random.Random(seed)
    started = clock.perf_counter()
    district = OrgUnit.objects.get(kind="district")
    streets = list(OrgUnit.objects.filter(kind__in=["street", "zone"]))
    departments = list(OrgUnit.objects.filter(kind="department"))
    communities = {s.pk: list(OrgUnit.objects.filter(kind="community", path__startswith=s.path)) for s in streets}
    categories = list(Category.objects.filter(active=True))
    weights = [6 if c.code.startswith("EP-") else 1 for c in categories]
    types = ["consult", "help", "complaint", "report", "suggestion"]
    type_w = [45, 20, 18, 15, 2]
    channels = ["phone", "wechat", "web", "walkin", "upper"]
    channel_w = [75, 12, 8, 2, 3]
    results = ["satisfied", "basic", "unsatisfied", "unreachable"]
    result_w = [70, 18, 5, 7]
    now = timezone.now()
    today = timezone.localdate()
    day0 = today - timedelta(days=DAYS - 1)
    recent = min(total, per_day * RECENT)
    old_days = DAYS - RECENT
    plan = [(today - timedelta(days=RECENT - 1 - i // per_day)) for i in range(recent)]
    rest = total - recent
    plan += [day0 + timedelta(days=rnd.randrange(old_days)) for _ in range(rest)]
    plan.sort()
    # Columns hotline adds later get their model default (and unit_open its meaning) so the loader keeps working.
    extra = {f.column: f.get_default() for f in WorkOrder._meta.concrete_fields
             if f.column not in Row.ORDER_COLUMNS}
    columns = (*Row.ORDER_COLUMNS, *extra)
    order_sql = (f"INSERT INTO hotline_workorder ({', '.join(columns)}) "
                 f"VALUES ({', '.join(['%s'] * len(columns))})")
    event_sql = ("INSERT INTO hotline_orderevent (order_id, at, actor_id, actor_label, unit_id, action, from_state,"
                 " to_state, note, data) VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, '', %s)")
    counters = {}
    batch, events = [], []
    next_id = (WorkOrder.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    hour_w = [1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 10, 9, 10, 11, 11, 10, 9, 8, 7, 6, 4, 3, 2]

    def flush():
        with transaction.atomic(), connection.cursor() as cur:
            for o in batch:
                for column, default in extra.items():
                    o.__dict__.setdefault(column, default)
                if "unit_open" in extra:
                    o.unit_open = 1 if o.state in ("pending_accept", "handling") else 0
            if connection.vendor == "postgresql":  # COPY: one stream per table instead of a row-by-row insert
                raw = cur.cursor
                with raw.copy(f"COPY hotline_workorder ({', '.join(columns)}) FROM STDIN") as copy:
                    for o in batch:
                        copy.write_row(o.values(columns))
                with raw.copy("COPY hotline_orderevent (order_id, at, actor_label, unit_id, action, from_state, "
                              "to_state, data, note) FROM STDIN") as copy:
                    for e in events:
                        copy.write_row((*(db_value(v) for v in e), ""))
            else:
                cur.executemany(order_sql, [o.values(columns) for o in batch])
                cur.executemany(event_sql, [tuple(db_value(v) for v in e) for e in events])
        batch.clear()
        events.clear()

    dropped = _drop_indexes(connection) if connection.vendor == "sqlite" else []
    hours = rnd.choices(range(24), hour_w, k=len(plan))
    picked = rnd.choices(categories, weights, k=len(plan))
    for n, day in enumerate(plan):
        hour = hours[n]
        received = timezone.make_aware(datetime.combine(day, time(hour, rnd.randrange(60), rnd.randrange(60))))
        if received > now:
            received = now - timedelta(minutes=rnd.randrange(1, 600))
        category = picked[n]
        epidemic = category.code.startswith("EP-")
        order_type = rnd.choices(types, type_w)[0]
        counters[day] = counters.get(day, 0) + 1
        oid = next_id
        next_id += 1
        o = Row(id=oid, number=f"B{day:%Y%m%d}-{counters[day]:06d}", channel=rnd.choices(channels, channel_w)[0],
                content=f"{category.name}:群众反映情况(基准测试)", order_type=order_type, category_id=category.pk,
                epidemic=epidemic, platform_id=district.pk, received_at=received, deadline_start=received,
                major=rnd.random() < 0.002, urgency="critical" if rnd.random() < 0.01 else "normal",
                platform_path=district.path, state="pending_dispatch")
        pol = deadlines.Policy(epidemic, deadlines.REPLY_WORKDAYS.get(order_type, 5), 1)
        o.reply_due = _reply_due(received, pol)
        ev = [(received, district.pk, "intake", "", "pending_dispatch", "{}")]
        age_h = (now - received).total_seconds() / 3600
        r = rnd.random()
        if r < 0.08:  # direct answer
            o.answered_directly, o.replied_at = True, received + timedelta(minutes=rnd.randrange(2, 20))
            ev.append((o.replied_at, district.pk, "answer", "pending_dispatch", "pending_callback", "{}"))
            o.state = "pending_callback"
            _close(o, ev, rnd, results, result_w, now, district)
        elif r < 0.10:
            o.state, o.closed_at = "cancelled", received + timedelta(minutes=30)
            o.cancel_reason = "重复来电"
            ev.append((o.closed_at, district.pk, "cancel", "pending_dispatch", "cancelled", "{}"))
        elif r < 0.12:
            o.state = "merged"
            ev.append((received + timedelta(minutes=15), district.pk, "merge", "pending_dispatch", "merged", "{}"))
        else:
            _handled(o, ev, rnd, streets, departments, communities, results, result_w, now, age_h, district)
        batch.append(o)
        events.extend((oid, at, "系统", unit, action, f, t, data) for at, unit, action, f, t, data in ev if at <= now)
        if len(batch) >= 20000:
            flush()
            print(f"  … {oid} orders", file=sys.stderr, flush=True)
    if batch:
        flush()
    with connection.cursor() as cur:
        for sql in dropped:  # one sorted build per index instead of millions of random B-tree inserts
            cur.execute(sql)
        if connection.vendor == "postgresql":  # explicit ids were inserted: move the identity sequences past them
            for table in ("hotline_workorder", "hotline_orderevent"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cur.execute("ANALYZE")
    return clock.perf_counter() - started


def _drop_indexes(connection):
    """Drop the secondary indexes of the two big tables during the load (returns their CREATE statements)."""
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -400000")
        cur.execute("PRAGMA synchronous = OFF")
        cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                    "('hotline_workorder', 'hotline_orderevent')")
        found = cur.fetchall()
        for name, _sql in found:
            cur.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


_DUE = {}


def _reply_due(received, pol):
    """deadlines.reply_due, memoised on what it depends on (the local day, before/after 20:00, the policy)."""
    from django.utils import timezone

    from hotline import deadlines

    local = timezone.localtime(received)
    key = (local.date(), local.hour >= 20, pol)
    if key not in _DUE:
        _DUE[key] = deadlines.reply_due(received, pol)
    return _DUE[key]


def _handled(o, ev, rnd, streets, departments, communities, results, result_w, now, age_h, district):
    unit = rnd.choice(streets) if rnd.random() < 0.78 else rnd.choice(departments)
    o.lead_unit_id = unit.pk
    o.lead_path = unit.path
    if unit.kind in ("street", "zone"):
        o.street_path = unit.path
        if rnd.random() < 0.4 and communities.get(unit.pk):
            community = rnd.choice(communities[unit.pk])
            o.community_id, o.community_path = community.pk, community.path
    o.dispatched_at = o.received_at + timedelta(minutes=rnd.randrange(3, 40))
    o.accept_due = o.dispatched_at + (timedelta(hours=1) if o.epidemic else timedelta(days=1))
    ev.append((o.dispatched_at, unit.pk, "dispatch", "pending_dispatch", "pending_accept", "{}"))
    o.state = "pending_accept"
    if rnd.random() < 0.03:
        ev.append((o.dispatched_at + timedelta(minutes=20), unit.pk, "return", "pending_accept", "pending_dispatch",
                   "{}"))
        o.return_count = 1
        o.dispatched_at += timedelta(minutes=40)
        ev.append((o.dispatched_at, unit.pk, "dispatch", "pending_dispatch", "pending_accept", "{}"))
    accepted = o.dispatched_at + timedelta(minutes=rnd.randrange(5, 240 if o.epidemic else 1800))
    if accepted > now:
        return
    o.accepted_at, o.accepted_late, o.state = accepted, accepted > o.accept_due, "handling"
    ev.append((accepted, unit.pk, "accept", "pending_accept", "handling", "{}"))
    if rnd.random() < 0.05:
        o.urge_count = 1
        ev.append((accepted + timedelta(hours=2), unit.pk, "urge", "handling", "handling", "{}"))
    if rnd.random() < 0.01:
        o.supervised = True
        ev.append((accepted + timedelta(hours=3), unit.pk, "supervise", "handling", "handling", "{}"))
    span = (o.reply_due - o.received_at) * rnd.uniform(0.2, 1.15)
    signed = o.received_at + span
    if signed > now or rnd.random() < 0.003:  # still in work (a few stuck forever)
        o.warning = "red" if now > o.reply_due else ("yellow" if rnd.random() < 0.2 else "")
        return
    o.replied_at, o.replied_late, o.signed_at = signed, signed > o.reply_due, signed
    o.signed_unit_id, o.signed_by_name, o.reply_text = unit.pk, "负责人", "已办理"
    ev.append((signed - timedelta(minutes=30), unit.pk, "reply", "handling", "pending_signoff", "{}"))
    ev.append((signed, unit.pk, "signoff", "pending_signoff", "pending_review", "{}"))
    approved = signed + timedelta(minutes=rnd.randrange(10, 120))
    if approved > now:
        o.state = "pending_review"
        return
    ev.append((approved, district.pk, "approve", "pending_review", "pending_callback", "{}"))
    o.state = "pending_callback"
    _close(o, ev, rnd, results, result_w, now, district)


def _close(o, ev, rnd, results, result_w, now, district):
    at = (o.replied_at or o.received_at) + timedelta(hours=rnd.uniform(1, 20))
    if at > now:
        return
    result = rnd.choices(results, result_w)[0]
    if result == "unsatisfied" and o.lead_unit_id and rnd.random() < 0.5:
        o.redo_count, o.state, o.callback_result = 1, "handling", "unsatisfied"
        ev.append((at, district.pk, "redo", "pending_callback", "handling", "{}"))
        o.replied_at, o.replied_late = None, False
        return
    o.state, o.callback_result, o.closed_at = "closed", result, at
    ev.append((at, district.pk, "callback", "pending_callback", "closed", '{"result": "%s"}' % result))


def settle_old_redos():
    """Redone orders older than 5 days were answered again and closed (the generator leaves them in work);
    otherwise the open work would grow with the history, which no real platform shows. Idempotent."""
    from django.db import connection
    from django.utils import timezone

    cutoff = db_value(timezone.now() - timedelta(days=5))
    if connection.vendor == "postgresql":
        plus3, plus4 = "received_at + interval '3 days'", "received_at + interval '4 days'"
    else:
        plus3, plus4 = "datetime(received_at, '+3 days')", "datetime(received_at, '+4 days')"
    with connection.cursor() as cur:
        cur.execute("UPDATE hotline_workorder SET state = 'closed', warning = '', callback_result = 'basic', "
                    f"unit_open = 0, replied_at = {plus3}, closed_at = {plus4} "
                    "WHERE redo_count = 1 AND state = 'handling' AND received_at < %s", [cutoff])


def seed_areas(per_gate_day=60, seed=11):
    """The community dashboard's area tables at a fixed, realistic size (the same in every run: they do not
    grow with the hotline history): 60 days of gate entries, per_gate_day at every gate of the tree in
    daytime hours, 2 % of them raising an alert (the last day's still open). Quarantine, door-to-door
    services, volunteer shifts and stock stay empty: their tiles count small per-community tables.
    Idempotent: skipped when entries exist. Returns (entries, alerts)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from community.models import Alert, GateEntry
    from places.models import OrgUnit

    if GateEntry.objects.exists():
        return GateEntry.objects.count(), Alert.objects.count()
    rnd = random.Random(seed)
    now = timezone.now()
    gates = [(g, g.ancestor_of_kind("community")) for g in OrgUnit.objects.filter(kind="gate")]
    gates = [(g, c) for g, c in gates if c is not None]
    entry_cols = ("id", "gate_id", "community_id", "unit_path", "created_at", "occurred_at", "direction", "mode",
                  "plate", "plate_province", "plate_local", "travel", "hubei_travel", "purpose", "note", "source",
                  "recorder_id", "idempotency_key", "alerted")
    alert_cols = ("kind", "message", "advice", "status", "created_at", "handling_note", "community_id", "gate_id",
                  "entry_id")
    entries, alerts, next_id = [], [], 1
    for day in range(DAYS - 1, -1, -1):
        for gate, community in gates:
            for _ in range(per_gate_day):
                at = now - timedelta(days=day, hours=rnd.uniform(0, 14))
                if at > now:
                    continue
                hubei = rnd.random() < 0.02
                entries.append((next_id, gate.pk, community.pk, gate.path, db_value(at), db_value(at),
                                rnd.choice(["in", "out"]), rnd.choice(["foot", "vehicle"]), "", "", False, "", hubei,
                                "", "", "volunteer", None, f"bench-{next_id}", hubei))
                if hubei:
                    alerts.append(("hubei", f"{gate.name}:14天内到过湖北人员登记", "", "open" if day < 1 else "closed",
                                   db_value(at), "", community.pk, gate.pk, next_id))
                next_id += 1
    with transaction.atomic(), connection.cursor() as cur:
        for table, cols, rows in (("community_gateentry", entry_cols, entries), ("community_alert", alert_cols, alerts)):
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})", rows)
        if connection.vendor == "postgresql":
            for table in ("community_gateentry", "community_alert"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cur.execute("ANALYZE")
    return len(entries), len(alerts)


def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        t = clock.perf_counter()
        fn()
        times.append((clock.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def period_orders(period):
    """Orders received in the KPI table's current period (how much work the period holds)."""
    from django.utils import timezone

    from hotline.models import WorkOrder
    from reports import kpi

    first, after = kpi.period_range(period, timezone.localdate())
    start = timezone.make_aware(datetime.combine(first, time(0)))
    end = timezone.make_aware(datetime.combine(after, time(0)))
    return WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end).count()


KPI_CALLS = {  # the KPI table ("any KPI by any dimension and period"), as the district supervisor
    "kpi_unit_week_ms": "/reports/kpi/?dimension=unit&period=week",
    "kpi_unit_month_ms": "/reports/kpi/?dimension=unit&period=month",
    "kpi_unit_quarter_ms": "/reports/kpi/?dimension=unit&period=quarter",
    "kpi_street_month_ms": "/reports/kpi/?dimension=street&period=month",
    "kpi_category_month_ms": "/reports/kpi/?dimension=category&period=month",
    "kpi_unit_quarter_xlsx_ms": "/reports/kpi/?dimension=unit&period=quarter&format=xlsx",
}


def measure_kpi(users, runs):
    from django.test import Client

    client = Client()
    client.force_login(users["supervisor"])
    result = {f"orders_in_{p}": period_orders(p) for p in ("week", "month", "quarter")}
    for key, url in KPI_CALLS.items():
        def call(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        call()  # warm-up
        result[key] = median_ms(call, runs)
        print(f"  {key}: {result[key]}", file=sys.stderr, flush=True)
    return result


def measure(users, runs):
    from django.test import Client
    from django.utils import timezone

    from places.models import OrgUnit
    from reports import daily

    yesterday = timezone.localdate() - timedelta(days=1)
    started = clock.perf_counter()
    for d in range(RECENT, 0, -1):  # the worker's morning job, for the trend's past days
        daily.generate(timezone.localdate() - timedelta(days=d))
    stored_s = clock.perf_counter() - started
    xingfu, huaqiao = OrgUnit.objects.get(name="幸福街道"), OrgUnit.objects.get(name="花桥社区")
    district_client, unit_client, community_client = Client(), Client(), Client()
    district_client.force_login(users["supervisor"])
    unit_client.force_login(users["xf_liaison"])
    community_client.force_login(users["hq_worker"])

    def get(client, url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        call()  # warm-up
        return median_ms(call, runs)

    return {
        "daily_report_build_ms": median_ms(lambda: daily.build(yesterday), runs),
        "daily_report_screen_ms": get(district_client, f"/reports/daily/{yesterday}/"),
        "daily_report_docx_ms": get(district_client, f"/reports/daily/{yesterday}/download.docx"),
        "dashboard_district_ms": get(district_client, "/reports/dashboard/"),
        "dashboard_unit_ms": get(unit_client, f"/reports/dashboard/unit/{xingfu.code}/"),
        "dashboard_community_ms": get(community_client, f"/reports/dashboard/community/{huaqiao.code}/"),
        "unit_daily_report_screen_ms": get(unit_client, f"/reports/daily/{yesterday}/"),
        "stored_14_reports_s": round(stored_s, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load-only", action="store_true", help="load (and settle) the orders, measure nothing")
    parser.add_argument("--kpi-only", action="store_true", help="measure only the KPI table")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from hotline.models import OrderEvent, WorkOrder

    users = base_data()
    if args.kpi_only:  # a loaded database: time the KPI table only (no load, settle or seeding steps)
        result = {"orders": WorkOrder.objects.count(), "database": connection.vendor, **measure_kpi(users, args.runs)}
        for key, value in result.items():
            print(f"{key}: {value}")
        return
    gen_s = generate(args.orders, args.per_day)
    settle_old_redos()
    areas = seed_areas()
    if args.load_only:
        print(f"loaded {WorkOrder.objects.count()} orders in {gen_s:.1f} s")
        return
    result = {"orders": WorkOrder.objects.count(), "events": OrderEvent.objects.count(),
              "database": connection.vendor, "generate_s": round(gen_s, 1),
              "gate_entries": areas[0], "alerts": areas[1], **measure(users, args.runs), **measure_kpi(users, args.runs)}
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
