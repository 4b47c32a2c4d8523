"""Ledger benchmark: how fast are stock-in, FIFO stock-out and allocation when a unit holds many lots?

Run against a scratch database (never production):
    SHOUHU_DEBUG=1 SHOUHU_VAR_DIR=/tmp/bench_supplies python manage.py migrate -v0
    SHOUHU_DEBUG=1 SHOUHU_VAR_DIR=/tmp/bench_supplies python bench/supplies_ledger.py [lots] [outs]
(or SHOUHU_DATABASE_URL=postgres://… for PostgreSQL). Prints one line per phase with operations per second.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from places.demo import demo_csv  # noqa: E402
from places.models import OrgUnit  # noqa: E402
from places.services import import_places  # noqa: E402
from supplies import services  # noqa: E402
from supplies.models import Item, StockMove  # noqa: E402


def timed(label, n, fn):
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    elapsed = time.perf_counter() - start
    print(f"{label:<40} {n:>6} ops  {elapsed:7.2f} s  {n / elapsed:8.1f} ops/s")


def main(lots=2000, outs=500):
    if not OrgUnit.objects.exists():
        import_places(demo_csv())
    admin, _ = get_user_model().objects.get_or_create(username="bench_admin", defaults={"is_superuser": True})
    street, community = OrgUnit.objects.get(name="陈桥街道"), OrgUnit.objects.get(name="丽都社区")
    masks = Item.objects.get(name="一次性医用口罩", unit="个")
    donor = services.find_or_create_donor("organisation", "基准测试捐赠方")
    timed("donation in (1 lot each)", lots,
          lambda i: services.record_donation(admin, donor, street, lines=[(masks, 10, None)]))
    timed("consume 7 (FIFO across lots)", outs, lambda i: services.consume(admin, street, masks, 7))
    allocations = []
    timed("allocate 5 to a community", outs,
          lambda i: allocations.append(services.allocate(admin, street, community, [(masks, 5)])))
    timed("confirm receipt", outs, lambda i: services.confirm_allocation(admin, allocations[i]))
    print(f"ledger rows: {StockMove.objects.count()}")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:3]])
