"""kill -9 of a worker *inside* a job, deterministically, on the suite's own database (SQLite file or PostgreSQL).

The worker is a real `manage.py worker` process on the test database. The job tells the test it is inside
(a line appended to a file, or the webhook receiver seeing the request) and then waits, so SIGKILL provably
lands between the job's first effect and its done mark. Then a new worker is started.

- atomic job (core.probe): its effect (an audit row) and its done mark are one transaction, so the kill
  rolls both back; the rerun commits the effect exactly once although the body was entered twice.
- non-atomic job (interop.deliver_webhook, leased): the request already reached the receiver when the worker
  died, so after the lease (SHOUHU_JOB_LEASE_SECONDS, 2 s here) the message is sent again with the same
  X-Shouhu-Event-Id; the receiver applies it once because it deduplicates on that id (docs/interop.md).
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from core import jobs
from core.models import AuditLog, Job
from interop.tests.fake_platform import serving

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
LEASE_SECONDS = 2
SECRET = "kill-test-secret"


def database_url():
    """The test database as a SHOUHU_DATABASE_URL for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`manage.py worker --task …` on the test database, in its own process group."""

    def __init__(self, tmp_path, tasks, **env):
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shouhu.settings_test",
                    "SHOUHU_DATABASE_URL": database_url(), "SHOUHU_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
                    "PYTHONUNBUFFERED": "1", **env}
        self.args = [sys.executable, "manage.py", "worker", "--sleep", "0.1"]
        for name in tasks:
            self.args += ["--task", name]
        self.log = tmp_path / "worker.log"
        self.procs = []

    def start(self):
        with open(self.log, "ab") as log:
            proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.procs.append(proc)
        return proc

    def kill9(self, proc):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)

    def tail(self):
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def deleted_sqlite_files():
    """WAL / shared-memory files of the test database that this process still reads through although they
    were deleted. That happens when this process lost its POSIX locks on the database file (any open+close of
    the file here drops them, see RELIABILITY.md): a worker closing its connection then believes it is the last
    user, checkpoints and deletes them, and this process stops seeing what workers commit after that."""
    if connection.vendor != "sqlite" or not os.path.isdir("/proc/self/fd"):
        return []
    name = str(Path(connection.settings_dict["NAME"]).resolve())
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(name) and target.endswith("(deleted)"):
            found.append(target)
    return found


def wait_for(condition, what, worker, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{worker.tail()}")


def job_state(pk):
    stale = deleted_sqlite_files()
    assert not stale, f"this process reads the test database through deleted files {stale}: its locks were lost"
    return Job.objects.values("status", "attempts", "worker", "run_at").get(pk=pk)


def test_worker_killed_inside_an_atomic_job_commits_its_effect_exactly_once(tmp_path):
    key = uuid.uuid4().hex
    inside, release = tmp_path / "inside", tmp_path / "release"
    # run_at in the past: this job is first in the queue whatever else is pending.
    job = jobs.enqueue("core.probe", {"key": key, "inside": str(inside), "release": str(release)},
                       run_at=timezone.now() - timedelta(days=1))
    worker = Worker(tmp_path, ["core.probe"])
    try:
        first = worker.start()
        wait_for(inside.exists, "the worker to be inside the job", worker)
        # Inside: the audit row is written (uncommitted), the done mark is not. Kill now.
        worker.kill9(first)
        assert first.returncode == -signal.SIGKILL
        assert AuditLog.objects.filter(action="core.probe", detail__key=key).count() == 0
        state = job_state(job.pk)
        assert state["status"] == Job.Status.PENDING and state["attempts"] == 0

        release.touch()
        worker.start()
        wait_for(lambda: job_state(job.pk)["status"] != Job.Status.PENDING, "the rerun", worker)
    finally:
        worker.stop_all()
    entered = inside.read_text().split()
    assert len(entered) == 2 and entered[0] != entered[1]  # the body ran in both processes ...
    assert AuditLog.objects.filter(action="core.probe", detail__key=key).count() == 1  # ... its effect once
    state = job_state(job.pk)
    assert state["status"] == Job.Status.DONE and state["attempts"] == 1
    assert state["worker"].endswith(f":{entered[1]}")


class HoldFirst:
    """Per-request hook of the fake platform: the first request is held open until the test has killed the
    sender, so the kill lands after delivery and before the done mark."""

    def __init__(self):
        self.inside, self.release = threading.Event(), threading.Event()
        self._lock = threading.Lock()

    def __call__(self, request):
        with self._lock:
            first = not self.inside.is_set()
            self.inside.set()
        if first:
            self.release.wait(30)


@pytest.fixture
def receiver(settings):
    """The city platform as docs/interop.md asks (signature checked, each event id applied once), holding
    the first request."""
    hold = HoldFirst()
    with serving(settings, SECRET, on_request=hold) as platform:
        platform.hold = hold
        yield platform
        hold.release.set()


def test_worker_killed_inside_a_webhook_resends_after_the_lease_and_the_receiver_applies_it_once(
        tmp_path, personas, receiver):
    from interop import services
    from interop.models import WebhookDelivery

    services.receive_order(personas.operator, platform_number="NT-KILL-1", content="药店口罩涨价,请核查",
                           category="EP-PRICE", order_type="complaint")
    assert services.scan_events() >= 1
    deliveries = list(WebhookDelivery.objects.order_by("id"))
    worker = Worker(tmp_path, ["interop.deliver_webhook"], SHOUHU_UPPER_WEBHOOK_URL=receiver.url,
                    SHOUHU_UPPER_WEBHOOK_SECRET=SECRET, SHOUHU_UPPER_WEBHOOK_TIMEOUT="60")
    try:
        first = worker.start()
        assert receiver.hold.inside.wait(60), worker.tail()
        # The held message is whichever the worker sent first (the queue's order, not the deliveries' ids).
        held = next(d for d in deliveries if d.event_id == receiver.received[0].event_id)
        worker.kill9(first)  # the platform has the message; the worker never learnt it
        receiver.hold.release.set()
        killed_at = time.time()
        state = job_state(held.job_id)
        assert state["status"] == Job.Status.PENDING and state["attempts"] == 0
        assert state["worker"].endswith(f":{first.pid}")  # still leased to the dead worker ...
        lease_end = state["run_at"].timestamp()
        assert lease_end > killed_at - 1
        worker.start()  # ... so the new worker waits for the lease to run out before sending again
        wait_for(lambda: not Job.objects.filter(pk__in=[d.job_id for d in deliveries],
                                                status=Job.Status.PENDING).exists(), "the resend", worker)
    finally:
        worker.stop_all()
    times = [r.at for r in receiver.received if r.event_id == held.event_id]
    assert len(times) == 2 and times[1] >= lease_end - 0.5  # sent twice: at-least-once by design
    assert all(r.signed for r in receiver.received)
    assert sorted(receiver.applied) == sorted(d.event_id for d in deliveries)  # but applied once each
    assert len(receiver.applied) == len(set(receiver.applied))
    state = job_state(held.job_id)
    assert state["status"] == Job.Status.DONE and state["attempts"] == 1
    held.refresh_from_db()
    assert held.delivered_at is not None and held.response_status == 200
    assert json.loads(json.dumps(held.payload))["event_id"] == held.event_id
