"""Hotline takes over the seven indexes that reports/migrations/0002–0005 created on its tables with raw SQL.

They are now declared in WorkOrder's and OrderEvent's Meta.indexes (same names, same columns), so Django knows
them (makemigrations, sqlmigrate, introspection) and whoever edits the hotline models sees them.

Why hotline creates them and reports 0002–0005 became empty (rather than this migration depending on them):
* An existing database (reports at 0005) already has all seven. Here the state learns them (AddIndex) while
  the database runs `CREATE INDEX IF NOT EXISTS` with the same name and columns: nothing is built or rebuilt.
* A fresh database runs reports 0002–0005 (which depend only on hotline 0003, so they may run before or after
  this one) as no-ops, and this migration builds each index once.
* Backwards: unapplying this migration drops the indexes (`DROP INDEX IF EXISTS`) and the state forgets them;
  reports 0002–0005 stay recorded but claim nothing, so no recorded migration is left without its index.
  Had reports kept creating them and this one depended on reports 0005, migrating hotline back here would
  either drop indexes that reports still claims or leave indexes the state no longer declares.
* A database part-way (reports at 0002–0004) gets the missing ones here; those it has are kept.

The SQL is written out rather than taken from the models: a migration is a fixed record of the schema.
"""

from django.db import migrations, models

# (name, table, columns) exactly as reports/migrations/0002–0005 created them.
INDEXES = [
    ("reports_event_action_at", "hotline_orderevent", ("action", "at")),
    ("reports_wo_dispatched_at", "hotline_workorder", ("dispatched_at",)),
    ("reports_wo_replied_at", "hotline_workorder", ("replied_at",)),
    ("reports_wo_closed_at", "hotline_workorder", ("closed_at",)),
    ("reports_wo_reply_due", "hotline_workorder", ("reply_due",)),
    ("reports_wo_state_street", "hotline_workorder", ("state", "street_path")),
    ("reports_wo_warning_state", "hotline_workorder", ("warning", "state")),
]

MODEL = {"hotline_orderevent": "orderevent", "hotline_workorder": "workorder"}


class Migration(migrations.Migration):
    dependencies = [("hotline", "0004_duplicate_keys")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name=MODEL[table], index=models.Index(fields=list(columns), name=name))
                for name, table, columns in INDEXES
            ],
            database_operations=[
                migrations.RunSQL(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)})",
                    f"DROP INDEX IF EXISTS {name}",
                )
                for name, table, columns in INDEXES
            ],
        ),
    ]
