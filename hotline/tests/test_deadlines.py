from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase

from core import jobs
from hotline import deadlines, services
from hotline.models import Category, DeadlineRule, EmergencyResponse, WorkOrder
from hotline.tests.conftest import at

pytestmark = pytest.mark.django_db


def due(order_type, received, epidemic=False, category=None, urgency=""):
    pol = deadlines.policy(order_type, epidemic, category, urgency)
    return deadlines.reply_due(at(received), pol), deadlines.accept_due(at(received), pol)


def sla(*args):
    out = StringIO()
    call_command("sla_deadline", *args, stdout=out)
    return out.getvalue().strip()


def test_command_prints_the_spring_festival_example():
    assert sla("--type", "complaint", "--received", "2020-01-22T10:00:00+08:00") == (
        "reply_due=2020-02-06T23:59:59+08:00 accept_due=2020-01-23T23:59:59+08:00")


def test_command_epidemic_before_cutoff():
    assert sla("--type", "help", "--received", "2020-02-07T19:59:00+08:00", "--epidemic") == (
        "reply_due=2020-02-07T23:59:59+08:00 accept_due=2020-02-07T20:59:00+08:00")


@pytest.mark.parametrize("order_type,received,reply", [
    ("consult", "2020-01-22 10:00", "2020-01-23 23:59:59"),
    ("consult", "2020-01-23 10:00", "2020-02-03 23:59:59"),  # holiday extended to 2 Feb
    ("help", "2020-01-17 10:00", "2020-01-21 23:59:59"),  # Sun 19 Jan is a make-up working day
    ("consult", "2020-01-18 10:00", "2020-01-19 23:59:59"),  # received Saturday, due on the make-up Sunday
    ("complaint", "2020-02-07 10:00", "2020-02-14 23:59:59"),  # over a weekend
    ("report", "2020-02-08 15:00", "2020-02-14 23:59:59"),  # received on a Saturday
    ("suggestion", "2020-02-03 09:00", "2020-02-24 23:59:59"),
    ("praise", "2020-02-03 09:00", "2020-02-10 23:59:59"),
])
def test_working_day_deadlines(order_type, received, reply):
    assert due(order_type, received)[0] == at(reply)


def test_acceptance_is_next_working_day():
    assert due("complaint", "2020-01-23 16:00")[1] == at("2020-02-03 23:59:59")
    assert due("complaint", "2020-02-07 16:00")[1] == at("2020-02-10 23:59:59")


@pytest.mark.parametrize("received,reply", [
    ("2020-01-25 08:00", "2020-01-25 23:59:59"),  # 初一: holidays do not matter
    ("2020-02-07 19:59:59", "2020-02-07 23:59:59"),
    ("2020-02-07 20:00", "2020-02-08 12:00"),
    ("2020-02-08 23:30", "2020-02-09 12:00"),
])
def test_epidemic_cutoff_at_20(received, reply):
    reply_due, accept_due = due("help", received, epidemic=True)
    assert reply_due == at(reply)
    assert accept_due == at(received) + __import__("datetime").timedelta(hours=1)


def test_ep_category_means_epidemic_rules():
    assert due("consult", "2020-02-07 10:00", category=Category.objects.get(code="EP-POLICY"))[0] == \
        at("2020-02-07 23:59:59")


def test_rule_overrides_by_category_and_urgency():
    env = Category.objects.get(code="ENV")
    DeadlineRule.objects.create(order_type="complaint", reply_workdays=3)
    DeadlineRule.objects.create(category=env, reply_workdays=10)
    DeadlineRule.objects.create(urgency="critical", epidemic=True)
    assert due("complaint", "2020-02-10 09:00")[0] == at("2020-02-13 23:59:59")
    assert due("complaint", "2020-02-10 09:00", category=env)[0] == at("2020-02-24 23:59:59")
    assert due("consult", "2020-02-10 09:00", urgency="critical")[0] == at("2020-02-10 23:59:59")


def test_dispatch_sets_acceptance_deadline(flow):
    order = flow.dispatched(when="2020-02-07 21:00", category=Category.objects.get(code="EP-PERSON"))
    assert order.accept_due == at("2020-02-07 22:00")
    assert order.reply_due == at("2020-02-08 12:00")


def test_late_accept_is_recorded(flow, personas):
    order = flow.dispatched(when="2020-02-07 10:00")
    order = services.accept(order, personas.xf_liaison, now=at("2020-02-11 09:00"))
    assert order.accepted_late


def test_warning_level_thresholds():
    start, end = at("2020-02-07 00:00"), at("2020-02-07 04:00")
    assert deadlines.warning_level(start, end, at("2020-02-07 02:59")) == ""
    assert deadlines.warning_level(start, end, at("2020-02-07 03:00")) == "yellow"
    assert deadlines.warning_level(start, end, at("2020-02-07 04:00")) == "red"


def test_worker_marks_yellow_then_red_and_notifies(flow, personas):
    order = flow.handling(when="2020-02-07 10:00", category=Category.objects.get(code="EP-PERSON"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.mark_warnings(now=at("2020-02-07 21:00")) == {"yellow": 1, "red": 0}
        assert services.mark_warnings(now=at("2020-02-07 21:30")) == {"yellow": 0, "red": 0}
        assert services.mark_warnings(now=at("2020-02-08 00:00")) == {"yellow": 0, "red": 1}
    order.refresh_from_db()
    assert order.warning == "red"
    assert personas.xf_liaison.notifications.filter(title__startswith="红牌").exists()
    assert personas.supervisor.notifications.filter(title__startswith="红牌").exists()


def test_warning_task_is_registered_and_runs():
    jobs.schedule_periodic()
    assert jobs.run_due() >= 1


def test_emergency_switch_is_audited_and_shows_a_banner(personas, rf):
    from core.models import AuditLog
    from hotline.nav import emergency_banner

    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.switch_emergency(personas.xf_liaison, on=True, level="一级")
    services.switch_emergency(personas.supervisor, on=True, level="一级", note="启动重大突发公共卫生事件一级响应")
    request = rf.get("/")
    request.user = personas.xf_liaison
    assert "一级" in emergency_banner(request)[0]["text"]
    services.switch_emergency(personas.supervisor, on=False)
    assert emergency_banner(request) == []
    assert EmergencyResponse.objects.get().ended_at is not None
    assert AuditLog.objects.filter(action__startswith="hotline.emergency").count() == 2


def test_ep_needs_emergency_when_configured(settings, personas, flow):
    settings.HOTLINE_EP_ALWAYS_EPIDEMIC = False
    ep = Category.objects.get(code="EP-POLICY")
    assert not flow.new(category=ep, order_type="consult").epidemic
    services.switch_emergency(personas.supervisor, on=True, level="一级")
    assert flow.new(category=ep, order_type="consult").epidemic
    assert WorkOrder.objects.filter(epidemic=True).count() == 1


def test_red_mark_is_cleared_when_the_unit_replies(flow, personas):
    order = flow.handling(when="2020-02-07 10:00", category=Category.objects.get(code="EP-PERSON"))
    services.mark_warnings(now=at("2020-02-08 00:00"))
    order.refresh_from_db()
    assert order.warning == "red"
    order = services.signoff(services.reply(order, personas.xf_handler, text="已处理"), personas.xf_head,
                             now=at("2020-02-08 09:00"))
    assert order.warning == "" and order.replied_late
