"""Indexes that make hotline.kpis' period filters bounded by the period: dispatched_at, replied_at,
closed_at and reply_due on hotline_workorder (hotline's model declares none of them; raw SQL valid on SQLite
and PostgreSQL, IF NOT EXISTS so a later hotline index does no harm). To move into hotline's Meta.indexes.

Emptied: reports_wo_dispatched_at, _replied_at, _closed_at, _reply_due now belong to hotline's Meta.indexes, and
hotline/migrations/0005_reports_indexes creates them with `CREATE INDEX IF NOT EXISTS`: a database that ran this
migration before keeps its indexes, a fresh one gets them there, once. Kept, empty, because databases have it
recorded and the later reports migrations depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_event_window_index")]

    operations = []
