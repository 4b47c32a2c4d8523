"""Retention per kind of record, enforced by the worker's core.retention job (core/retention.py): gate entries,
quarantine health data and cases, closed alerts, finished doorstep services, checkpoint inspections, closed
orders' callers, notifications, residents, volunteers and donors after the emergency response, the audit log;
and the bound per run. Each test runs the job through core.jobs.run_due (as the worker does)."""

import uuid
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import make_user

from core import jobs
from core.models import AuditLog, Job
from hotline import services as hotline
from hotline.models import Category, State, WorkOrder


def run_retention(now=None):
    jobs.enqueue("core.retention")
    assert jobs.run_due(now=now) >= 1
    return Job.objects.filter(task="core.retention", status=Job.Status.DONE).order_by("-id").first().result


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
    assert record.detail["rows"] == 1 and "13912340001" not in str(record.detail)


def test_retention_is_a_periodic_worker_job():
    assert jobs.TASKS["core.retention"].every == timedelta(hours=24)


# -- quarantine cases, alerts, doorstep services, checkpoints ------------------------------------------------

def _home(org, personas):
    from community import services

    return services.add_household(personas.yh_worker, org.yonghe_jiayuan, "3", "301")


def test_ended_cases_lose_reasons_and_notes_after_the_period_active_ones_keep_them(org, personas, settings):
    from community import services
    from community.models import QuarantineCase, QuarantineChange

    settings.SHOUHU_HEALTH_RETENTION_DAYS = 28
    home = _home(org, personas)
    today = timezone.localdate()
    old = services.open_case(personas.yh_worker, services.add_resident(personas.yh_worker, home, "王磊", "13700001111"),
                             "武汉返通,同车乘客确诊", today - timedelta(days=60), today - timedelta(days=46))
    services.change_period(personas.yh_worker, old, today - timedelta(days=45), "出现咳嗽,延长观察")
    services.end_case(personas.yh_worker, old, "hospital", "转南通市第三人民医院")
    active = services.open_case(personas.yh_worker, services.add_resident(personas.yh_worker, home, "王芳"),
                                "武汉返通", today - timedelta(days=2), today + timedelta(days=12))
    result = run_retention()
    old.refresh_from_db()
    assert (old.reason, old.outcome_note) == ("", "")
    assert old.outcome == "hospital" and old.status == QuarantineCase.Status.ENDED  # statistics keep the facts
    assert not QuarantineChange.objects.filter(case=old).exclude(reason="").exists()
    assert QuarantineChange.objects.filter(case=old).count() >= 3  # the history rows stay, without their text
    active.refresh_from_db()
    assert active.reason == "武汉返通"
    assert result["quarantine_cases"] == 1
    assert run_retention()["quarantine_cases"] == 0  # nothing left: a rerun is a no-op


def test_closed_alerts_keep_only_the_rule_after_the_period(org, personas, settings):
    from community import services
    from community.models import Alert

    settings.SHOUHU_HEALTH_RETENTION_DAYS = 28
    result = services.register_entry(personas.yh_worker, org.yonghe_gate, idempotency_key=uuid.uuid4().hex,
                                     direction="in", mode="foot",
                                     people=[{"name": "李发热", "phone": "13712340009", "temperature": "38.6"}])
    alerts = list(Alert.objects.filter(entry=result.entry))
    assert alerts, "a fever at the gate raises an alert"
    for alert in alerts:
        services.handle_alert(personas.yh_worker, alert, Alert.Status.CLOSED, "李发热已送发热门诊,电话13712340009")
    open_alert = Alert.objects.create(kind=alerts[0].kind, community=org.yonghe, message="张三 体温 38.9")
    Alert.objects.filter(pk__in=[a.pk for a in alerts] + [open_alert.pk]).update(
        created_at=timezone.now() - timedelta(days=29))
    run_retention()
    for alert in Alert.objects.filter(pk__in=[a.pk for a in alerts]):
        assert alert.message == alert.get_kind_display() and alert.handling_note == "" and alert.advice == ""
        assert alert.status == Alert.Status.CLOSED
    assert Alert.objects.get(pk=open_alert.pk).message == "张三 体温 38.9"  # still being handled: kept


