#!/usr/bin/env python
"""Gate registration while expired entries are purged: the purge as one transaction (what the atomic worker job
did) against the batched purge (core.retention.Rule: one transaction per batch), side by side in one run.

    nice -n 19 /work/main/.venv/bin/python bench/community_purge.py --rows 200000 --batch 1000

For each mode: fill `rows` entries (bench/community_entries.fill: one person each), then one thread registers
at a gate without pause (register_entry, as bench/community_entries.one) while the main thread purges them
all (days=0, limit=rows). Reported: purge time, registrations completed during it, their latency (p50, p99,
max), failures (SQLite: "database is locked" after the 30 s busy timeout) and the longest stretch of the purge
in which no registration committed. With --keys N on PostgreSQL also what the `_like` index that migration 0004
drops costs (key_index_cost). A throw-away SQLite database in a temp SHOUHU_VAR_DIR unless SHOUHU_DATABASE_URL
is set.
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


def key_index_cost(keys, rounds=2):
    """What the `_like` index costs on PostgreSQL: `keys` random 32-character keys (as the gate page's) inserted into
    a scratch table with the unique index only and into one with the `_like` index too, alternated `rounds`
    times; medians of the insert times and the indexes' sizes."""
    insert = "INSERT INTO {t} (key) SELECT md5(i::text || random()::text) FROM generate_series(1, %s) i"
    times = {"unique_only": [], "with_like": []}
    with connection.cursor() as cursor:
        for table in ("bench_key_unique_only", "bench_key_with_like"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TABLE {table} (id bigserial PRIMARY KEY, key varchar(64) UNIQUE)")
        cursor.execute("CREATE INDEX bench_key_like ON bench_key_with_like (key varchar_pattern_ops)")
        for _ in range(rounds):
            for name in times:
                started = time.perf_counter()
                cursor.execute(insert.format(t=f"bench_key_{name}"), [keys])
                times[name].append(time.perf_counter() - started)
        cursor.execute("SELECT pg_relation_size('bench_key_unique_only_key_key'), pg_relation_size('bench_key_like')")
        unique_bytes, like_bytes = cursor.fetchone()
        for table in ("bench_key_unique_only", "bench_key_with_like"):
            cursor.execute(f"DROP TABLE {table}")
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {"keys": keys * rounds, "insert_s_unique_only": round(medians["unique_only"], 1),
            "insert_s_with_like": round(medians["with_like"], 1),
            "ratio": round(medians["with_like"] / medians["unique_only"], 2),
            "unique_index_mb": round(unique_bytes / 2**20), "like_index_mb": round(like_bytes / 2**20)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--keys", type=int, default=0, help="PostgreSQL: also measure the _like index with N keys")
    parser.add_argument("--keys-only", action="store_true")
    args = parser.parse_args()
    if connection.vendor == "postgresql" and args.keys:
        print(json.dumps(key_index_cost(args.keys)), flush=True)
    if args.keys_only:
        return
    user, gates = entries.setup()
    print(f"database: {connection.vendor}, rows {args.rows}, batch {args.batch}", flush=True)
    results = [run(mode, user, gates, args.rows, args.batch) for mode in ("one transaction", "batched")]
    for result in results:
        print(json.dumps(result, ensure_ascii=False), flush=True)
    one, batched = results
    print("longest time without a registration, one transaction / batched: "
          f"{one['longest_without_commit_s'] / max(batched['longest_without_commit_s'], 0.1):.1f}x")


if __name__ == "__main__":
    main()
