"""The reports' seven indexes on hotline's tables moved from raw SQL in reports/migrations/0002–0005 into
hotline's Meta.indexes (hotline/migrations/0005_reports_indexes): a fresh database has each once, a database
that already had them keeps the very same objects, and hotline migrates back past 0005 and forward again.

The cross-checkout proof (a database migrated by the previous main, then by this code) is in docs/hotline.md;
here the previous main's state is rebuilt by running its exact SQL on a database at hotline 0004."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hotline.models import OrderEvent, WorkOrder

# (name, table, columns) as declared in Meta.indexes.
MOVED = [
    ("reports_event_action_at", "hotline_orderevent", ["action", "at"]),
    ("reports_wo_dispatched_at", "hotline_workorder", ["dispatched_at"]),
    ("reports_wo_replied_at", "hotline_workorder", ["replied_at"]),
    ("reports_wo_closed_at", "hotline_workorder", ["closed_at"]),
    ("reports_wo_reply_due", "hotline_workorder", ["reply_due"]),
    ("reports_wo_state_street", "hotline_workorder", ["state", "street_path"]),
    ("reports_wo_warning_state", "hotline_workorder", ["warning", "state"]),
]

# What reports/migrations/0002–0005 ran before they were emptied, verbatim.
OLD_REPORTS_SQL = [
    "CREATE INDEX IF NOT EXISTS reports_event_action_at ON hotline_orderevent (action, at)",
    *(f"CREATE INDEX IF NOT EXISTS reports_wo_{c} ON hotline_workorder ({c})"
      for c in ("dispatched_at", "replied_at", "closed_at", "reply_due")),
    "CREATE INDEX IF NOT EXISTS reports_wo_state_street ON hotline_workorder (state, street_path)",
    "CREATE INDEX IF NOT EXISTS reports_wo_warning_state ON hotline_workorder (warning, state)",
]

BEFORE = [("hotline", "0004_duplicate_keys")]


def index_objects():
    """name → an identity of the database object (SQLite: root page + DDL; PostgreSQL: oid + definition) for
    every index on the two tables, so a rebuilt index shows up as a changed identity."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, rootpage, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name IN ('hotline_workorder', 'hotline_orderevent')")
        else:
            cursor.execute("SELECT c.relname, c.oid, pg_get_indexdef(c.oid) FROM pg_index i "
                           "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                           "WHERE t.relname IN ('hotline_workorder', 'hotline_orderevent')")
        rows = cursor.fetchall()
    names = [name for name, *_ in rows]
    assert len(names) == len(set(names))
    return {name: tuple(identity) for name, *identity in rows}


def index_columns():
    """(table, columns) → names of the plain indexes with exactly those columns."""
    found = {}
    with connection.cursor() as cursor:
        for table in ("hotline_workorder", "hotline_orderevent"):
            for name, c in connection.introspection.get_constraints(cursor, table).items():
                if c["index"] and not c["unique"] and not c["primary_key"]:
                    found.setdefault((table, tuple(c["columns"])), []).append(name)
    return found


def assert_each_moved_index_once():
    found = index_columns()
    for name, table, columns in MOVED:
        assert found.get((table, tuple(columns))) == [name], (name, found.get((table, tuple(columns))))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_models_declare_the_moved_indexes_under_their_old_names():
    declared = {(index.name, model._meta.db_table, tuple(index.fields))
                for model in (WorkOrder, OrderEvent) for index in model._meta.indexes}
    assert {(name, table, tuple(columns)) for name, table, columns in MOVED} <= declared


@pytest.mark.django_db
def test_a_fresh_database_has_each_index_once():
    # The test database was built by running every migration from empty.
    assert_each_moved_index_once()


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_by_the_old_reports_migrations_keeps_the_same_index_objects():
    try:
        migrate(BEFORE)
        assert not {name for name, *_ in MOVED} & set(index_objects())
        with connection.cursor() as cursor:
            for sql in OLD_REPORTS_SQL:
                cursor.execute(sql)
        old = index_objects()

        executor = migrate(leaves())

        assert index_objects() == old  # not one index rebuilt, renamed or added
        assert_each_moved_index_once()
        state = executor.loader.project_state(leaves()).apps
        for name, table, columns in MOVED:
            model = state.get_model("hotline", "orderevent" if table == "hotline_orderevent" else "workorder")
            assert [list(i.fields) for i in model._meta.indexes if i.name == name] == [columns]
    finally:
        migrate(leaves())


@pytest.mark.django_db(transaction=True)
def test_hotline_migrates_back_past_0005_and_forward_again():
    try:
        before = index_objects()
        executor = migrate(BEFORE)
        assert not {name for name, *_ in MOVED} & set(index_objects())
        state = executor.loader.project_state(BEFORE).apps
        assert not {i.name for i in state.get_model("hotline", "workorder")._meta.indexes} & {n for n, *_ in MOVED}

        # The emptied reports migrations, unapplied and reapplied, leave hotline's indexes alone.
        migrate(leaves())
        migrate([("reports", "0001_initial")])
        assert_each_moved_index_once()
        migrate(leaves())
        assert_each_moved_index_once()
        assert set(index_objects()) == set(before)
    finally:
        migrate(leaves())
