"""Reports' read-only screens read through the replica when one is configured (core/dbrouter.py); who is
asking and every write stay on the primary. The test replica mirrors the test database (settings_test)."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dbrouter import on_replica
from core.models import AuditLog
from hotline import services
from hotline.models import Category

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def orders(personas, org, categories):
    for _ in range(3):
        order = services.intake(personas.operator, content="药店口罩涨价", order_type="report",
                                category=Category.objects.get(code="EP-PRICE"))
        services.dispatch(order, personas.dispatcher, lead_unit=org.xingfu)


def _tables(captured):
    return " ".join(q["sql"] for q in captured.captured_queries)


def test_dashboard_reads_orders_on_the_replica_and_the_user_on_the_primary(client, personas, orders, settings):
    settings.SHOUHU_REPLICA_READS = True
    client.force_login(personas.supervisor)
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "hotline_workorder" in _tables(replica)
    assert "hotline_workorder" not in _tables(primary)
    assert "django_session" in _tables(primary) and "accounts_membership" in _tables(primary)
    assert "django_session" not in _tables(replica)


def test_without_a_replica_everything_stays_on_the_primary(client, personas, orders):
    client.force_login(personas.supervisor)
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get(reverse("reports:dashboard")).status_code == 200
    assert replica.captured_queries == []


def test_writes_inside_a_replica_view_go_to_the_primary(rf, personas, settings):
    settings.SHOUHU_REPLICA_READS = True

    @on_replica
    def view(request):
        from core import audit

        audit.record(request.user, "test.replica_write")
        return AuditLog.objects.filter(action="test.replica_write").count()

    request = rf.get("/")
    request.user = personas.supervisor
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert view(request) == 1  # read back through the replica: same rows
    assert "INSERT" not in _tables(replica)
    assert AuditLog.objects.using("default").filter(action="test.replica_write").count() == 1
