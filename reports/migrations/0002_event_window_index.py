"""An index on the hotline timeline by (action, at), so window queries of the reports stay bounded by the
day's work. hotline.OrderEvent declares no index on `at`; this lives here (raw SQL, valid on SQLite and
PostgreSQL) until the hotline model declares one itself."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("hotline", "0003_work_orders")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_event_action_at ON hotline_orderevent (action, at)",
            "DROP INDEX IF EXISTS reports_event_action_at",
        ),
    ]
