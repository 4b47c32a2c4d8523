"""Drop the second index PostgreSQL got on the gate entries' idempotency key (Django's `_like` index).

On PostgreSQL Django gives every unique or indexed CharField a second btree with varchar_pattern_ops, for
`LIKE 'prefix%'` under a non-C collation. The key is only ever compared for equality (`= key`, `IN (keys)`:
community/services/gate.py, community/rules.py, the benches), which the unique constraint's own index serves.
The second index was still written on every registration and kept millions of keys (docs/community.md). It is
dropped CONCURRENTLY so gates keep registering; the reverse builds it again CONCURRENTLY with the same name and
definition Django gives it. SQLite never had it: nothing happens there. Django's model state never knew the
index, so there is no state to change.
"""

from django.db import migrations

NAME = "community_gateentry_idempotency_key_5c8c94cc_like"  # Django's name: _create_index_name(..., suffix="_like")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{NAME}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{NAME}" ON "community_gateentry" '
                              '("idempotency_key" varchar_pattern_ops)')


class Migration(migrations.Migration):
    atomic = False  # DROP/CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("community", "0003_entry_path_pattern_ops")]

    operations = [migrations.RunPython(drop, restore, elidable=False)]
