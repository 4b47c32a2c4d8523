"""Optional read replica for reports and dashboards (DESIGN: "Read replicas for reports").

With SHOUHU_REPLICA_DATABASE_URL set (a PostgreSQL streaming replica of the primary), the heavy read-only
screens — dashboards, the daily report on screen and its downloads, the KPI table — run their queries on the
replica, so a morning of leaders opening the dashboard does not slow the operators taking calls. Only code
inside `replica_reads()` is routed; every write, and every read elsewhere, stays on the primary.

Replica lag (normally well under a second) is acceptable there: those pages summarise hours and days. The
worker's daily-report generation stays on the primary: it is the official record and runs once a day.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_reading = contextvars.ContextVar("shouhu_replica_reads", default=False)


@contextmanager
def replica_reads():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def on_replica(view):
    """Run a read-only view's queries on the replica (when one is configured)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        # Who is asking is read from the primary first: a session or membership made a moment ago (login, a
        # revoked role) must count at once, whatever the replica's lag.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:  # evaluates the lazy user (session, user row) here
            from accounts import access

            access.memberships(user)  # cached on the user for the request: access is decided on the primary
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and getattr(settings, "SHOUHU_REPLICA_READS", False):
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return None  # always the primary

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db != REPLICA else False  # the replica follows the primary's schema by replication
