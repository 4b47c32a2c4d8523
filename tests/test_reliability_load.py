"""The short variant of bench/load.py in CI: gunicorn + worker on a fresh database, a mixed load by 20 clients
for 8 s; zero server errors and every acknowledged write found afterwards (timings are not asserted)."""

import os

import pytest

from bench.harness import Stack, scratch_database
from bench.load import drive, verify

pytestmark = pytest.mark.reliability


def test_mixed_load_has_no_server_error_and_loses_no_acknowledged_write():
    with scratch_database(os.environ.get("SHOUHU_DATABASE_URL", "")) as url, Stack(url, workers=2, threads=8) as stack:
        run, _elapsed = drive(stack, clients=20, seconds=8, think=0.2)
        found = verify(stack, run)
    assert run.errors == []
    assert sum(len(t) for t in run.timings.values()) > 50
    for kind in ("intake", "gate_entry", "dispatch", "accept"):
        acked, present = found[kind]
        assert acked > 0 and present == acked, (kind, found)
    assert found["duplicate_keys"] == 0