def test_finished_doorstep_services_lose_their_free_text_after_the_period(org, personas, settings):
    from community import services
    from community.models import ServiceEvent, ServiceRequest

    settings.SHOUHU_SERVICE_NOTES_RETENTION_DAYS = 180
    home = _home(org, personas)
    done = services.request_service(personas.yh_worker, home, "medicine", "代购降压药(氨氯地平),王磊")
    services.advance_service(personas.yh_worker, done, "assigned")
    done.refresh_from_db()
    services.advance_service(personas.yh_worker, done, "done", "已送到王磊家门口")
    recent = services.request_service(personas.yh_worker, home, "medicine", "代购感冒药")
    ServiceRequest.objects.filter(pk=done.pk).update(done_at=timezone.now() - timedelta(days=181))
    run_retention()
    done.refresh_from_db()
    assert (done.detail, done.done_note) == ("", "") and done.kind == "medicine" and done.status == "done"
    assert not ServiceEvent.objects.filter(request=done).exclude(note="").exists()
    assert ServiceRequest.objects.get(pk=recent.pk).detail == "代购感冒药"


def test_people_checked_at_a_checkpoint_are_pseudonymised_after_the_period(org, personas, settings):
    from conftest import make_user

    from community import services
    from community.models import Inspection, InspectedPerson
    from core.retention import PSEUDONYM

    settings.SHOUHU_INSPECTION_RETENTION_DAYS = 28
    port = make_user("port_team", org.port, "community_worker", "王俊荣")
    def inspect():
        return services.record_inspection(port, org.port, kind="car", idempotency_key=uuid.uuid4().hex,
                                          plate="鄂B12345", origin="武汉", people=[dict(
                                              name="张建国", id_number="32061119500512001X", phone="13712340005",
                                              temperature="36.5")])
    old, recent = inspect(), inspect()
    Inspection.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=29))
    run_retention()
    person = InspectedPerson.objects.get(inspection=old)
    assert (person.name, person.id_number, person.id_hash, person.phone) == (PSEUDONYM, "", "", "")
    assert Inspection.objects.get(pk=old.pk).plate == "鄂B12345"
    assert InspectedPerson.objects.get(inspection=recent).id_number == "32061119500512001X"


# -- notifications and the audit log -------------------------------------------------------------------------

def test_notifications_are_deleted_after_the_period(personas, settings, django_capture_on_commit_callbacks):
    from core.models import Notification
    from core.notify import notify

    settings.SHOUHU_NOTIFICATION_RETENTION_DAYS = 90
    with django_capture_on_commit_callbacks(execute=True):
        notify([personas.xf_liaison], "新工单:张三 13912340001 反映口罩涨价")
        notify([personas.xf_liaison], "新工单:李四反映小区封闭")
    old, recent = Notification.objects.order_by("id")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    run_retention()
    assert list(Notification.objects.values_list("pk", flat=True)) == [recent.pk]


def test_audit_log_is_kept_for_its_period_and_never_less_than_six_months(db, settings):
    from core import audit

    audit.record(None, "test.old")
    audit.record(None, "test.half_year")
    audit.record(None, "test.recent")
    AuditLog.objects.filter(action="test.old").update(at=timezone.now() - timedelta(days=1096))
    AuditLog.objects.filter(action="test.half_year").update(at=timezone.now() - timedelta(days=170))
    settings.SHOUHU_AUDIT_RETENTION_DAYS = 1095
    run_retention()
    assert not AuditLog.objects.filter(action="test.old").exists()
    assert AuditLog.objects.filter(action="test.half_year").exists()
    settings.SHOUHU_AUDIT_RETENTION_DAYS = 30  # below the legal minimum: 180 days are kept anyway
    run_retention()
    assert AuditLog.objects.filter(action="test.half_year").exists()
    assert AuditLog.objects.filter(action="test.recent").exists()


# -- the emergency roster: residents, volunteers, donors ------------------------------------------------------

@pytest.fixture
def roster(org, personas, settings):
    """A resident, a volunteer and two donors registered 400 days ago, a response that ended 380 days ago."""
    from community import services
    from hotline.services.emergency import switch_emergency
    from supplies import services as supplies
    from supplies.models import Donation, Donor
    from volunteers.models import Volunteer
    from volunteers.services.signup import sign_up

    settings.SHOUHU_PERSON_RETENTION_DAYS = 365
    long_ago = timezone.now() - timedelta(days=400)
    switch_emergency(personas.supervisor, on=True, level="一级", note="新冠", now=long_ago)
    switch_emergency(personas.supervisor, on=False, now=timezone.now() - timedelta(days=380))
    home = _home(org, personas)
    resident = services.add_resident(personas.yh_worker, home, "王磊", "13700001111", "32061119500512001X")
    volunteer = sign_up(org.yonghe, name="赵茂源", phone="13700003333", id_number="32061119800101001X",
                        now=long_ago)
    person = supplies.find_or_create_donor(Donor.Kind.PERSON, "周大伟", phone="13700004444")
    company = supplies.find_or_create_donor(Donor.Kind.ORGANISATION, "江苏博恩医疗科技有限公司",
                                            contact_name="钱经理", phone="051383001234")
    keeper = make_user("keeper", org.district, "supply_keeper", "库管")
    gifts = [supplies.record_donation(keeper, donor, org.district, amount=Decimal("500.00"), now=long_ago)
             for donor in (person, company)]
    type(resident).objects.filter(pk=resident.pk).update(created_at=long_ago)
    Donor.objects.filter(pk__in=[person.pk, company.pk]).update(created_at=long_ago)
    return SimpleNamespace(resident=resident, volunteer=volunteer, person=person, company=company, gifts=gifts,
                           Volunteer=Volunteer, Donor=Donor, Donation=Donation)


