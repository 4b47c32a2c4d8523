"""An index on the hotline timeline by (action, at), so window queries of the reports stay bounded by the
day's work. hotline.OrderEvent declares no index on `at`; this lives here (raw SQL, valid on SQLite and
PostgreSQL) until the hotline model declares one itself.

Emptied: reports_event_action_at now belongs to hotline's Meta.indexes, and
hotline/migrations/0005_reports_indexes creates it with `CREATE INDEX IF NOT EXISTS`: a database that ran this
migration before keeps its index, a fresh one gets it there, once. Kept, empty, because databases have it
recorded and the later reports migrations depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("hotline", "0003_work_orders")]

    operations = []
