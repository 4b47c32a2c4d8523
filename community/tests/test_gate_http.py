"""A short variant of bench/community_http.py: 10 gates registering at once over HTTP for 10 s.

Against Django's live server (threads, the test database) rather than gunicorn: the full run against the
production setup is the benchmark (docs/benchmarks/community.md). What is checked here is the contract:
no error, every acknowledged entry stored once with the acknowledged id, a resent key answers the same id.
"""

import pytest

from bench.community_http import PASSWORD, Run, gate_client
from bench.harness import Client

pytestmark = pytest.mark.reliability

GATES, SECONDS = 10, 10


@pytest.mark.django_db(transaction=True)
def test_ten_gates_registering_at_once_over_http_lose_nothing_and_store_nothing_twice(live_server, org):
    import threading
    import time

    from django.contrib.auth import get_user_model

    from accounts.models import Membership
    from community.models import GateEntry
    from community.rules import ensure_default_rules
    from places.models import OrgUnit

    ensure_default_rules()  # the transactional flush removed the migration's rows
    gates = list(OrgUnit.objects.filter(kind="gate", parent__kind="compound").order_by("path")[:GATES])
    logins = []
    for i, gate in enumerate(gates):
        user = get_user_model().objects.create_user(f"gate{i:03d}", password=PASSWORD)
        Membership.objects.create(user=user, unit=gate, role="volunteer")
        logins.append((user.username, gate.pk))
    port = int(live_server.url.rsplit(":", 1)[1])
    clients = []
    for name, gate in logins:
        client = Client(port)
        client.login(name, PASSWORD)
        client.request("GET", f"/community/gates/{gate}/")  # sets the CSRF cookie, as in the browser
        clients.append(client)
    run = Run()
    stop = time.monotonic() + SECONDS
    threads = [threading.Thread(target=gate_client, args=(client, name, gate, run, stop))
               for client, (name, gate) in zip(clients, logins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert run.errors == []
    assert len(run.acked) >= GATES  # every gate got through at least once
    stored = dict(GateEntry.objects.filter(idempotency_key__in=list(run.acked)).values_list("idempotency_key", "id"))
    assert stored == run.acked  # every acknowledged key stored, with the id the client was given
    assert GateEntry.objects.filter(gate__in=gates).count() == len(run.acked)  # and nothing else, nothing twice
    assert run.replay_mismatch == 0
