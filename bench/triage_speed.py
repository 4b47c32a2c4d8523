"""Triage speed: route + classify (+ duplicate search over 500 candidates) per order, and training time.

  python bench/triage_speed.py [--train-n 100000] [--orders 2000]
Synthetic training texts are the EP test complaints recombined with addresses and filler (timing only).
Uses a throwaway SQLite database with the demo tree.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")
os.environ.setdefault("SHOUHU_DEBUG", "1")
os.environ.setdefault("SHOUHU_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")


def p95(values):
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-n", type=int, default=100000)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--candidates", type=int, default=500)
    args = parser.parse_args()

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from hotline.models import Category
    from places.demo import demo_csv
    from places.services import import_places
    from triage import duplicates
    from triage.classify import classify, train
    from triage.demo import load
    from triage.models import TrainingExample
    from triage.router import route

    import_places(demo_csv())
    load()
    data = ROOT / "triage" / "tests" / "data"
    complaints = list(csv.DictReader(open(data / "ep_topics.csv", encoding="utf-8")))
    addresses = [r["address"] for r in csv.DictReader(open(data / "routing_demo.csv", encoding="utf-8"))]
    rng = random.Random(1)
    filler = "您好我想反映一个情况麻烦尽快处理谢谢这个事情已经好几天了希望有关部门重视"

    def synth():
        row = rng.choice(complaints)
        cut = rng.randint(0, len(filler) - 8)
        return row["label"], f"{rng.choice(addresses)}{row['text']}{filler[cut:cut + rng.randint(4, 12)]}{rng.randint(1, 999)}"

    cats = {c.code: c for c in Category.objects.all()}
    TrainingExample.objects.bulk_create(
        [TrainingExample(text=t, category=cats[label]) for label, t in (synth() for _ in range(args.train_n))],
        batch_size=5000)
    started = time.perf_counter()
    model = train()
    train_s = time.perf_counter() - started
    print(f"train: n={model.n_examples} seconds={train_s:.1f}")

    route("预热")
    classify("预热口罩")
    now = datetime(2020, 2, 10, tzinfo=timezone.utc)
    candidates = []
    for i in range(args.candidates):
        label, text = synth()
        candidates.append((i, text, rng.choice(["320611001007", "320611006011", "320611005002"]),
                           now - timedelta(hours=rng.randint(0, 24 * 10))))
    route_ms, classify_ms, dup_ms, total_ms = [], [], [], []
    for _ in range(args.orders):
        label, text = synth()
        address = rng.choice(addresses)
        t0 = time.perf_counter()
        routed = route(address)
        t1 = time.perf_counter()
        classify(text)
        t2 = time.perf_counter()
        duplicates.find(text, routed.community[0] if routed.community else None, candidates, now=now)
        t3 = time.perf_counter()
        route_ms.append((t1 - t0) * 1000)
        classify_ms.append((t2 - t1) * 1000)
        dup_ms.append((t3 - t2) * 1000)
        total_ms.append((t3 - t0) * 1000)
    for name, values in [("route", route_ms), ("classify", classify_ms), ("route+classify",
                         [a + b for a, b in zip(route_ms, classify_ms)]),
                         (f"duplicates({args.candidates})", dup_ms), ("total", total_ms)]:
        print(f"{name}: p50={statistics.median(values):.2f}ms p95={p95(values):.2f}ms n={len(values)}")


if __name__ == "__main__":
    main()
