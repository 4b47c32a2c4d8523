"""The database is unreachable (PostgreSQL restarting, a failover, SQLite's lock held too long): answer a
clean 503 with a Chinese message and Retry-After instead of a 500 page with a traceback in the log's alarm.

Add to settings.MIDDLEWARE right after SecurityMiddleware (so it wraps sessions and authentication, which
touch the database first): "core.dbdown.DatabaseDownMiddleware". Django's CONN_HEALTH_CHECKS drops the dead
connection on the next request, so the app recovers by itself once the database is back.
"""

import json
import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse

log = logging.getLogger(__name__)

MESSAGE = "数据库暂时无法连接,系统正在自动恢复,请稍后重试。已提交的数据不会丢失。"
RETRY_AFTER = "5"


def _is_down(exc):
    """OperationalError covers more than a lost connection (e.g. a SQL error on SQLite); treat as 'down'
    only errors about the connection or a lock timeout, so real bugs still surface as 500s."""
    if isinstance(exc, InterfaceError):
        return True
    text = str(exc).lower()
    return any(word in text for word in (
        "connection", "connect", "server closed", "terminating", "shutting down", "starting up",
        "database is locked", "could not receive", "no route", "timeout", "the database system",
    ))


def unavailable(request):
    if request.path.startswith(("/api/", "/open311/")) or "json" in request.headers.get("Accept", ""):
        response = HttpResponse(json.dumps({"detail": MESSAGE}, ensure_ascii=False), status=503,
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>暂时无法服务</title>"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body>"
            f"<h1>系统暂时无法服务</h1><p>{MESSAGE}</p></body></html>",
            status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def _drop_connections():
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # noqa: BLE001 — the connection is already broken; closing it is best effort
            conn.connection = None


def _remember(sender, request=None, **kwargs):
    """got_request_exception: a database error raised by another middleware (sessions, idempotency records)
    has already been turned into a 500 before this middleware sees the answer; note it on the request."""
    import sys

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, (OperationalError, InterfaceError)) and _is_down(exc):
        request._shouhu_db_down = exc


class DatabaseDownMiddleware:
    def __init__(self, get_response):
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(_remember, dispatch_uid="shouhu-dbdown")

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            if not _is_down(exc):
                raise
            request._shouhu_db_down = exc
            response = None
        exc = getattr(request, "_shouhu_db_down", None)
        if exc is not None and (response is None or response.status_code == 500):
            log.warning("database unavailable: %s %s: %s", request.method, request.path, exc)
            _drop_connections()
            return unavailable(request)
        return response

    def process_exception(self, request, exception):
        # Views' exceptions arrive here first (Django turns them into a 500 before __call__ sees them).
        if isinstance(exception, (OperationalError, InterfaceError)) and _is_down(exception):
            log.warning("database unavailable: %s %s: %s", request.method, request.path, exception)
            _drop_connections()
            return unavailable(request)
        return None
