"""(warning, state) on hotline_workorder: the district dashboard counts yellow/red open orders from this
index alone (COUNT(*), index-only on PostgreSQL). hotline's (warning, reply_due) index makes PostgreSQL fetch
every flagged row from the heap to test its state — at 10 million orders with ~37,000 flagged ones, 230 ms of
the dashboard's 500 ms budget. Raw SQL valid on SQLite and PostgreSQL, IF NOT EXISTS like 0002–0004 (the
index belongs with hotline's Meta.indexes; kept here so the two apps' migrations cannot conflict).

Emptied: reports_wo_warning_state now belongs to hotline's Meta.indexes, and
hotline/migrations/0005_reports_indexes creates it with `CREATE INDEX IF NOT EXISTS`: a database that ran this
migration before keeps its index, a fresh one gets it there, once. Kept, empty, because databases have it
recorded."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_open_by_street_index")]

    operations = []
