"""Route and rules-only classification speed over every test address and complaint in triage/tests/data.

  python bench/triage_route_rules.py
Uses a throwaway SQLite database: migrated defaults, the demo org tree and the demo gazetteer.
Per item the best of 5 runs is kept (the machine is shared: this removes scheduler noise, not work).
"""

import glob
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")
os.environ.setdefault("SHOUHU_DEBUG", "1")
os.environ.setdefault("SHOUHU_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")


def best_of(fn, item, runs=5):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn(item)
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def main():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from places import demo as places_demo
    from triage import classify as clf
    from triage import demo as triage_demo
    from triage.evaluation import read_table
    from triage.router import get_index, route

    places_demo.load()
    triage_demo.load()
    get_index()
    clf.get_rules()
    data = ROOT / "triage" / "tests" / "data"
    addresses = [r["address"] for f in sorted(glob.glob(str(data / "routing_*.csv"))) for r in read_table(f)]
    texts = [r["text"] for f in sorted(glob.glob(str(data / "ep_*.csv"))) for r in read_table(f)]
    for name, fn, items in (("route", route, addresses),
                            ("classify, rules only", lambda t: clf.classify(t, use_model=False), texts)):
        times = sorted(best_of(fn, item) for item in items)
        print(f"{name}: n={len(items)} p50={statistics.median(times):.3f} ms "
              f"p95={times[int(0.95 * (len(times) - 1))]:.3f} ms worst={times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
