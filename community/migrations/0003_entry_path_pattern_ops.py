"""The scoping index on gate entries' unit_path with varchar_pattern_ops on PostgreSQL.

Scoping filters `unit_path LIKE '/320611/…%'`; under a non-C collation PostgreSQL can use a btree for that only
with the pattern operator class (places does the same for OrgUnit.path). On PostgreSQL the index is rebuilt
CONCURRENTLY under a temporary name and swapped in, so gates keep registering while millions of rows are
indexed; on SQLite (which has no operator classes) nothing changes in the database.
"""

from django.db import migrations, models

NAME = "community_entry_path_created"


def swap_index(schema_editor, temporary, columns):
    """PostgreSQL only: build the index on `columns` (SQL column list) CONCURRENTLY as NAME_<temporary>, drop the
    current NAME CONCURRENTLY and rename the new one to NAME; registrations go on meanwhile."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{NAME}_{temporary}" ON "community_gateentry" '
                          f'({columns})')
    schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{NAME}"')
    schema_editor.execute(f'ALTER INDEX "{NAME}_{temporary}" RENAME TO "{NAME}"')


def forwards(apps, schema_editor):
    swap_index(schema_editor, "new", '"unit_path" varchar_pattern_ops, "created_at"')


def backwards(apps, schema_editor):
    swap_index(schema_editor, "old", '"unit_path", "created_at"')


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
