"""The OpenAPI schema of the API on this branch: generates without warnings, is served with offline
docs, and survives property-based requests (schemathesis) without a server error."""

import io
import json

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings

from interop import services
from shouhu.wsgi import application


def test_schema_validates_without_any_warning():
    """The whole schema is valid OpenAPI 3 and every app's views describe themselves (no warning, no error):
    the same as `SHOUHU_DEBUG=1 manage.py spectacular --validate --fail-on-warn`."""
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(generated)
    here = str(django_settings.BASE_DIR)
    messages = [m.replace(here, "") for m in list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)]
    assert not messages, messages
    assert "/open311/v2/requests.{format}" in generated["paths"]
    assert any(p.get("name") == "Idempotency-Key"
               for p in generated["paths"]["/api/v1/interop/upper/orders"]["post"]["parameters"])
    operations = [op for item in generated["paths"].values() for op in item.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    for app in ("hotline", "community", "reports", "triage", "interop"):
        assert any(path.startswith(f"/api/v1/{app}/") for path in generated["paths"]), app


def test_spectacular_command_fails_on_no_warning():
    out, err = io.StringIO(), io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=err)
    assert "Warning" not in err.getvalue() and "Error" not in err.getvalue(), err.getvalue()


def test_schema_and_offline_docs_are_served(keys, client):
    response = client.get("/api/schema?format=json", HTTP_X_API_KEY=keys.district.raw)
    assert response.status_code == 200 and "/api/v1/interop/upper/orders" in response.json()["paths"]
    client.force_login(keys.district.user)
    page = client.get("/api/docs").content.decode()
    assert "drf_spectacular_sidecar" in page and "cdn" not in page.lower()


def _schema():
    raw = OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    loaded = schemathesis.openapi.from_dict(json.loads(raw))
    loaded.app = application
    return loaded


schema = _schema()


@pytest.fixture
def in_test_transaction():
    """Like Django's test client: a request must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The role whose key reaches deepest into each part of the API: with the operator's key alone, most
# community, volunteer and supply operations would stop at 403 before parsing anything.
DEEPEST_ROLE = [
    ("/api/v1/volunteers/me/", "volunteer", "yonghe"), ("/api/v1/volunteers/check", "volunteer", "yonghe"),
    ("/api/v1/community/", "community_worker", "yonghe"), ("/api/v1/volunteers/", "community_worker", "yonghe"),
    ("/api/v1/supplies/", "community_worker", "yonghe"), ("/api/v1/reports/", "supervisor", "district"),
    ("/api/v1/hotline/", "dispatcher", "district"),
]


@pytest.fixture
def deep_keys(org, keys):
    made = {}

    def key_for(path):
        for prefix, role, unit in DEEPEST_ROLE:
            if path.startswith(prefix):
                if (role, unit) not in made:
                    made[role, unit] = services.create_api_key(unit=getattr(org, unit), role=role,
                                                               name=f"schemathesis {role}")[1]
                return made[role, unit]
        return keys.district.raw  # the operator key: triage, interop, Open311

    return key_for


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case, deep_keys, in_test_transaction):
    """Every app's operations (hotline, community, reports, triage, volunteers, supplies, interop, Open311),
    each called with the key of the role that may use it: bad or random input is a 4xx, never a 5xx."""
    response = case.call(headers={"X-Api-Key": deep_keys(case.path)})
    assert response.status_code < 500, response.text[:500]
