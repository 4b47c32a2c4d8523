"""The index migrations of gate entries: 0003 (unit_path with varchar_pattern_ops) and 0004 (no second `_like`
index on the idempotency key) change the indexes on PostgreSQL, forwards and backwards, and nothing on SQLite."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection

from community.models import GateEntry
from community.tests.conftest import key

PATH = "community_entry_path_created"
LIKE = importlib.import_module("community.migrations.0004_drop_entry_key_like_index").NAME
UNIQUE = "community_gateentry_idempotency_key_key"
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL operator classes")


def indexes():
    """{name: definition} of the gate entries' indexes, as the database has them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'community_gateentry'")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'community_gateentry'")
        return dict(cursor.fetchall())


def migrate(*target):
    call_command("migrate", *target, verbosity=0, interactive=False)


def test_the_like_index_name_is_the_one_django_gives_it():
    editor = connection.schema_editor()  # the name is a pure function of table, column and suffix
    assert LIKE == editor._create_index_name("community_gateentry", ["idempotency_key"], suffix="_like")


@pytest.mark.django_db(transaction=True)
def test_the_index_migrations_go_back_and_forth():
    latest = indexes()
    try:
        migrate("community", "0002_default_alert_rules")
        before = indexes()
    finally:
        migrate()  # everything to the latest, whatever was unapplied with it
    assert indexes() == latest
    if connection.vendor != "postgresql":
        assert before == latest  # no operator classes, no `_like` index: nothing to do
        return
    table = "public.community_gateentry USING btree"
    assert before[PATH] == f"CREATE INDEX {PATH} ON {table} (unit_path, created_at)"
    assert latest[PATH] == f"CREATE INDEX {PATH} ON {table} (unit_path varchar_pattern_ops, created_at)"
    assert before[LIKE] == f"CREATE INDEX {LIKE} ON {table} (idempotency_key varchar_pattern_ops)"
    assert LIKE not in latest
    assert UNIQUE in latest and set(before) - set(latest) == {LIKE}


@postgresql_only
def test_the_key_is_found_through_the_unique_index(org, personas):
    from community.tests.test_gate import register

    entry = register(personas.volunteer, org.yonghe_gate, idempotency_key=key()).entry
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its index
    plan = GateEntry.objects.filter(idempotency_key=entry.idempotency_key).explain()
    assert UNIQUE in plan
    plan = GateEntry.objects.filter(idempotency_key__in=[entry.idempotency_key, key()]).explain()
    assert UNIQUE in plan
