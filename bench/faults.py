"""Faults under load: kill -9 the web server and the worker mid-run, restart them; optionally stop and start
PostgreSQL under load.

    python bench/faults.py                    # SQLite: kill -9 web + worker mid-load
    python bench/faults.py --postgres         # PostgreSQL 15 (throw-away): kills, then a database stop/start
    python bench/faults.py --clients 20 --seconds 12 --jobs 50

Checks: every acknowledged write is in the database; N probe jobs (each writes one audit row keyed by its
job id, in the job's transaction) leave exactly N rows and all N jobs done; requests retried with the same
Idempotency-Key after a dropped connection create one order; while PostgreSQL is down the app answers 503
(never 500) and it answers 200 again without a restart once the database is back.
"""

import argparse
import json
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Client, Stack, throwaway_postgres  # noqa: E402
from bench.load import drive, print_table, summary, verify  # noqa: E402

ENQUEUE = r"""
from core.jobs import enqueue
from django.db import transaction
ids = []
with transaction.atomic():
    for i in range({n}):
        ids.append(enqueue("core.probe", {{"key": "probe-{tag}-%d" % i, "sleep": 0.05}}).pk)
import json; print("RESULT" + json.dumps(ids))
"""

# Queued at the front when the kill is due: it appends to `inside` once its row is written (uncommitted) and
# waits for `release`, so the worker is killed provably inside a job. Queued only then, because on SQLite a
# job holds the write lock: held for long, it would block the web server's writes.
HELD = r"""
from datetime import timedelta
from django.utils import timezone
from core.jobs import enqueue
job = enqueue("core.probe", {{"key": "held-{tag}", "inside": {inside!r}, "release": {release!r}, "hold": 60}},
              run_at=timezone.now() - timedelta(days=1))
print("RESULT" + str(job.pk))
"""

HELD_RESULT = r"""
import json
from core.models import AuditLog, Job
print("RESULT" + json.dumps({{"rows": AuditLog.objects.filter(action="core.probe", detail__key="held-{tag}").count(),
                             "status": Job.objects.get(task="core.probe", args__key="held-{tag}").status}}))
"""

PROBES = r"""
import json
from collections import Counter
from core.models import AuditLog, Job
keys = Counter(AuditLog.objects.filter(action="core.probe", detail__key__startswith="probe-{tag}-")
               .values_list("detail__key", flat=True))
jobs = Counter(Job.objects.filter(task="core.probe", args__key__startswith="probe-{tag}-").values_list("status", flat=True))
print("RESULT" + json.dumps({{"rows": sum(keys.values()), "distinct": len(keys), "max_per_key": max(keys.values() or [0]),
                             "jobs": dict(jobs)}}))
"""

RETRIED = r"""
import json
from hotline.models import WorkOrder
tags = json.loads(open({path!r}).read())
counts = [WorkOrder.objects.filter(content__endswith=t).count() for t in tags]
print("RESULT" + json.dumps({{"keys": len(tags), "orders": sum(counts), "max_per_key": max(counts or [0])}}))
"""


def retrying_intake(stack, cookies, tags, category, stop):
    """Intake with an Idempotency-Key, retried with the same key until the server answers (even across kills)."""
    client = Client(stack.port, cookies["operator"], timeout=30)
    while not stop.is_set():
        tag = uuid.uuid4().hex[:12]
        key = "retry-" + tag
        body = {"content": f"幂等重试测试 {tag}", "order_type": "help", "category": category}
        for attempt in range(200):
            try:
                status, _ = client.json("POST", "/api/v1/hotline/orders/", body, {"Idempotency-Key": key})
            except OSError:
                status = None
            if status in (200, 201):
                # Send it once more on purpose: the replay must not write.
                client.json("POST", "/api/v1/hotline/orders/", body, {"Idempotency-Key": key})
                tags.append(tag)
                break
            time.sleep(0.2)
        time.sleep(0.05)


def pg_outage(stack, pg, seconds_down, log):
    """Stop PostgreSQL, sample answers while it is down, start it, wait for the app to answer 200 again."""
    client = Client(stack.port, timeout=10)
    pg.stop("fast")
    down_statuses = {}
    until = time.monotonic() + seconds_down
    while time.monotonic() < until:
        for path in ("/healthz", "/accounts/login/", "/api/v1/hotline/orders/"):
            try:
                status, _ = client.request("GET", path)
            except OSError:
                status = "conn"
            down_statuses[f"{path} {status}"] = down_statuses.get(f"{path} {status}", 0) + 1
        time.sleep(0.3)
    pg.start()
    back_at = time.monotonic()
    recovered = None
    while time.monotonic() - back_at < 60:
        try:
            if client.request("GET", "/healthz")[0] == 200 and client.request("GET", "/accounts/login/")[0] == 200:
                recovered = time.monotonic() - back_at
                break
        except OSError:
            pass
        time.sleep(0.2)
    log.update(pg_down_statuses=down_statuses, pg_recovered_after_s=recovered)


