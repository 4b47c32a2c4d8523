#!/usr/bin/env python
"""Gate registration under load: server time of register_entry() with a small and a large table, and many gates
registering at once.

    /work/main/.venv/bin/python bench/community_entries.py --small 10000 --large 5000000 --samples 300 \
        --gates 50 --seconds 60

Runs on a throw-away SQLite database in a temporary SHOUHU_VAR_DIR (or SHOUHU_DATABASE_URL if set).
Rows beyond the first are inserted with raw executemany (fast filling is not what is measured); the
measured calls go through the real service: validation, plate parsing, rules, one insert per entry.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SHOUHU_DEBUG", "1")
os.environ.setdefault("SHOUHU_LOG_LEVEL", "WARNING")
if "SHOUHU_DATABASE_URL" not in os.environ and "SHOUHU_VAR_DIR" not in os.environ:
    os.environ["SHOUHU_VAR_DIR"] = tempfile.mkdtemp(prefix="shouhu-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, close_old_connections, connection, transaction  # noqa: E402

PLATES = ["苏F12345", "苏FD12345", "沪A88888", "鄂A12345", "皖B55555"]


def setup():
    from accounts.models import Membership
    from django.contrib.auth import get_user_model
    from places.demo import demo_csv
    from places.models import OrgUnit
    from places.services import import_places

    call_command("migrate", verbosity=0)
    import_places(demo_csv())
    from community.rules import ensure_default_rules

    ensure_default_rules()
    district = OrgUnit.objects.get(code="320611")
    user = get_user_model().objects.create_user("bench", password="x-bench-2020", first_name="压测")
    Membership.objects.create(user=user, unit=district, role="community_worker")
    gates = list(OrgUnit.objects.filter(kind="gate", parent__kind="compound").order_by("path"))
    return user, gates


def fill(total, gates):
    """Raw inserts up to `total` entries, spread over the gates and the last 28 days."""
    from community.models import GateEntry

    have = GateEntry.objects.count()
    communities = {g.pk: g.ancestor_of_kind("community").pk for g in gates}
    now = datetime.now(UTC)
    sql = ("INSERT INTO community_gateentry (gate_id, community_id, unit_path, created_at, occurred_at, direction, "
           "mode, plate, plate_province, plate_local, travel, hubei_travel, purpose, note, source, recorder_id, "
           "idempotency_key, alerted) VALUES (%s)" % ",".join(["%s"] * 18))
    batch, started = 20000, time.perf_counter()
    rng = random.Random(7)
    while have < total:
        rows = []
        for i in range(have, min(total, have + batch)):
            gate = gates[i % len(gates)]
            at = (now - timedelta(seconds=rng.randint(0, 28 * 86400))).strftime("%Y-%m-%d %H:%M:%S.%f")
            rows.append((gate.pk, communities[gate.pk], gate.path, at, at, "in" if i % 2 else "out", "vehicle",
                         "苏F%05d" % (i % 100000), "苏", True, "", False, "", "", "volunteer", None, f"bulk-{i}",
                         False))
        with transaction.atomic(), connection.cursor() as cursor:  # one commit per batch, not per row
            cursor.executemany(sql, rows)
        have += len(rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def one(user, gate, key=None):
    from community.services import register_entry

    return register_entry(user, gate, idempotency_key=key or uuid.uuid4().hex, direction="in", mode="vehicle",
                          plate=random.choice(PLATES), travel="本市未外出", purpose="回家",
                          people=[{"name": "压测访客", "phone": "13800001234", "temperature": "36.5"},
                                  {"name": "同行", "phone": "13800005678", "temperature": "36.6"}])


def measure(user, gates, samples):
    times = []
    for i in range(samples):
        gate = gates[i % len(gates)]
        started = time.perf_counter()
        one(user, gate)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "max": times[-1]}


def concurrent(user, gates, workers, seconds):
    """`workers` gates at once; a failed call is retried with the same key (as the gate page does)."""
    from community.models import GateEntry

    stop = time.monotonic() + seconds
    acknowledged, errors, retries, lock = [], [], [0], threading.Lock()

    def run(gate):
        close_old_connections()
        while time.monotonic() < stop:
            key = uuid.uuid4().hex
            for attempt in range(10):
                try:
                    one(user, gate, key)
                    with lock:
                        acknowledged.append(key)
                    break
                except OperationalError:
                    with lock:
                        retries[0] += 1
                    time.sleep(0.05 * (attempt + 1))
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    with lock:
                        errors.append(repr(exc))
                    break
        connection.close()

    threads = [threading.Thread(target=run, args=(gates[i % len(gates)],)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = GateEntry.objects.filter(idempotency_key__in=acknowledged).count() if acknowledged else 0
    return {"acknowledged": len(acknowledged), "stored": stored, "lost": len(acknowledged) - stored,
            "errors": len(errors), "retries": retries[0], "per_second": round(len(acknowledged) / seconds, 1),
            "first_error": errors[0] if errors else ""}


def _worker(conn, var_dir, size):
    """A child process holding one database of `size` entries; measures when the coordinator asks."""
    assert str(connection.settings_dict["NAME"]).startswith(var_dir), "child must use its own database"
    user, gates = setup()
    took = fill(size, gates)
    conn.send(("ready", took))
    while True:
        command, n = conn.recv()
        if command == "stop":
            break
        times = []
        for i in range(n):
            started = time.perf_counter()
            one(user, gates[i % len(gates)])
            times.append((time.perf_counter() - started) * 1000)
        conn.send(times)


def interleaved(small, large, samples, batch=10):
    """Both sizes measured in alternating batches, so a busy shared machine slows both alike."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    pipes, procs = {}, []
    for name, size in (("small", small), ("large", large)):
        parent, child = ctx.Pipe()
        var_dir, own = tempfile.mkdtemp(prefix=f"shouhu-bench-{name}-"), os.environ["SHOUHU_VAR_DIR"]
        os.environ["SHOUHU_VAR_DIR"] = var_dir  # the spawned child configures Django from its environment
        proc = ctx.Process(target=_worker, args=(child, var_dir, size))
        proc.start()
        os.environ["SHOUHU_VAR_DIR"] = own
        pipes[name], procs = parent, procs + [proc]
    for name, pipe in pipes.items():
        _, took = pipe.recv()
        print(f"{name}: filled in {took:.0f} s")
    times = {"small": [], "large": []}
    while len(times["large"]) < samples:
        for name, pipe in pipes.items():
            pipe.send(("measure", batch))
            times[name] += pipe.recv()
    for pipe in pipes.values():
        pipe.send(("stop", 0))
    for proc in procs:
        proc.join()
    result = {}
    for name, size in (("small", small), ("large", large)):
        ts = sorted(times[name])
        result[name] = {"p50": statistics.median(ts), "p95": ts[int(len(ts) * 0.95) - 1], "max": ts[-1]}
        print(f"{size:>9} entries: p50 {result[name]['p50']:.2f} ms  p95 {result[name]['p95']:.2f} ms  "
              f"max {result[name]['max']:.1f} ms")
    print(f"p95 ratio large/small: {result['large']['p95'] / result['small']['p95']:.2f} (goal ≤ 1.5); "
          f"p95 goal < 30 ms")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10000)
    parser.add_argument("--large", type=int, default=5000000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--gates", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if args.samples:
        interleaved(args.small, args.large, args.samples)
    if args.seconds:
        user, gates = setup()
        fill(args.small, gates)
        result = concurrent(user, gates, args.gates, args.seconds)
        print(f"{args.gates} gates for {args.seconds} s on {args.small} entries: {result}")


if __name__ == "__main__":
    main()
