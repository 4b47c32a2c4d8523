"""Server time of a street liaison's inbox and the supervisor's red list at 10,000 and at 1,000,000 orders.

    /work/main/.venv/bin/python bench/hotline_lists.py [--small 10000] [--large 1000000]

A fresh SQLite database (temporary folder) with the demo district; orders are bulk-inserted (a benchmark
fixture, not the intake path: 1M intakes through the services would take hours here) with realistic
proportions: most closed, ~8% open across the streets and departments, ~1% of the open ones red.
Each page is rendered in-process through the real view (Django test client, logged in) 15 times; the
median is reported, with the ratio large/small (goal: < 200 ms per page, ratio ≤ 2).
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SHOUHU_VAR_DIR", tempfile.mkdtemp(prefix="shouhu-lists-"))
os.environ.setdefault("SHOUHU_DEMO", "1")
os.environ.setdefault("SHOUHU_ALLOWED_HOSTS", "*")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

STATES = [("closed", 0.90), ("pending_callback", 0.02), ("handling", 0.05), ("pending_accept", 0.015),
          ("pending_signoff", 0.01), ("pending_review", 0.005)]
TYPES = ["consult", "help", "complaint", "report", "suggestion"]


def setup():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from accounts import demo as accounts_demo
    from places import demo as places_demo

    places_demo.load()
    accounts_demo.load()


def insert(count, start_index):
    from hotline.models import Category, WorkOrder
    from places.models import OrgUnit

    district = OrgUnit.objects.get(kind="district")
    leads = list(OrgUnit.objects.filter(kind__in=["street", "zone", "department"]))
    streets = {u.pk: (u.ancestor_of_kind("street", "zone") or u) for u in leads}
    categories = list(Category.objects.all())
    weights = [w for _s, w in STATES]
    names = [s for s, _w in STATES]
    base = timezone.make_aware(datetime(2020, 1, 1))
    rng = random.Random(start_index)
    batch = []
    for i in range(start_index, start_index + count):
        received = base + timedelta(seconds=i * 30)
        state = rng.choices(names, weights)[0]
        lead = rng.choice(leads)
        street = streets[lead.pk]
        due = received + timedelta(days=rng.choice([1, 3, 5]))
        batch.append(WorkOrder(
            number=f"BX{i:010d}", content="基准测试工单", order_type=rng.choice(TYPES),
            category=rng.choice(categories), state=state, platform=district, platform_path=district.path,
            lead_unit=lead, lead_path=lead.path, street_path=street.path if street.kind != "department" else "",
            received_at=received, deadline_start=received, dispatched_at=received, reply_due=due,
            warning="red" if state in ("handling", "pending_accept") and rng.random() < 0.01 else "",
            unit_open=state in ("handling", "pending_accept"),
        ))
        if len(batch) >= 5000:
            WorkOrder.objects.bulk_create(batch)
            batch = []
    if batch:
        WorkOrder.objects.bulk_create(batch)


def grow(target):
    """Double the table in SQL (copies with new numbers) until it holds `target` rows: building 1M orders
    through Python objects takes most of an hour on a shared 2-core machine, this takes minutes."""
    from hotline.models import WorkOrder

    columns = [f.column for f in WorkOrder._meta.concrete_fields if f.column not in ("id", "number")]
    cols = ", ".join(f'"{c}"' for c in columns)
    while True:
        count = WorkOrder.objects.count()
        if count >= target:
            return count
        with connection.cursor() as cursor:
            cursor.execute("SELECT MAX(id) FROM hotline_workorder")
            offset = cursor.fetchone()[0]
            cursor.execute(
                f'INSERT INTO hotline_workorder ("number", {cols}) '
                f"SELECT 'BX' || printf('%010d', id + {offset}), {cols} FROM hotline_workorder "
                f"ORDER BY id LIMIT {target - count}")


def query_ms(repeats=15):
    from django.contrib.auth import get_user_model

    from hotline import selectors

    users = get_user_model().objects
    result = {}
    for username, fn in (("xf_liaison", selectors.inbox), ("supervisor", selectors.red_list)):
        user = users.get(username=username)
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            list(fn(user)[:31])
            times.append(time.perf_counter() - began)
        result[f"{username} {fn.__name__} SQL"] = round(statistics.median(times) * 1000, 2)
    return result


def measure(client_by_user, repeats=15):
    from django.contrib.auth import get_user_model

    results = {}
    for username, url in (("xf_liaison", "/hotline/queue/inbox/"), ("supervisor", "/hotline/queue/red/"),
                          ("xf_liaison", "/hotline/"), ("xf_liaison", "/hotline/queue/inbox/?page=20")):
        client = client_by_user.setdefault(username, Client())
        client.force_login(get_user_model().objects.get(username=username))
        client.get(url)
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, (url, response.status_code)
        results[f"{username} {url}"] = round(statistics.median(times) * 1000, 1)
    results.update(query_ms())
    return results


def main():

    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10000)
    parser.add_argument("--large", type=int, default=1000000)
    args = parser.parse_args()
    setup()
    clients = {}
    began = time.perf_counter()
    with transaction.atomic():
        insert(args.small, 0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    small = measure(clients)
    with transaction.atomic():
        total = grow(args.large)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    large = measure(clients)
    print(json.dumps({
        "orders_small": args.small, "orders_large": total,
        "build_seconds": round(time.perf_counter() - began, 1),
        "median_ms_small": small, "median_ms_large": large,
        "ratio": {k: round(large[k] / small[k], 2) for k in small},
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
