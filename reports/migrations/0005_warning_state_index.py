"""(warning, state) on hotline_workorder: the district dashboard counts yellow/red open orders from this
index alone (COUNT(*), index-only on PostgreSQL). hotline's (warning, reply_due) index makes PostgreSQL fetch
every flagged row from the heap to test its state — at 10 million orders with ~37,000 flagged ones, 230 ms of
the dashboard's 500 ms budget. Raw SQL valid on SQLite and PostgreSQL, IF NOT EXISTS like 0002–0004 (the
index belongs with hotline's Meta.indexes; kept here so the two apps' migrations cannot conflict)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_open_by_street_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_wo_warning_state ON hotline_workorder (warning, state)",
            "DROP INDEX IF EXISTS reports_wo_warning_state",
        ),
    ]
