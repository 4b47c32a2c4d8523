import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hotline import services
from hotline.models import Category, OrderEvent, State, WorkOrder
from hotline.tests.conftest import at
from hotline.workflow import InvalidTransition, available_actions

pytestmark = pytest.mark.django_db


def test_numbers_are_per_day_sequences(flow):
    a = flow.new("2020-02-07 09:00")
    b = flow.new("2020-02-07 23:30")
    c = flow.new("2020-02-08 00:10")
    assert (a.number, b.number, c.number) == ("GZ20200207-0001", "GZ20200207-0002", "GZ20200208-0001")


def test_caller_phone_is_encrypted_and_searchable_by_blind_index(flow):
    from django.db import connection

    from core.fields import hash_value

    order = flow.new(caller_phone="138 1234 5678")
    with connection.cursor() as cur:
        cur.execute("select caller_phone from hotline_workorder where id=%s", [order.pk])
        assert "13812345678" not in cur.fetchone()[0]
    assert WorkOrder.objects.get(caller_phone_hash=hash_value("phone", "13812345678")) == order


def test_full_lifecycle_to_closed_with_timeline(flow, personas, org):
    order = flow.callback_pending()
    assert order.signed_by_name == "陈主任" and order.signed_unit == org.xingfu and order.signed_at
    order = services.callback(order, personas.operator, result="satisfied")
    assert order.state == State.CLOSED
    actions = list(order.events.values_list("action", flat=True))
    assert actions == ["intake", "dispatch", "accept", "reply", "signoff", "approve", "callback"]


def test_return_and_redispatch(flow, personas, org):
    order = flow.dispatched()
    with pytest.raises(ValidationError):
        services.return_order(order, personas.xf_liaison, reason="  ")
    order = services.return_order(order, personas.xf_liaison, reason="不属于本街道辖区")
    assert order.state == State.PENDING_DISPATCH and order.lead_unit is None and order.return_count == 1
    order = services.dispatch(order, personas.dispatcher, lead_unit=org.yongxing)
    assert order.lead_path == org.yongxing.path


def test_subdispatch_lets_the_community_worker_reply(flow, personas, org):
    order = flow.handling()
    assert "reply" not in available_actions(personas.hq_worker, order)
    with pytest.raises(ValidationError):
        services.subdispatch(order, personas.xf_liaison, community=org.yonghe)  # 永和 is in 永兴街道
    order = services.subdispatch(order, personas.xf_liaison, community=org.huaqiao)
    assert "reply" in available_actions(personas.hq_worker, order)
    order = services.reply(order, personas.hq_worker, text="已送达体温计")
    assert order.state == State.PENDING_SIGNOFF


def test_head_sends_back_then_signs(flow, personas):
    order = flow.signoff_pending()
    order = services.send_back(order, personas.xf_head, note="请补充核实时间")
    assert order.state == State.HANDLING
    order = services.reply(order, personas.xf_handler, text="2月7日11时已核实")
    order = services.signoff(order, personas.xf_head)
    assert order.state == State.PENDING_REVIEW


def test_review_reject_returns_to_handling(flow, personas):
    order = services.reject(flow.review_pending(), personas.dispatcher, note="答复未说明处理结果")
    assert order.state == State.HANDLING and not order.signed_by_name


def test_unsatisfied_by_unit_redo_gets_fresh_deadline(flow, personas):
    order = flow.callback_pending()
    order = services.redo(order, personas.operator, note="来电人称未见人上门", now=at("2020-02-10 09:00"))
    assert order.state == State.HANDLING and order.redo_count == 1
    assert order.reply_due == at("2020-02-17 23:59:59")  # report: 5 working days from the redo


def test_direct_answer_links_the_knowledge_entry(flow, personas):
    from hotline.models import KnowledgeEntry

    entry = KnowledgeEntry.objects.create(question="返岗人员需要隔离吗", answer="从重点地区返回须居家隔离14天")
    order = services.answer(flow.new(), personas.operator, text=entry.answer, knowledge=entry)
    assert order.state == State.PENDING_CALLBACK and order.knowledge == entry and order.answered_directly
    order = services.callback(order, personas.operator, result="basic")
    assert order.state == State.CLOSED


