"""(state, street_path) on hotline_workorder: the dashboards count open orders per street from this covering
index; SQLite's planner (no per-value statistics) otherwise scans the table for `state IN (open states)`.

Emptied: reports_wo_state_street now belongs to hotline's Meta.indexes, and
hotline/migrations/0005_reports_indexes creates it with `CREATE INDEX IF NOT EXISTS`: a database that ran this
migration before keeps its index, a fresh one gets it there, once. Kept, empty, because databases have it
recorded and the later reports migrations depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_order_period_indexes")]

    operations = []
