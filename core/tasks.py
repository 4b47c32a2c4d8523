"""Worker jobs of core: personal-data retention, and a probe used by the fault tests (bench/faults.py)."""

from datetime import timedelta

from core.jobs import task


# atomic=False: each batch commits on its own (short locks); a rerun after a crash finds only what is left.
@task("core.retention", every=timedelta(hours=24), atomic=False)
def retention():
    """Every retention rule, bounded per run; a rule that hit its cap gets a follow-up run a minute later."""
    from core import retention as rules

    result = rules.run()
    if result["more"]:
        rules.follow_up("core.retention")
    return result


@task("core.probe")
def probe(key, sleep=0.0, inside="", release="", hold=60.0):
    """Write one audit row named by `key`; with the job's done mark in one transaction it must appear
    exactly once however often the worker is killed (bench/faults.py, tests/test_reliability_kill.py count them).

    `inside`: a file to which a line is appended once the row is written, outside the transaction (a kill
    test waits for it: the worker is then provably in the middle of the job). `release`: the job then waits
    until that file exists (at most `hold` seconds) so the kill cannot land after the commit."""
    import os
    import time

    from core import audit

    audit.record(None, "core.probe", detail={"key": key})
    if inside:
        with open(inside, "a") as f:
            f.write(f"{os.getpid()}\n")
    if release:
        deadline = time.monotonic() + hold
        while not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.05)
    if sleep:
        time.sleep(sleep)  # widen the window in which a kill -9 lands mid-job
    return key