def test_extension_request_and_approval_moves_deadline(flow, personas):
    order = flow.handling()
    until = at("2020-02-20 23:59:59")
    order = services.request_extension(order, personas.xf_liaison, until=until, reason="需协调市场监管局")
    with pytest.raises(InvalidTransition):
        services.request_extension(order, personas.xf_liaison, until=until, reason="again")
    order = services.decide_extension(order, personas.supervisor, approve=True)
    assert order.reply_due == until and order.extension_count == 1 and order.extension_until is None


def test_extension_refused_keeps_deadline(flow, personas):
    order = flow.handling()
    due = order.reply_due
    order = services.request_extension(order, personas.xf_liaison, until=at("2020-02-20 23:59:59"), reason="x")
    order = services.decide_extension(order, personas.dispatcher, approve=False, note="不予延期")
    assert order.reply_due == due


def test_merged_caller_keeps_number_and_gets_the_answer(flow, personas):
    parent = flow.dispatched()
    child = services.merge(flow.new(caller_phone="13900000000"), personas.dispatcher, into=parent)
    assert child.state == State.MERGED and child.merged_into == parent
    parent = services.accept(parent, personas.xf_liaison)
    parent = services.reply(parent, personas.xf_handler, text="已处理")
    parent = services.approve(services.signoff(parent, personas.xf_head), personas.operator)
    child.refresh_from_db()
    assert child.state == State.PENDING_CALLBACK and child.reply_text == "已处理"
    assert child.number != parent.number


def test_cancel_needs_reason(flow, personas):
    order = flow.new()
    with pytest.raises(ValidationError):
        services.cancel(order, personas.dispatcher, reason="")
    assert services.cancel(order, personas.dispatcher, reason="重复来电").state == State.CANCELLED


def test_urge_and_supervise_notify_the_unit(flow, personas):
    from django.test import TestCase

    order = flow.dispatched()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.urge(order, personas.supervisor, note="请尽快签收")
        services.supervise(order, personas.supervisor, note="列入督办")
    assert personas.xf_liaison.notifications.filter(title__startswith="催办").exists()
    with pytest.raises(InvalidTransition):
        services.supervise(order, personas.supervisor)


def test_wrong_state_is_a_clear_chinese_message(flow, personas):
    order = flow.handling()
    with pytest.raises(InvalidTransition, match="办理中"):
        services.accept(order, personas.xf_liaison)


def test_wrong_role_is_refused(flow, personas):
    order = flow.dispatched()
    with pytest.raises(PermissionDenied):
        services.accept(order, personas.outsider)
    with pytest.raises(PermissionDenied):
        services.accept(order, personas.xf_head)


def test_timeline_rows_are_append_only(flow):
    event = flow.new().events.first()
    with pytest.raises(ValueError):
        event.save()
    assert OrderEvent.objects.count() == 1


def test_jurisdiction_scoping(flow, personas, org):
    from accounts import access

    order = flow.dispatched()
    qs = WorkOrder.objects.all()
    assert order in access.scope(personas.xf_liaison, qs)
    assert order in access.scope(personas.operator, qs)
    assert order not in access.scope(personas.outsider, qs)
    assert order not in access.scope(personas.hq_worker, qs)
    order = services.subdispatch(services.accept(order, personas.xf_liaison), personas.xf_liaison,
                                 community=org.huaqiao)
    assert order in access.scope(personas.hq_worker, qs)
    other = services.dispatch(flow.new(), personas.dispatcher, lead_unit=org.market, co_units=[org.chenqiao])
    assert other in access.scope(personas.outsider, qs)
    assert other not in access.scope(personas.xf_liaison, qs)


def test_ep_category_gets_epidemic_flag(flow):
    order = flow.new(category=Category.objects.get(code="EP-PRICE"), order_type="report")
    assert order.epidemic and order.reply_due == at("2020-02-07 23:59:59")
