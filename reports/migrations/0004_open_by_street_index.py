"""(state, street_path) on hotline_workorder: the dashboards count open orders per street from this covering
index; SQLite's planner (no per-value statistics) otherwise scans the table for `state IN (open states)`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_order_period_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_wo_state_street ON hotline_workorder (state, street_path)",
            "DROP INDEX IF EXISTS reports_wo_state_street",
        ),
    ]