def test_roster_is_pseudonymised_a_period_after_the_response_ended(roster):
    from core.retention import PSEUDONYM

    result = run_retention()
    resident = type(roster.resident).objects.get(pk=roster.resident.pk)
    assert (resident.name, resident.phone, resident.phone_hash, resident.id_number, resident.id_hash) == (
        PSEUDONYM, "", "", "", "")
    volunteer = roster.Volunteer.objects.get(pk=roster.volunteer.pk)
    assert (volunteer.name, volunteer.phone, volunteer.id_number) == (PSEUDONYM, "", "")
    assert volunteer.id_hash.startswith("erased:")
    person = roster.Donor.objects.get(pk=roster.person.pk)
    assert (person.name, person.phone) == (PSEUDONYM, "")
    company = roster.Donor.objects.get(pk=roster.company.pk)
    assert (company.name, company.contact_name, company.phone) == ("江苏博恩医疗科技有限公司", "", "")
    # the ledger still adds up: every donation is still there with its amount
    assert sorted(roster.Donation.objects.values_list("amount", flat=True)) == [Decimal("500.00")] * 2
    assert result["residents"] == 1 and result["volunteers"] == 1 and result["donors"] == 2
    record = AuditLog.objects.get(action="core.retention.residents")
    assert "王磊" not in str(record.detail) and "13700001111" not in str(record.detail)


def test_roster_is_kept_while_a_response_is_in_force_or_ended_recently(roster, personas):
    from hotline.services.emergency import switch_emergency

    switch_emergency(personas.supervisor, on=True, level="二级", note="再次启动")
    run_retention()
    assert type(roster.resident).objects.get(pk=roster.resident.pk).name == "王磊"
    switch_emergency(personas.supervisor, on=False)  # ended today: the period starts again
    run_retention()
    assert roster.Volunteer.objects.get(pk=roster.volunteer.pk).phone == "13700003333"
    assert roster.Donor.objects.get(pk=roster.person.pk).name == "周大伟"


def test_roster_people_active_within_the_period_are_kept(roster, org, personas):
    from community import services

    today = timezone.localdate()
    services.open_case(personas.yh_worker, roster.resident, "密接", today - timedelta(days=100),
                       today - timedelta(days=86))
    roster.Volunteer.objects.filter(pk=roster.volunteer.pk).update(decided_at=timezone.now() - timedelta(days=10))
    run_retention()
    assert type(roster.resident).objects.get(pk=roster.resident.pk).name == "王磊"
    assert roster.Volunteer.objects.get(pk=roster.volunteer.pk).name == "赵茂源"


# -- bounded per run ----------------------------------------------------------------------------------------

def test_each_rule_works_in_short_batches_capped_per_run_and_the_job_queues_a_follow_up(personas, settings):
    from core import retention
    from core.models import Notification

    settings.SHOUHU_NOTIFICATION_RETENTION_DAYS = 90
    Notification.objects.bulk_create([Notification(recipient=personas.xf_liaison, title=f"通知{i}") for i in range(7)])
    Notification.objects.update(created_at=timezone.now() - timedelta(days=91))
    rule = retention.purge_notifications(batch=2, limit=5)
    assert rule.done == 5 and rule.capped and Notification.objects.count() == 2
    assert AuditLog.objects.filter(action="core.retention.notifications").latest("id").detail["more"] is True

    settings.SHOUHU_RETENTION_BATCH, settings.SHOUHU_RETENTION_MAX_ROWS = 1, 1
    result = run_retention()
    assert result["notifications"] == 1 and result["more"] is True
    follow_up = Job.objects.get(task="core.retention", status=Job.Status.PENDING)
    assert follow_up.run_at > timezone.now()
    jobs.run_due(now=follow_up.run_at + timedelta(seconds=1))
    assert Notification.objects.count() == 0


def test_retention_runs_outside_one_long_transaction():
    """atomic=False: each batch commits on its own; an interrupted run leaves the rest for the next."""
    assert jobs.TASKS["core.retention"].atomic is False
