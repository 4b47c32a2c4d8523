"""A lost database answers a clean 503 with a Chinese message (core.dbdown.DatabaseDownMiddleware), never a 500;
errors that are bugs (not a lost connection) still surface as 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from core.dbdown import MESSAGE, DatabaseDownMiddleware


def _raise(exc):
    def view(request):
        raise exc
    return view


@pytest.mark.parametrize("exc", [
    OperationalError("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"),
    OperationalError("terminating connection due to administrator command"),
    OperationalError("database is locked"),
    InterfaceError("connection already closed"),
])
@pytest.mark.parametrize("path", ["/hotline/", "/api/v1/hotline/orders/"])
def test_a_lost_database_is_a_503_in_chinese(exc, path):
    middleware = DatabaseDownMiddleware(_raise(exc))
    request = RequestFactory().get(path)
    response = middleware.process_exception(request, exc)
    assert response.status_code == 503 and response["Retry-After"]
    assert MESSAGE in response.content.decode()
    assert ("application/json" in response["Content-Type"]) == path.startswith("/api/")


def test_a_sql_bug_is_not_hidden_as_503():
    exc = OperationalError("no such column: foo")
    assert DatabaseDownMiddleware(_raise(exc)).process_exception(RequestFactory().get("/"), exc) is None


def test_the_middleware_is_installed_first_after_security(settings):
    assert settings.MIDDLEWARE[1] == "core.dbdown.DatabaseDownMiddleware"


def test_a_page_answers_503_when_the_view_loses_the_database(client, personas, monkeypatch):
    from hotline.views import orders

    client.force_login(personas.operator)
    monkeypatch.setattr(orders.selectors, "orders", _raise(OperationalError("server closed the connection unexpectedly")))
    response = client.get("/hotline/")
    assert response.status_code == 503 and "数据库暂时无法连接" in response.content.decode()


def test_a_database_error_in_another_middleware_is_a_503_too(client, personas, monkeypatch):
    from interop import middleware as idem

    def broken(self, request):
        raise OperationalError("database is locked")

    monkeypatch.setattr(idem.IdempotencyMiddleware, "__call__", broken)
    client.raise_request_exception = False  # as in production: the handler turns it into a response
    client.force_login(personas.operator)
    response = client.post("/api/v1/hotline/orders/", {}, HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 503 and response.json()["detail"] == MESSAGE
