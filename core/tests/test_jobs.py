import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core import jobs
from core.models import Job

RUNS = []


@jobs.task("test.record")
def record(value):
    RUNS.append(value)
    Job.objects.filter(task="test.marker").count()  # touch the database inside the job's transaction
    return {"value": value}


@jobs.task("test.fail", max_attempts=2)
def fail():
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def clear_runs():
    RUNS.clear()


def test_due_job_runs_once_and_is_marked_done(db):
    job = jobs.enqueue("test.record", {"value": 1})
    later = jobs.enqueue("test.record", {"value": 2}, run_at=timezone.now() + timedelta(hours=1))
    assert jobs.run_due() == 1
    assert jobs.run_due() == 0
    job.refresh_from_db()
    later.refresh_from_db()
    assert RUNS == [1] and job.status == Job.Status.DONE and job.result == {"value": 1}
    assert later.status == Job.Status.PENDING


def test_failing_job_backs_off_then_lands_in_dead_letters(db):
    job = jobs.enqueue("test.fail")
    jobs.run_due()
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING and job.attempts == 1 and "boom" in job.last_error
    jobs.run_due(now=timezone.now() + timedelta(days=1))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert jobs.retry(job.pk) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING and job.attempts == 0


def test_unique_key_makes_enqueue_idempotent(db):
    first = jobs.enqueue("test.record", {"value": 3}, unique_key="k1")
    again = jobs.enqueue("test.record", {"value": 3}, unique_key="k1")
    assert first.pk == again.pk and Job.objects.filter(unique_key="k1").count() == 1


def test_periodic_schedule_makes_one_job_per_period(db):
    jobs.TASKS["test.periodic"] = jobs.Task("test.periodic", lambda: None, every=timedelta(minutes=5))
    try:
        now = timezone.now()
        jobs.schedule_periodic(now)
        jobs.schedule_periodic(now + timedelta(seconds=1))
        assert Job.objects.filter(task="test.periodic").count() in (1, 2)  # 2 only if a period boundary fell between
        jobs.schedule_periodic(now + timedelta(minutes=5))
        assert Job.objects.filter(task="test.periodic").count() >= 2
    finally:
        del jobs.TASKS["test.periodic"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_a_job_twice():
    for i in range(40):
        jobs.enqueue("test.record", {"value": i})
    errors = []

    def work():
        try:
            while jobs.run_due(limit=5):
                pass
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(RUNS) == list(range(40))
    assert Job.objects.filter(status=Job.Status.DONE).count() == 40


@jobs.task("test.outside", atomic=False)
def outside(value):
    from django.db import connection as conn

    RUNS.append((value, conn.in_atomic_block))


@pytest.mark.django_db(transaction=True)
def test_non_atomic_job_runs_outside_any_transaction():
    job = jobs.enqueue("test.outside", {"value": 7})
    assert jobs.run_due() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 1
    assert RUNS == [(7, False)]  # no lock held while it talks to the outside world


def test_non_atomic_job_left_by_a_dead_worker_runs_again_after_its_lease(db):
    job = jobs.enqueue("test.outside", {"value": 8})
    # Simulate a worker that claimed the job (lease set) and died before finishing.
    Job.objects.filter(pk=job.pk).update(run_at=timezone.now() + jobs.lease(), worker="dead:1")
    assert jobs.run_due() == 0
    assert jobs.run_due(now=timezone.now() + jobs.lease() + timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and RUNS == [(8, RUNS[0][1])]
