"""End-to-end triage of one order (route + classify + duplicate search over the hotline table) at 10,000 and at
1,000,000 work orders, side by side.

    # 1. databases (SQLite; generation under nice): the reports benchmark's generator, then realistic texts and
    #    addresses for the last 14 days (hot compounds, repeat calls), the stored duplicate keys, a model
    SHOUHU_VAR_DIR=/tmp/ts-10k nice -n 19 python bench/triage_1m.py prepare --orders 10000
    SHOUHU_VAR_DIR=/tmp/ts-1m  nice -n 19 python bench/triage_1m.py prepare --orders 1000000
    #    (or copy an existing reports-benchmark database into the directory first: prepare migrates it)
    # 2. measure: the same query orders against both, in alternating rounds (load on the machine hits both)
    python bench/triage_1m.py compare /tmp/ts-10k /tmp/ts-1m --queries 600 --rounds 4
    # PostgreSQL: prepare and measure with SHOUHU_DATABASE_URL=postgres://… (the plan is EXPLAIN ANALYZE)
    SHOUHU_DATABASE_URL=postgres://… python bench/triage_1m.py measure --count 300 --plan

Each query order is timed through `triage.services.suggest(text, address, user=<district operator>)` — what
the intake API and the intake page call — and its parts separately (route, classify, duplicate search =
the hotline's candidate query + scoring); "total_cpu" is the process CPU time of the whole suggestion (what
the wall clock shows on an idle machine; on the shared build machine the wall clock includes waiting for a
core). The plan of the candidate query is printed (EXPLAIN QUERY PLAN).
"""

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")
os.environ.setdefault("SHOUHU_DEBUG", "1")

DATA = ROOT / "triage" / "tests" / "data"
RECENT_DAYS = 14
HOT_SHARE = 0.3  # of the calls without a known community: about a few hot compounds
REPEAT_SHARE = 0.35  # of the calls: the same matter as an open order of that place (a second caller)
FILLER = ["", "", "麻烦尽快处理", "已经好几天了", "希望有关部门重视", "谢谢", "我是这里的居民", "请派人来看看",
          "打了好几次电话了", "老人孩子都很担心"]


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1)))]


def corpus():
    complaints = [r["text"] for r in csv.DictReader(open(DATA / "ep_topics.csv", encoding="utf-8"))]
    addresses = [r for r in csv.DictReader(open(DATA / "routing_demo.csv", encoding="utf-8")) if r["street_code"]]
    by_community, by_street = {}, {}
    for row in addresses:
        if row["community_code"]:
            by_community.setdefault(row["community_code"], []).append(row["address"])
        by_street.setdefault(row["street_code"], []).append(row["address"])
    rng = random.Random(11)
    hot = rng.sample(sorted(by_community), 5)
    return complaints, addresses, by_community, by_street, hot


def fresh_text(rng, complaints):
    return rng.choice(complaints) + rng.choice(FILLER)


def variant(rng, text):
    """A second caller about the same matter: other wording around the same core."""
    core = text[: max(8, int(len(text) * rng.uniform(0.6, 0.9)))]
    return rng.choice(["", "又", "我也要反映,", "还是那个事,"]) + core + rng.choice(FILLER)


def pick_address(rng, addresses, by_community, hot):
    if rng.random() < HOT_SHARE:
        return rng.choice(by_community[rng.choice(hot)])
    return rng.choice(addresses)["address"]


# ---------------------------------------------------------------------------------------------------- prepare