def run_faults(database_url="", clients=50, seconds=30, jobs=200, pg=None, workers=4, threads=8, think=0.3,
               stack=None):
    """With `stack`, reuse that started Stack (the CI test shares one with the load test)."""
    from contextlib import nullcontext

    tag = uuid.uuid4().hex[:8]
    log = {}
    with (nullcontext(stack) if stack is not None else Stack(database_url, workers=workers, threads=threads)) as stack:
        job_ids = stack.query(ENQUEUE.format(n=jobs, tag=tag))
        inside, release = stack.var_dir / f"held-{tag}.inside", stack.var_dir / f"held-{tag}.release"
        tags, stop = [], threading.Event()

        def during(run):
            from bench.load import login_all

            cookies = login_all(stack.port)
            retry = threading.Thread(target=retrying_intake, args=(stack, cookies, tags, stack.info["category"], stop))
            retry.start()
            started = time.monotonic()
            time.sleep(seconds * 0.25)
            stack.query(HELD.format(tag=tag, inside=str(inside), release=str(release)))
            while not inside.exists() and time.monotonic() - started < 120:
                time.sleep(0.02)
            log["worker_inside_job_at_kill"] = inside.exists()
            stack.kill_worker()
            stack.kill_web()
            log["killed_at_s"] = round(time.monotonic() - started, 1)
            release.touch()
            # How far the queue was: some probe jobs done, some not yet (on a fast machine maybe all done;
            # the kill still lands inside the held job).
            log["probes_done_at_kill"] = stack.query(PROBES.format(tag=tag))["jobs"].get("done", 0)
            time.sleep(1)
            stack.start_web()
            stack.start_worker()
            log["restarted"] = True
            if pg is not None:
                time.sleep(seconds * 0.2)
                pg_outage(stack, pg, max(3.0, seconds * 0.15), log)
            stop.set()
            retry.join()

        run, elapsed = drive(stack, clients, seconds, think, during=during)
        deadline = time.monotonic() + 120
        while True:
            probes = stack.query(PROBES.format(tag=tag))
            if probes["jobs"].get("done", 0) == jobs or time.monotonic() > deadline:
                break
            time.sleep(1)
        found = verify(stack, run)
        path = stack.var_dir / "retried.json"
        path.write_text(json.dumps(tags))
        retried = stack.query(RETRIED.format(path=str(path)))
        # The held probe's body ran in the killed worker and again after the restart; its row is there once.
        while stack.query(HELD_RESULT.format(tag=tag))["status"] == "pending" and time.monotonic() < deadline:
            time.sleep(1)
        log["held"] = {**stack.query(HELD_RESULT.format(tag=tag)),
                       "entered": len(inside.read_text().split()) if inside.exists() else 0}
    lost = {k: v[0] - v[1] for k, v in found.items() if isinstance(v, list)}
    errors = [e for e in run.errors if e[1] != "down"]
    if pg is not None:
        # While PostgreSQL is down the load's own requests get 503s: expected; anything 5xx but 503 is a failure.
        errors = [e for e in errors if e[1] != 503]
    return {"run": run, "elapsed": elapsed, "found": found, "lost": lost, "errors": errors, "probes": probes,
            "jobs": jobs, "job_ids": len(job_ids), "retried": retried, **log}


def ok(result):
    p = result["probes"]
    down = result.get("pg_down_statuses", {})
    bad_down = {k: v for k, v in down.items() if k.endswith(("500", "502"))}
    return (not result["errors"] and not any(result["lost"].values()) and not result["found"]["duplicate_keys"]
            and p["rows"] == result["jobs"] and p["max_per_key"] == 1 and p["jobs"].get("done") == result["jobs"]
            and result["retried"]["orders"] == result["retried"]["keys"] and not bad_down
            and result.get("worker_inside_job_at_kill") and result.get("held") == {"rows": 1, "status": "done", "entered": 2}
            and (not down or result.get("pg_recovered_after_s") is not None))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    if args.postgres:
        with throwaway_postgres() as pg:
            result = run_faults(pg.url, args.clients, args.seconds, args.jobs, pg=pg)
    else:
        result = run_faults("", args.clients, args.seconds, args.jobs)
    run = result.pop("run")
    print_table(summary(run, result["elapsed"]))
    print(json.dumps({k: v for k, v in result.items()}, ensure_ascii=False, default=str, indent=1))
    print("OK" if ok(result) else "FAILED")
    return 0 if ok(result) else 1


if __name__ == "__main__":
    sys.exit(main())
