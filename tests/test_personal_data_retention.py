"""Retention per kind of record, enforced by the worker's core.retention job (core/retention.py): gate entries,
quarantine health checks, closed orders' caller fields. Each test runs the job through core.jobs.run_due."""

import uuid
from datetime import timedelta

from django.utils import timezone

from core import jobs
from core.models import AuditLog
from hotline import services as hotline
from hotline.models import Category, State, WorkOrder


def run_retention():
    jobs.enqueue("core.retention")
    assert jobs.run_due() >= 1


def test_gate_entries_older_than_the_period_are_deleted(org, personas, settings):
    from community import services
    from community.models import GateEntry

    settings.SHOUHU_GATE_RETENTION_DAYS = 28
    def entry(**kw):
        return services.register_entry(personas.yh_worker, org.yonghe_gate, idempotency_key=uuid.uuid4().hex,
                                       direction="in", mode="foot",
                                       people=[{"name": "访客", "phone": "13712340003", "temperature": "36.5"}],
                                       **kw).entry
    old, recent = entry(), entry()
    GateEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=29))
    run_retention()
    assert not GateEntry.objects.filter(pk=old.pk).exists()
    assert GateEntry.objects.filter(pk=recent.pk).exists()


def test_health_checks_go_a_period_after_the_quarantine_ended(org, personas, settings):
    from community import services
    from community.models import HealthCheck

    settings.SHOUHU_HEALTH_RETENTION_DAYS = 28
    home = services.add_household(personas.yh_worker, org.yonghe_jiayuan, "3", "301")
    old_res = services.add_resident(personas.yh_worker, home, "王磊", "13700001111")
    new_res = services.add_resident(personas.yh_worker, home, "王芳", "13700002222")
    today = timezone.localdate()
    ended = services.open_case(personas.yh_worker, old_res, "武汉返通", today - timedelta(days=60),
                               today - timedelta(days=46))
    active = services.open_case(personas.yh_worker, new_res, "武汉返通", today - timedelta(days=2),
                                today + timedelta(days=12))
    for case in (ended, active):
        services.record_check(case, "36.6", idempotency_key=uuid.uuid4().hex, actor=personas.yh_worker,
                              day=case.start_date + timedelta(days=1))
    services.end_case(personas.yh_worker, ended, "released")
    run_retention()
    assert not HealthCheck.objects.filter(case=ended).exists()
    assert HealthCheck.objects.filter(case=active).count() == 1
    assert AuditLog.objects.filter(action="core.retention.health_checks").exists()


def test_closed_orders_lose_the_caller_after_the_period_but_open_ones_keep_it(personas, settings):
    settings.SHOUHU_ORDER_PERSONAL_RETENTION_DAYS = 180
    category = Category.objects.filter(active=True).first()
    def order():
        return hotline.intake(personas.operator, content="咨询隔离政策", order_type="consult", category=category,
                              caller_name="张三", caller_phone="13912340001")
    old_closed, recent_closed, old_open = order(), order(), order()
    long_ago = timezone.now() - timedelta(days=181)
    WorkOrder.objects.filter(pk=old_closed.pk).update(state=State.CLOSED, closed_at=long_ago, received_at=long_ago)
    WorkOrder.objects.filter(pk=recent_closed.pk).update(state=State.CLOSED, closed_at=timezone.now())
    WorkOrder.objects.filter(pk=old_open.pk).update(received_at=long_ago)
    run_retention()
    erased = WorkOrder.objects.get(pk=old_closed.pk)
    assert (erased.caller_name, erased.caller_phone, erased.caller_phone_hash) == ("", "", "")
    assert erased.content == "咨询隔离政策"  # the order itself stays for statistics
    for pk in (recent_closed.pk, old_open.pk):
        kept = WorkOrder.objects.get(pk=pk)
        assert kept.caller_phone == "13912340001" and kept.caller_name == "张三"
    record = AuditLog.objects.get(action="core.retention.order_callers")
    assert record.detail["erased"] == 1 and "13912340001" not in str(record.detail)


def test_retention_is_a_periodic_worker_job():
    assert jobs.TASKS["core.retention"].every == timedelta(hours=24)