def prepare(args):
    import reports_bench

    reports_bench.setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from hotline.assist import routed_paths
    from hotline.models import OPEN_STATES, Category, WorkOrder, duplicate_keys
    from places.models import OrgUnit
    from triage.classify import train
    from triage.demo import load as load_gazetteer
    from triage.duplicates import shingle_text
    from triage.models import ClassifierModel, Road, TrainingExample

    reports_bench.base_data()
    started = time.perf_counter()
    print(f"generate: {reports_bench.generate(args.orders, args.per_day):.0f}s", flush=True)
    if connection.vendor == "sqlite":
        reports_bench.settle_old_redos()  # SQLite date functions; on PostgreSQL some old redos stay open
    if not Road.objects.exists():
        load_gazetteer()
    complaints, addresses, by_community, by_street, hot = corpus()
    rng = random.Random(5)
    units = dict(OrgUnit.objects.values_list("code", "path"))
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = list(WorkOrder.objects.filter(received_at__gte=since).order_by("received_at").values_list(
        "id", "state", "street_path", "community_path"))
    print(f"recent orders: {len(recent)}", flush=True)
    matters = {}  # place → texts of earlier calls there (repeat calls draw from them)
    updates = []
    for pk, state, street_path, community_path in recent:
        community = community_path.rstrip("/").rsplit("/", 1)[-1] if community_path else ""
        street = street_path.rstrip("/").rsplit("/", 1)[-1] if street_path else ""
        if community in by_community:
            address = rng.choice(by_community[community])
        elif street in by_street:
            address = rng.choice(by_street[street])
        else:
            address = pick_address(rng, addresses, by_community, hot)
        earlier = matters.setdefault(address, [])
        text = variant(rng, rng.choice(earlier)) if earlier and rng.random() < REPEAT_SHARE else fresh_text(
            rng, complaints)
        earlier.append(text)
        routed = routed_paths(address, units)
        keys = duplicate_keys(state, street_path, community_path, *routed)
        updates.append((text, address, routed[0], routed[1], keys[0], keys[1], shingle_text(text), pk))
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany("UPDATE hotline_workorder SET content = %s, address = %s, routed_street_path = %s, "
                        "routed_community_path = %s, dup_street_path = %s, dup_community_path = %s, "
                        "dup_shingles = %s WHERE id = %s", updates)
    # Older open orders (outside every window, but in the indexes) get their keys from the dispatch.
    older = WorkOrder.objects.filter(state__in=OPEN_STATES, received_at__lt=since, dup_shingles__isnull=True)
    rows = [(*duplicate_keys(state, sp, cp, "", ""), shingle_text(content), pk)
            for pk, state, sp, cp, content in older.values_list("id", "state", "street_path", "community_path",
                                                               "content")]
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany("UPDATE hotline_workorder SET dup_street_path = %s, dup_community_path = %s, "
                        "dup_shingles = %s WHERE id = %s", rows)
    print(f"older open orders keyed: {len(rows)}", flush=True)
    if not ClassifierModel.objects.filter(active=True).exists() and args.train_n:
        cats = {c.code: c for c in Category.objects.all()}
        labelled = [(r["text"], r["label"]) for r in csv.DictReader(open(DATA / "ep_topics.csv", encoding="utf-8"))]
        examples = []
        for _ in range(args.train_n):
            text, label = rng.choice(labelled)
            examples.append(TrainingExample(text=f"{pick_address(rng, addresses, by_community, hot)}{text}"
                                                 f"{rng.choice(FILLER)}{rng.randint(1, 999)}", category=cats[label]))
        TrainingExample.objects.bulk_create(examples, batch_size=5000)
        model = train()
        print(f"model: n={model.n_examples}", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE hotline_workorder" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"prepared {WorkOrder.objects.count()} orders in {time.perf_counter() - started:.0f}s")


# ---------------------------------------------------------------------------------------------------- measure

def queries(n):
    """The query orders (the same for every database): an address, and a fresh text or a repeat call of a
    matter that is open there in both databases' recent load (texts drawn from the same corpus)."""
    complaints, addresses, by_community, _by_street, hot = corpus()
    rng = random.Random(23)
    out = []
    for _ in range(n):
        address = pick_address(rng, addresses, by_community, hot)
        text = fresh_text(rng, complaints)
        out.append((variant(rng, text) if rng.random() < REPEAT_SHARE else text, address))
    return out


def measure(args):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    settings.DEBUG = False
    from hotline import selectors
    from hotline.assist import similar_open_orders
    from hotline.models import WorkOrder
    from places.models import OrgUnit
    from triage.classify import classify
    from triage.router import route
    from triage.services import suggest

    user = get_user_model().objects.get(username="supervisor")
    work = queries(args.queries)[args.start:args.start + args.count]
    route("预热")
    classify("预热口罩")
    suggest("口罩卖二十块一个", "永和佳苑", user=user)
    paths = dict(OrgUnit.objects.values_list("code", "path"))
    out = {"orders": WorkOrder.objects.count(), "total": [], "total_cpu": [], "route": [], "classify": [],
           "duplicates": [], "candidates": [], "found": []}
    for text, address in work:
        c0, t0 = time.process_time(), time.perf_counter()
        result = suggest(text, address, user=user)
        t1, c1 = time.perf_counter(), time.process_time()
        out["total_cpu"].append((c1 - c0) * 1000)
        routed = route(address)
        t2, c2 = time.perf_counter(), time.process_time()
        classify(text)
        t3, c3 = time.perf_counter(), time.process_time()
        street = paths.get(routed.street[0], "") if routed.street else ""
        community = paths.get(routed.community[0], "") if routed.community else ""
        similar_open_orders(user, text, street_path=street, community_path=community)
        t4, c4 = time.perf_counter(), time.process_time()
        for key, ms in (("route_cpu", c2 - c1), ("classify_cpu", c3 - c2), ("duplicates_cpu", c4 - c3)):
            out.setdefault(key, []).append(ms * 1000)
        out["total"].append((t1 - t0) * 1000)
        out["route"].append((t2 - t1) * 1000)
        out["classify"].append((t3 - t2) * 1000)
        out["duplicates"].append((t4 - t3) * 1000)
        out["candidates"].append(len(selectors.duplicate_candidates(user, street, community_path=community)))
        out["found"].append(len(result["duplicates"]))
    if args.plan:
        community = paths[corpus()[4][0]]
        qs = selectors.duplicate_candidates_query(user, community_path=community)  # as the search runs it
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
            cur.execute(explain + sql, params)
            out["plan"] = [row[-1] for row in cur.fetchall()]
    print(json.dumps(out))


def compare(args):
    """Alternate rounds between the databases so that the machine's load falls on both alike."""
    per_round = args.queries // args.rounds
    results = {d: {} for d in args.dirs}
    for r in range(args.rounds):
        for var_dir in (args.dirs if r % 2 == 0 else list(reversed(args.dirs))):
            env = {**os.environ, "SHOUHU_VAR_DIR": var_dir}
            cmd = [sys.executable, __file__, "measure", "--queries", str(args.queries), "--start",
                   str(r * per_round), "--count", str(per_round)] + (["--plan"] if r == 0 else [])
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            data = json.loads(done.stdout.strip().splitlines()[-1])
            for key, value in data.items():
                if isinstance(value, list) and key != "plan":
                    results[var_dir].setdefault(key, []).extend(value)
                else:
                    results[var_dir][key] = value
            print(f"round {r + 1} {var_dir}: p50 {statistics.median(data['total']):.1f} ms", flush=True)
    rows = {}
    for var_dir, data in results.items():
        print(f"\n{var_dir}: {data['orders']} orders, n={len(data['total'])}; candidate query plan: "
              f"{' | '.join(data.get('plan', []))}")
        for key in ("total", "total_cpu", "route", "route_cpu", "classify", "classify_cpu", "duplicates",
                    "duplicates_cpu"):
            rows[(var_dir, key)] = (statistics.median(data[key]), p(data[key], 0.95))
            print(f"  {key:<11} p50={rows[(var_dir, key)][0]:6.2f} ms  p95={rows[(var_dir, key)][1]:6.2f} ms")
        print(f"  candidates per order: median {statistics.median(data['candidates']):.0f}, "
              f"max {max(data['candidates'])}; orders with a duplicate found: "
              f"{sum(1 for f in data['found'] if f) / len(data['found']):.0%}")
    small, big = args.dirs[0], args.dirs[-1]
    for key in ("total", "total_cpu", "duplicates", "duplicates_cpu"):
        print(f"ratio {key} {big}/{small}: p50 {rows[(big, key)][0] / rows[(small, key)][0]:.2f}  "
              f"p95 {rows[(big, key)][1] / rows[(small, key)][1]:.2f}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare")
    prep.add_argument("--orders", type=int, default=10000)
    prep.add_argument("--per-day", type=int, default=500)
    prep.add_argument("--train-n", type=int, default=20000)
    meas = sub.add_parser("measure")
    meas.add_argument("--queries", type=int, default=600)
    meas.add_argument("--start", type=int, default=0)
    meas.add_argument("--count", type=int, default=600)
    meas.add_argument("--plan", action="store_true")
    comp = sub.add_parser("compare")
    comp.add_argument("dirs", nargs="+")
    comp.add_argument("--queries", type=int, default=600)
    comp.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    {"prepare": prepare, "measure": measure, "compare": compare}[args.command](args)


if __name__ == "__main__":
    main()
