"""Background jobs: a task registry, enqueueing, periodic schedules and the claim-run-finish loop.

A job's work and its "done" mark commit in one transaction while the worker holds the job's row:
on PostgreSQL with SELECT ... FOR UPDATE SKIP LOCKED, on SQLite with the database write lock taken
by a compare-and-set UPDATE. If a worker dies mid-job, the transaction rolls back and the job is
pending again, so database effects happen exactly once however many workers run.

A task with side effects outside the database (a webhook) is registered with atomic=False: the worker
claims it with a lease (run_at moved lease() ahead), commits, runs it outside any transaction (so no lock is
held during a slow HTTP call) and then marks it done. A worker that dies leaves the lease to expire and the
job runs again: at-least-once, so such tasks must be idempotent on the receiving end (event ids). The lease
is SHOUHU_JOB_LEASE_SECONDS (default 300): longer than the slowest such job, short enough that a dead
worker's job is picked up again soon. tests/test_reliability_kill.py kills a worker inside each kind of job.
"""

import logging
import os
import socket
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    name: str
    fn: object
    every: timedelta | None = None
    max_attempts: int = 5
    atomic: bool = True


TASKS: dict[str, Task] = {}


def lease():
    """How long a non-atomic job is reserved for the worker that claimed it (read per claim: tests shorten it)."""
    return timedelta(seconds=float(getattr(settings, "SHOUHU_JOB_LEASE_SECONDS", 300)))


def task(name, every=None, max_attempts=5, atomic=True):
    """Register a function as a job. With `every`, the worker schedules it on that period; atomic=False
    for work with outside side effects (runs outside the transaction, at least once)."""

    def decorator(fn):
        TASKS[name] = Task(name, fn, every, max_attempts, atomic)
        return fn

    return decorator


def enqueue(name, args=None, run_at=None, unique_key=None):
    """Queue a job (inside the caller's transaction). With unique_key, a second enqueue is a no-op."""
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}")
    fields = dict(task=name, args=args or {}, run_at=run_at or timezone.now(), max_attempts=TASKS[name].max_attempts)
    if unique_key is None:
        return Job.objects.create(**fields)
    try:
        with transaction.atomic():
            return Job.objects.create(unique_key=unique_key, **fields)
    except IntegrityError:
        return Job.objects.get(unique_key=unique_key)


def schedule_periodic(now=None, tasks=None):
    """Make sure every periodic task (of `tasks`, if given) has a job for the current period (one per period, by key)."""
    now = now or timezone.now()
    for item in TASKS.values():
        if item.every is None or (tasks and item.name not in tasks):
            continue
        seconds = int(item.every.total_seconds())
        slot = int(now.timestamp()) // seconds * seconds
        enqueue(item.name, unique_key=f"{item.name}@{slot}", run_at=datetime.fromtimestamp(slot, tz=UTC))


def worker_id():
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(due, me):
    """Inside a transaction: lock one due job for this worker, or None."""
    if connection.features.has_select_for_update_skip_locked:
        return due.select_for_update(skip_locked=True).first()
    candidate = due.values_list("id", flat=True).first()
    if candidate is None:
        return None
    # The UPDATE takes SQLite's write lock until commit: no other worker can claim meanwhile.
    if not Job.objects.filter(id=candidate, status=Job.Status.PENDING).update(worker=me):
        return None
    return Job.objects.get(id=candidate)


def _finish(job, me, result=None, error=None):
    job.attempts += 1
    job.worker = me
    if error is None:
        job.status = Job.Status.DONE
        job.finished_at = timezone.now()
        job.result = result if isinstance(result, (dict, list, int, str, type(None))) else str(result)
    else:
        log.warning("job %s %s failed (attempt %s)", job.pk, job.task, job.attempts)
        job.last_error = error[-4000:]
        if job.attempts >= job.max_attempts:
            job.status = Job.Status.FAILED
            job.finished_at = timezone.now()
        else:
            job.run_at = timezone.now() + timedelta(seconds=min(3600, 2 ** job.attempts * 5))
    job.save()
    return job


def _run(item, job):
    if item is None:
        raise LookupError(f"no such task {job.task!r}")
    return item.fn(**job.args)


def _claim_and_run(now, me, tasks=None):
    """Claim one due job (of `tasks`, if given) and run it; returns the job or None when nothing is due."""
    due = Job.objects.filter(status=Job.Status.PENDING, run_at__lte=now).order_by("run_at", "id")
    if tasks:
        due = due.filter(task__in=tasks)
    with transaction.atomic():
        job = _claim(due, me)
        if job is None:
            return None
        item = TASKS.get(job.task)
        if item is None or item.atomic:
            try:
                with transaction.atomic():
                    result = _run(item, job)
            except Exception:
                return _finish(job, me, error=traceback.format_exc())
            return _finish(job, me, result=result)
        # Non-atomic: reserve it with a lease and commit before running.
        job.run_at, job.worker = timezone.now() + lease(), me
        job.save(update_fields=["run_at", "worker"])
    try:
        result, error = _run(item, job), None
    except Exception:
        result, error = None, traceback.format_exc()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        return _finish(job, me, result=result, error=error)


def run_due(limit=100, now=None, tasks=None):
    """Run up to `limit` due jobs (only those named in `tasks`, if given); returns how many were run."""
    me = worker_id()
    count = 0
    while count < limit:
        job = _claim_and_run(now or timezone.now(), me, tasks)
        if job is None:
            break
        count += 1
    return count


def retry(job_id):
    """Put a failed job back in the queue (dead-letter retry from the admin)."""
    return Job.objects.filter(id=job_id, status=Job.Status.FAILED).update(
        status=Job.Status.PENDING, attempts=0, run_at=timezone.now(), finished_at=None
    )
