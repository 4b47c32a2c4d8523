"""Indexes that make hotline.kpis' period filters bounded by the period: dispatched_at, replied_at,
closed_at and reply_due on hotline_workorder (hotline's model declares none of them; raw SQL valid on SQLite
and PostgreSQL, IF NOT EXISTS so a later hotline index does no harm). To move into hotline's Meta.indexes."""

from django.db import migrations

COLUMNS = ("dispatched_at", "replied_at", "closed_at", "reply_due")


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_event_window_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS reports_wo_{column} ON hotline_workorder ({column})",
            f"DROP INDEX IF EXISTS reports_wo_{column}",
        )
        for column in COLUMNS
    ]
