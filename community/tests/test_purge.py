"""The gate entries' purge (community.purge_entries, a core.retention rule): expired entries go, recent ones stay,
a run stops at its cap and queues a follow-up, and every batch is its own transaction, so a failing batch keeps
the earlier ones and a gate can register between batches. Jobs run through core.jobs.run_due, as in the worker:
run as one atomic job, the purge was a single transaction whatever its batches did."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from community.models import Alert, EntryPerson, GateEntry
from community.services import gate as gate_service
from community.tests.test_gate import register, visitor
from core import jobs
from core.models import AuditLog, Job


@pytest.fixture
def entries(org, personas, settings):
    """Five entries 29 days old (one with a fever alert) and one 27 days old, under the 28-day period."""
    settings.SHOUHU_GATE_RETENTION_DAYS = 28
    now = timezone.now()
    old = [register(personas.volunteer, org.yonghe_gate, [visitor("38.5" if n == 0 else "36.5")],
                    now=now - timedelta(days=29, minutes=n)).entry for n in range(5)]
    recent = register(personas.volunteer, org.yonghe_gate, now=now - timedelta(days=27)).entry
    return old, recent


def expired():
    return GateEntry.objects.filter(created_at__lt=timezone.now() - timedelta(days=28)).count()


def purge_job(**args):
    jobs.enqueue("community.purge_entries", args=args)


def finished(task="community.purge_entries"):
    return list(Job.objects.filter(task=task, status=Job.Status.DONE).order_by("id").values_list("result", flat=True))


def test_purge_deletes_expired_entries_with_their_people_and_keeps_recent_ones(entries):
    old, recent = entries
    purge_job(batch=2)
    jobs.run_due()
    assert list(GateEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not EntryPerson.objects.filter(entry_id__in=[e.pk for e in old]).exists()
    assert Alert.objects.get(kind="fever").entry is None  # the alert outlives its entry
    assert finished() == [{"deleted": 5, "more": False}]
    record = AuditLog.objects.get(action="core.retention.gate_entries")  # counts and cutoff, no person data
    assert record.detail["rows"] == 5 and record.detail["more"] is False


def test_a_run_stops_at_its_cap_and_a_follow_up_finishes_the_rest(entries):
    old, recent = entries
    purge_job(batch=2, limit=3)
    assert jobs.run_due() == 1  # the follow-up is not due yet
    assert expired() == 2
    follow_up = Job.objects.get(task="community.purge_entries", status=Job.Status.PENDING)
    assert follow_up.args == {"batch": 2, "limit": 3}
    assert follow_up.run_at > timezone.now()
    assert jobs.run_due(now=timezone.now() + timedelta(minutes=2)) == 1
    assert list(GateEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert finished() == [{"deleted": 3, "more": True}, {"deleted": 2, "more": False}]
    assert not Job.objects.filter(task="community.purge_entries", status=Job.Status.PENDING).exists()


def test_the_cap_and_batch_come_from_the_retention_settings(entries, settings):
    settings.SHOUHU_RETENTION_BATCH, settings.SHOUHU_RETENTION_MAX_ROWS = 1, 4
    jobs.schedule_periodic(tasks=["community.purge_entries"])
    jobs.run_due()
    assert expired() == 1
    assert finished() == [{"deleted": 4, "more": True}]


def test_a_failing_batch_keeps_the_batches_committed_before_it(entries, monkeypatch):
    real, calls = gate_service._delete_entries, []

    def second_batch_fails(ids):
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(ids)

    monkeypatch.setattr(gate_service, "_delete_entries", second_batch_fails)
    purge_job(batch=2)
    jobs.run_due()
    job = Job.objects.get(task="community.purge_entries")
    assert job.status == Job.Status.PENDING and "disk full" in job.last_error  # retried later
    assert expired() == 3  # the first batch stays deleted
    monkeypatch.setattr(gate_service, "_delete_entries", real)
    jobs.run_due(now=timezone.now() + timedelta(hours=1))
    assert expired() == 0


@pytest.mark.django_db(transaction=True)
def test_a_gate_registers_and_commits_while_a_purge_is_between_batches(entries, org, personas, monkeypatch):
    """Real commits (no test transaction): after the first batch commits, another connection registers at the
    gate and must finish at once, while the purge still has rows to delete."""
    real, seen = gate_service._delete_entries, {}

    def between_batches():
        seen["in_transaction"] = connection.in_atomic_block
        seen["expired_left"] = expired()

        def gate():
            try:
                seen["entry"] = register(personas.volunteer, org.yonghe_gate).entry.pk
            finally:
                connection.close()

        thread = threading.Thread(target=gate)
        thread.start()
        thread.join(timeout=20)
        seen["registered_in_time"] = not thread.is_alive()

    def first_batch_then_register(ids):
        real(ids)
        if not seen:
            seen["pending"] = True
            transaction.on_commit(between_batches)  # runs once this batch's transaction has committed

    monkeypatch.setattr(gate_service, "_delete_entries", first_batch_then_register)
    purge_job(batch=2)
    jobs.run_due()
    assert seen["in_transaction"] is False
    assert seen["expired_left"] == 3  # the purge was mid-way
    assert seen["registered_in_time"]
    assert GateEntry.objects.filter(pk=seen["entry"]).exists()
    assert expired() == 0
