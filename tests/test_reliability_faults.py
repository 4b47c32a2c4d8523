"""The short variant of bench/faults.py in CI: kill -9 the web server and the worker mid-load and restart them.
Nothing acknowledged is lost, no job runs twice, a request retried with its Idempotency-Key writes once."""

import os

import pytest

from bench.faults import run_faults
from bench.harness import scratch_database

pytestmark = pytest.mark.reliability


def test_kill_9_of_web_and_worker_loses_nothing_and_runs_no_job_twice():
    with scratch_database(os.environ.get("SHOUHU_DATABASE_URL", "")) as url:
        result = run_faults(url, clients=10, seconds=12, jobs=120, workers=2, threads=4)
    assert result["restarted"]
    assert result["errors"] == []
    assert not any(result["lost"].values()), result["found"]
    probes = result["probes"]
    assert probes["rows"] == 120 and probes["distinct"] == 120 and probes["max_per_key"] == 1
    assert probes["jobs"] == {"done": 120}
    assert result["retried"]["keys"] > 0
    assert result["retried"]["orders"] == result["retried"]["keys"]
