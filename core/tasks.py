"""Worker jobs of core: personal-data retention, and a probe used by the fault tests (bench/faults.py)."""

from datetime import timedelta

from core.jobs import task


@task("core.retention", every=timedelta(hours=24))
def retention():
    from core import retention as rules

    return rules.run()


@task("core.probe")
def probe(key, sleep=0.0):
    """Write one audit row named by `key`; with the job's done mark in one transaction it must appear
    exactly once however often the worker is killed (tests/test_reliability_faults.py counts them)."""
    import time

    from core import audit

    audit.record(None, "core.probe", detail={"key": key})
    if sleep:
        time.sleep(sleep)  # widen the window in which a kill -9 lands mid-job
    return key
