"""Grow a loaded PostgreSQL bench database to N orders by copying its history server-side (reports benchmark).

    # 1. the 10,000-order database, loaded by the generator (COPY on PostgreSQL):
    SHOUHU_DATABASE_URL=postgres://shouhu@127.0.0.1:54332/shouhu_10k \\
        python bench/reports_bench.py --orders 10000 --load-only
    # 2. a copy of it (CREATE DATABASE … TEMPLATE) grown to 10 million orders:
    python bench/reports_pg_multiply.py --url postgres://shouhu@127.0.0.1:54332/shouhu_10k \\
        --target shouhu_10m --orders 10000000

Python inserts are far too slow for ten million orders with their ~63 million timeline rows, so the history
is multiplied with `INSERT … SELECT` over `generate_series`: copy k of every order received before the last 14
days (and of its timeline) gets its id offset by k × stride, a fresh number, and every timestamp moved back by
46 + k days. The last 14 days are left exactly as the generator wrote them, and no copied event falls inside
them (the generator's old orders finish within ~25 days; each copy is at least 47 days older), so the two
databases differ only in the size of the history — the point of the benchmark. Secondary indexes are dropped
during the copy and rebuilt once; foreign-key triggers are skipped (session_replication_role = replica) since
every copied reference points at a row that exists (the org tree, the categories, an order of the same copy);
then VACUUM ANALYZE, so the planner has statistics and index-only scans see an all-visible table.
"""

import argparse
import sys
import time
import urllib.parse

import psycopg

RECENT_DAYS = 14
SHIFT0 = 46  # days: copy k moves back 46 + k days


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def create_copy(url, target):
    parts = urllib.parse.urlsplit(url)
    source = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{target}"))


def columns(conn, table):
    return conn.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
                        "ORDER BY ordinal_position", [table]).fetchall()


def secondary_indexes(conn, tables):
    """CREATE statements of the indexes that back no constraint (primary and unique keys stay)."""
    return conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [list(tables)]).fetchall()


def multiply(url, orders, chunk):
    tables = ("hotline_workorder", "hotline_orderevent")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        conn.execute("SET session_replication_role = replica")  # no FK trigger per copied row
        conn.execute("SET maintenance_work_mem = '1GB'")
        # The generator's last 14 days: from local midnight 13 days before its newest order.
        recent_start = conn.execute(
            "SELECT (date_trunc('day', max(received_at) AT TIME ZONE 'Asia/Shanghai') - interval '13 days') "
            "AT TIME ZONE 'Asia/Shanghai' FROM hotline_workorder").fetchone()[0]
        have, max_id = conn.execute("SELECT count(*), max(id) FROM hotline_workorder").fetchone()
        max_event = conn.execute("SELECT max(id) FROM hotline_orderevent").fetchone()[0]
        # The history to copy, in small temp tables: the copies are read from them, not from the growing tables.
        conn.execute("CREATE TEMP TABLE old_orders AS SELECT * FROM hotline_workorder WHERE received_at < %s",
                     [recent_start])
        conn.execute("CREATE TEMP TABLE old_events AS SELECT * FROM hotline_orderevent "
                     "WHERE order_id IN (SELECT id FROM old_orders)")
        n_old = conn.execute("SELECT count(*) FROM old_orders").fetchone()[0]
        copies = (orders - have + n_old - 1) // n_old
        stride, event_stride = 10 ** len(str(max_id)), 10 ** len(str(max_event))
        log(f"{have} orders ({n_old} before {recent_start:%Y-%m-%d %H:%M} UTC); {copies} copies of the history "
            f"-> {have + copies * n_old} orders")

        def shifted(cols, special):
            out = []
            for name, kind in cols:
                if name in special:
                    out.append(special[name])
                elif kind.startswith("timestamp"):
                    out.append(f"o.{name} - make_interval(days => {SHIFT0} + k)")
                else:
                    out.append(f"o.{name}")
            return ", ".join(out)

        wo_cols = columns(conn, "hotline_workorder")
        wo_select = shifted(wo_cols, {
            "id": f"o.id + k * {stride}",
            "number": f"'H' || (o.id + k * {stride})::text",
            "merged_into_id": f"o.merged_into_id + k * {stride}",
        })
        ev_cols = columns(conn, "hotline_orderevent")
        ev_select = shifted(ev_cols, {"id": f"o.id + k * {event_stride}", "order_id": f"o.order_id + k * {stride}"})
        dropped = secondary_indexes(conn, tables)
        for name, _sql in dropped:
            conn.execute(f'DROP INDEX "{name}"')
        log(f"dropped {len(dropped)} secondary indexes")
        started = time.perf_counter()
        for first in range(1, copies + 1, chunk):
            last = min(copies, first + chunk - 1)
            with conn.transaction():
                conn.execute(
                    f"INSERT INTO hotline_workorder ({', '.join(c for c, _ in wo_cols)}) "
                    f"SELECT {wo_select} FROM generate_series({first}, {last}) AS k "
                    "CROSS JOIN old_orders o")
                conn.execute(
                    f"INSERT INTO hotline_orderevent ({', '.join(c for c, _ in ev_cols)}) "
                    f"SELECT {ev_select} FROM generate_series({first}, {last}) AS k "
                    "CROSS JOIN old_events o")
            done = have + last * n_old
            log(f"copies {first}-{last}: {done} orders, {time.perf_counter() - started:.0f} s")
        copy_s = time.perf_counter() - started
        for name, sql in dropped:
            t = time.perf_counter()
            conn.execute(sql)
            log(f"index {name}: {time.perf_counter() - t:.0f} s")
        for table in tables:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        t = time.perf_counter()
        for table in tables:
            conn.execute(f"VACUUM ANALYZE {table}")
        log(f"vacuum analyze: {time.perf_counter() - t:.0f} s")
        total_s = time.perf_counter() - started
        counts = conn.execute("SELECT (SELECT count(*) FROM hotline_workorder), "
                              "(SELECT count(*) FROM hotline_orderevent)").fetchone()
        sizes = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    print(f"orders: {counts[0]}\nevents: {counts[1]}\ncopy_s: {copy_s:.0f}\ntotal_s: {total_s:.0f}\n"
          f"database_size: {sizes}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the loaded source database (left untouched)")
    parser.add_argument("--target", required=True, help="name of the database to create from it and grow")
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=100, help="history copies per INSERT … SELECT")
    args = parser.parse_args()
    t = time.perf_counter()
    url = create_copy(args.url, args.target)
    log(f"created {args.target} from the source in {time.perf_counter() - t:.0f} s")
    multiply(url, args.orders, args.chunk)


if __name__ == "__main__":
    main()
