"""Bring an older SQLite bench database (e.g. the 1M-order one of an earlier session) to the current schema of
hotline_workorder without reloading it: run on a COPY, never on the original.

    SHOUHU_VAR_DIR=/tmp/rb-fresh python manage.py migrate          # an empty database on the current schema
    cp /tmp/rb-1m/shouhu.sqlite3 /tmp/rb-1m-kpi/ && SHOUHU_VAR_DIR=/tmp/rb-1m-kpi python manage.py migrate
    python bench/reports_sqlite_sync.py /tmp/rb-fresh/shouhu.sqlite3 /tmp/rb-1m-kpi/shouhu.sqlite3

hotline's 0003 migration was edited in place while the area was being built (no new migration), so a database
migrated before then is marked as migrated yet lacks `unit_open` and has the old queue indexes. This adds the
missing columns of hotline_workorder with their default (unit_open = 1 for 待签收/办理中, as
WorkOrder.denormalise sets it), drops indexes the current schema no longer has, creates the missing ones
and runs ANALYZE.
"""

import re
import sqlite3
import sys


def columns(db, table):
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def sync(fresh_path, old_path, table="hotline_workorder"):
    fresh, old = sqlite3.connect(fresh_path), sqlite3.connect(old_path)
    old.execute("PRAGMA cache_size = -400000")
    create = fresh.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    have = set(columns(old, table))
    for name in columns(fresh, table):
        if name in have:
            continue
        definition = re.search(rf'"{name}" ([^,]+(?:\([^)]*\))?[^,]*)', create).group(1)
        default = "0" if re.match(r"(smallint|integer|bigint|bool)", definition) else "''"
        print(f"add column {name} {definition} (default {default})")
        old.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {definition.replace("NOT NULL", f"NOT NULL DEFAULT {default}")}')
        if name == "unit_open":
            old.execute(f"UPDATE {table} SET unit_open = 1 WHERE state IN ('pending_accept', 'handling')")
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
    wanted, present = dict(fresh.execute(query, [table])), dict(old.execute(query, [table]))
    for name, sql in present.items():
        if name not in wanted and not name.startswith("reports_"):  # reports_* come from our migrations
            print(f"drop index {name}")
            old.execute(f'DROP INDEX "{name}"')
    for name, sql in wanted.items():
        if name not in present:
            print(f"create index {name}")
            old.execute(sql)
    old.commit()
    old.execute("ANALYZE")
    old.commit()


if __name__ == "__main__":
    sync(sys.argv[1], sys.argv[2])
