"""The scoping index on gate entries' unit_path with varchar_pattern_ops on PostgreSQL.

Scoping filters `unit_path LIKE '/320611/…%'`; under a non-C collation PostgreSQL can use a btree for that only
with the pattern operator class (places does the same for OrgUnit.path). On PostgreSQL the index is rebuilt
CONCURRENTLY under a temporary name and swapped in, so gates keep registering while millions of rows are
indexed; on SQLite (which has no operator classes) nothing changes in the database.
"""

from django.db import migrations, models

NAME = "community_entry_path_created"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{NAME}_new" ON "community_gateentry" '
                          '("unit_path" varchar_pattern_ops, "created_at")')
    schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{NAME}"')
    schema_editor.execute(f'ALTER INDEX "{NAME}_new" RENAME TO "{NAME}"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{NAME}_old" ON "community_gateentry" '
                          '("unit_path", "created_at")')
    schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{NAME}"')
    schema_editor.execute(f'ALTER INDEX "{NAME}_old" RENAME TO "{NAME}"')


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("community", "0002_default_alert_rules")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="gateentry", name=NAME),
                migrations.AddIndex(
                    model_name="gateentry",
                    index=models.Index(fields=["unit_path", "created_at"], name=NAME,
                                       opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
