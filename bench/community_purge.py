#!/usr/bin/env python
"""Gate registration while expired entries are purged: the purge as one transaction (what the atomic worker job
did) against the batched purge (core.retention.Rule: one transaction per batch), side by side in one run.

    nice -n 19 /work/main/.venv/bin/python bench/community_purge.py --rows 200000 --batch 1000

For each mode: fill `rows` entries (bench/community_entries.fill: one person each), then one thread registers
at a gate without pause (register_entry, as bench/community_entries.one) while the main thread purges them
all (days=0, limit=rows). Reported: purge time, registrations completed during it, their latency (p50, p99,
max), failures (SQLite: "database is locked" after the 30 s busy timeout) and the longest stretch of the purge
in which no registration committed. On PostgreSQL also the size of the
`_like` index that migration 0004 drops, built once for the measurement. A throw-away SQLite database in a temp
SHOUHU_VAR_DIR unless SHOUHU_DATABASE_URL is set.
"""

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import community_entries as entries  # noqa: E402  (sets up Django on the throw-away database)
from django.db import connection, transaction  # noqa: E402


def registering(user, gate, stop, times, errors):
    try:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                entries.one(user, gate)
            except Exception as exc:  # noqa: BLE001 - a lock timeout is the measured outcome
                errors.append(type(exc).__name__)
                continue
            times.append((started, time.perf_counter()))
    finally:
        connection.close()


def purge(mode, rows, batch):
    from community.services import purge_entries

    if mode == "one transaction":
        with transaction.atomic():
            return purge_entries(days=0, batch=batch, limit=rows).done
    return purge_entries(days=0, batch=batch, limit=rows).done


def run(mode, user, gates, rows, batch):
    entries.fill(rows, gates[1:])
    stop, times, errors = threading.Event(), [], []
    thread = threading.Thread(target=registering, args=(user, gates[0], stop, times, errors))
    thread.start()
    time.sleep(1.0)
    warm = len(times)
    started = time.perf_counter()
    deleted = purge(mode, rows, batch)
    seconds = time.perf_counter() - started
    stop.set()
    thread.join()  # a registration that waited for the purge's lock ends after it: it counts
    during = sorted((b - a) * 1000 for a, b in times[warm:])
    # How long the gate went without any registration committing while the purge ran.
    commits = [started] + sorted(b for _a, b in times[warm:] if b <= started + seconds) + [started + seconds]
    return {"mode": mode, "deleted": deleted, "purge_s": round(seconds, 1), "registrations": len(during),
            "p50_ms": round(statistics.median(during), 1) if during else None,
            "p99_ms": round(during[int(len(during) * 0.99) - 1], 1) if during else None,
            "max_ms": round(during[-1], 1) if during else None, "failed": len(errors),
            "longest_without_commit_s": round(max(b - a for a, b in zip(commits, commits[1:])), 1)}


def like_index_size():
    """Build the `_like` index once (as Django's migration 0001 does) and report its size against the unique one's."""
    like = "bench_entry_key_like"
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f'CREATE INDEX "{like}" ON community_gateentry (idempotency_key varchar_pattern_ops)')
        built = time.perf_counter() - started
        cursor.execute("SELECT count(*), pg_relation_size(%s), pg_relation_size(%s) FROM community_gateentry",
                       [like, "community_gateentry_idempotency_key_key"])
        rows, like_bytes, unique_bytes = cursor.fetchone()
        cursor.execute(f'DROP INDEX "{like}"')
    return {"rows": rows, "like_index_mb": round(like_bytes / 2**20, 1),
            "unique_index_mb": round(unique_bytes / 2**20, 1), "like_build_s": round(built, 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    user, gates = entries.setup()
    print(f"database: {connection.vendor}, rows {args.rows}, batch {args.batch}", flush=True)
    results = [run(mode, user, gates, args.rows, args.batch) for mode in ("one transaction", "batched")]
    if connection.vendor == "postgresql":
        entries.fill(args.rows, gates[1:])
        results.append(like_index_size())
    for result in results:
        print(json.dumps(result, ensure_ascii=False), flush=True)
    one, batched = results[0], results[1]
    print("longest time without a registration, one transaction / batched: "
          f"{one['longest_without_commit_s'] / max(batched['longest_without_commit_s'], 0.1):.1f}x")


if __name__ == "__main__":
    main()
