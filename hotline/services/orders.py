"""Every write to a work order: one function per move of hotline/workflow.py.

Each move runs in one transaction: lock the order row (select_for_update; on SQLite the IMMEDIATE
transaction takes the write lock), check the actor's right (PermissionDenied → 403) and the state
(InvalidTransition: someone else moved it first), change it, append the timeline row and the audit
row, and notify whoever must act next once the transaction commits.
"""

import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from core import audit, workcal
from core.fields import check_person_value
from core.notify import notify, notify_unit
from hotline import deadlines
from hotline.models import (
    CallbackResult, Category, DailyCounter, OrderEvent, OrderType, State, Urgency, Channel, WorkOrder,
)
from hotline.workflow import ACTIONS, TRANSITIONS, InvalidTransition, guard, permitted, target_state
from places.models import OrgUnit


def order_url(order):
    return reverse("hotline:order", args=[order.pk])


def _label(user):
    return (user.get_full_name() or user.first_name or user.get_username()) if user else "系统"


def next_number(received):
    """GZYYYYMMDD-NNNN: the day's counter row is locked, so two intakes never share a number."""
    day = workcal.local_date(received)
    counter = DailyCounter.objects.select_for_update().filter(day=day).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = DailyCounter.objects.create(day=day, last=1)
        except IntegrityError:  # the day's first two intakes raced: lock the row the other one made
            counter = DailyCounter.objects.select_for_update().get(day=day)
        else:
            return _format_number(day, counter.last)
    counter.last += 1
    counter.save(update_fields=["last"])
    return _format_number(day, counter.last)


def _format_number(day, sequence):
    return f"{settings.DISTRICT_PREFIX}{day:%Y%m%d}-{sequence:04d}"


def _event(order, user, action, from_state, to_state, note="", data=None, now=None, unit=None):
    OrderEvent.objects.create(
        order=order, at=now or timezone.now(), actor=user if getattr(user, "pk", None) else None,
        actor_label=_label(user), action=action, from_state=from_state or "", to_state=to_state or "",
        note=note or "", data=data or {}, unit=unit,
    )
    audit.record(user, f"hotline.{action}", obj=order, unit=order.lead_unit or order.platform,
                 detail={"from": from_state, "to": to_state})


def _platform_for(user):
    units = access.units(user, "hotline.intake")
    if units:
        return units[0]
    if access.is_unrestricted(user):
        return OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("path").first()
    raise PermissionDenied("您的角色无权受理工单。")


def _required(value, message):
    if not (value or "").strip():
        raise ValidationError(message)
    return value.strip()


@transaction.atomic
def intake(user, *, content, order_type, category, caller_name="", caller_phone="", anonymous=False, address="",
           channel=Channel.PHONE, epidemic=False, urgency=Urgency.NORMAL, major=False, now=None, external_id="",
           triage_suggestion=""):
    """受理: a new order in 待派单 with its reply deadline counted from receipt.
    triage_suggestion: the suggestion JSON the intake page showed; what was kept or corrected is recorded."""
    now = now or timezone.now()
    platform = _platform_for(user)
    access.require_perm(user, "hotline.intake", platform)
    content = _required(content, "请填写诉求内容。")
    if order_type not in OrderType.values:
        raise ValidationError("诉求类型不正确。")
    if channel not in Channel.values:
        raise ValidationError("来源渠道不正确。")
    if urgency not in Urgency.values:
        raise ValidationError("紧急程度不正确。")
    if not isinstance(category, Category):
        category = Category.objects.filter(code=category, active=True).first()
        if category is None:
            raise ValidationError("分类不存在。")
    caller_phone = check_person_value("phone", caller_phone) if caller_phone else ""
    epidemic = bool(epidemic or deadlines.ep_category_is_epidemic(category))
    order = WorkOrder(
        number=next_number(now), channel=channel, caller_name=(caller_name or "").strip()[:50],
        caller_phone=caller_phone, anonymous=anonymous, address=(address or "").strip()[:300], content=content,
        order_type=order_type, category=category, epidemic=epidemic, urgency=urgency, major=major,
        platform=platform, received_at=now, deadline_start=now, created_by=user, external_id=external_id,
    )
    order.reply_due = deadlines.reply_due(now, deadlines.for_order(order))
    # Where the address lies, read once here: the duplicate search keys on it before anyone dispatches.
    from hotline.assist import routed_paths

    order.routed_street_path, order.routed_community_path = routed_paths(order.address)
    order.denormalise()
    order.save()
    _event(order, user, "intake", "", order.state, now=now, unit=platform)
    if triage_suggestion:
        from hotline.services.assist import record_intake_feedback

        record_intake_feedback(user, order, triage_suggestion)  # never raises
    # Ordinary orders wait in the dispatch queue (a tile on the dispatcher's home page); only urgent and
    # major ones ping the dispatchers, so a surge of hundreds an hour does not bury them in messages.
    if major or urgency != Urgency.NORMAL:
        notify_unit(platform, "hotline.dispatch", f"紧急工单待派单 {order.number}", content[:80], order_url(order),
                    level="danger")
    if major:
        notify_unit(platform, "hotline.supervise", f"重大事项 {order.number}", content[:80], order_url(order),
                    level="danger")
    return order


def move(action):
    """Wrap a move: lock, check right and state, run the body, set the state, save, append the timeline."""

    def decorator(body):
        @functools.wraps(body)
        def wrapper(order, user, *args, now=None, **kwargs):
            now = now or timezone.now()
            with transaction.atomic():
                order = _locked(order)
                if not permitted(user, order, action):
                    raise PermissionDenied(f"您无权对该工单执行“{ACTIONS[action].label}”。")
                to_state = target_state(order.state, action)
                message = guard(order, action)
                if message:
                    raise InvalidTransition(message)
                from_state, unit_before = order.state, order.lead_unit
                note, data = body(order, user, *args, now=now, **kwargs) or ("", {})
                if to_state:
                    order.state = to_state
                order.denormalise()
                order.save()
                # The timeline row names the handling unit concerned (KPIs count returns, redos … by it).
                unit = order.lead_unit or unit_before or order.platform
                _event(order, user, action, from_state, order.state, note, data, now=now, unit=unit)
            return order

        wrapper.action = action
        return wrapper

    return decorator


def _locked(order):
    pk = getattr(order, "pk", order)
    qs = WorkOrder.objects.select_related("platform", "lead_unit", "community", "category")
    return qs.select_for_update(of=("self",)).get(pk=pk)


def _unit_in_platform(order, unit, message):
    if not isinstance(unit, OrgUnit) or not unit.path.startswith(order.platform.path) or unit == order.platform:
        raise ValidationError(message)
    return unit


@move("answer")
def answer(order, user, *, text, knowledge=None, now=None):
    order.reply_text = _required(text, "请填写答复内容。")
    order.knowledge = knowledge
    order.answered_directly = True
    order.reply_by = user
    order.replied_at = now
    order.signed_by_name, order.signed_at, order.signed_unit = _label(user), now, order.platform
    notify_unit(order.platform, "hotline.callback", f"待回访 {order.number}", url=order_url(order))
    return "", {"knowledge": knowledge.pk if knowledge else None}


@move("dispatch")
def dispatch(order, user, *, lead_unit, co_units=(), note="", now=None):
    _unit_in_platform(order, lead_unit, "请选择区内的主办单位。")
    co_units = [u for u in co_units if u != lead_unit]
    for unit in co_units:
        _unit_in_platform(order, unit, "协办单位须为区内单位。")
    order.lead_unit, order.community = lead_unit, None
    order.dispatched_at, order.accepted_at = now, None
    order.accept_due = deadlines.accept_due(now, deadlines.for_order(order))
    order.save()
    order.co_units.set(co_units)
    url = order_url(order)
    level = "danger" if order.epidemic else "info"
    notify_unit(lead_unit, "hotline.accept", f"新派工单待签收 {order.number}", order.content[:80], url, level)
    for unit in co_units:
        notify_unit(unit, "hotline.view", f"协办工单 {order.number}", order.content[:80], url)
    return note, {"lead_unit": lead_unit.name, "co_units": [u.name for u in co_units]}


@move("accept")
def accept(order, user, *, note="", now=None):
    order.accepted_at = now
    order.accepted_late = bool(order.accept_due and now > order.accept_due)
    return note, {}


@move("return")
def return_order(order, user, *, reason, now=None):
    reason = _required(reason, "退单须填写理由。")
    unit = order.lead_unit
    order.return_count += 1
    order.lead_unit, order.community, order.accept_due, order.dispatched_at = None, None, None, None
    order.co_units.clear()
    notify_unit(order.platform, "hotline.dispatch", f"工单被退回待改派 {order.number}", f"{unit}:{reason}",
                order_url(order), "warning")
    return reason, {"unit": unit.name}


@move("subdispatch")
def subdispatch(order, user, *, community, note="", now=None):
    if not isinstance(community, OrgUnit) or not community.path.startswith(order.lead_unit.path) \
            or community == order.lead_unit:
        raise ValidationError("只能下派给本单位辖区内的社区。")
    order.community = community
    notify_unit(community, "hotline.reply", f"街道下派工单 {order.number}", order.content[:80], order_url(order),
                "danger" if order.epidemic else "info")
    return note, {"community": community.name}


@move("request_extension")
def request_extension(order, user, *, until, reason, now=None):
    reason = _required(reason, "申请延期须填写理由。")
    if until is None or (order.reply_due and until <= order.reply_due):
        raise ValidationError("延期后的时限须晚于当前办结时限。")
    order.extension_until, order.extension_reason = until, reason
    notify_unit(order.platform, "hotline.decide_extension", f"延期申请待审批 {order.number}", reason,
                order_url(order))
    return reason, {"until": until.isoformat()}


@move("decide_extension")
def decide_extension(order, user, *, approve, note="", now=None):
    until = order.extension_until
    if approve:
        order.reply_due, order.extension_count, order.warning = until, order.extension_count + 1, ""
    order.extension_until, order.extension_reason = None, ""
    verdict = "批准" if approve else "不批准"
    notify_unit(order.lead_unit, "hotline.reply", f"延期申请{verdict} {order.number}", note, order_url(order))
    # The caller is told of a new deadline by the callback desk.
    if approve:
        notify_unit(order.platform, "hotline.callback", f"请告知来电人延期 {order.number}", note, order_url(order))
    return note, {"approved": bool(approve), "until": until.isoformat() if until else None}


@move("reply")
def reply(order, user, *, text, now=None):
    order.reply_text = _required(text, "请填写答复内容。")
    order.reply_by = user
    notify_unit(order.lead_unit, "hotline.signoff", f"答复待签发 {order.number}", order.reply_text[:80],
                order_url(order))
    return "", {}


@move("send_back")
def send_back(order, user, *, note, now=None):
    note = _required(note, "退回修改须填写意见。")
    notify([order.reply_by], f"答复被退回修改 {order.number}", note, order_url(order), "warning")
    return note, {}


@move("signoff")
def signoff(order, user, *, text=None, now=None):
    if text:
        order.reply_text = text.strip()
    order.signed_by_name, order.signed_at, order.signed_unit = _label(user), now, order.lead_unit
    order.replied_at = now
    order.replied_late = bool(order.reply_due and now > order.reply_due)
    notify_unit(order.platform, "hotline.review", f"答复待审核 {order.number}", order.reply_text[:80],
                order_url(order))
    return "", {"head": order.signed_by_name, "unit": order.lead_unit.name}


@move("approve")
def approve(order, user, *, note="", now=None):
    for child in order.merged_orders.filter(state=State.MERGED):
        _merged_answer(child, order, user, now)
    notify_unit(order.platform, "hotline.callback", f"待回访 {order.number}", url=order_url(order))
    return note, {}


def _merged_answer(child, parent, user, now):
    """并单: each caller keeps their number and gets the answer of the order they joined."""
    child.reply_text, child.reply_by = parent.reply_text, parent.reply_by
    child.signed_by_name, child.signed_at, child.signed_unit = parent.signed_by_name, parent.signed_at, \
        parent.signed_unit
    child.replied_at, child.state = now, target_state(child.state, "merged_answer")
    child.denormalise()
    child.save()
    _event(child, user, "merged_answer", State.MERGED, child.state, f"随 {parent.number} 答复", now=now)


@move("reject")
def reject(order, user, *, note, now=None):
    note = _required(note, "驳回须填写理由。")
    order.signed_by_name, order.signed_at, order.signed_unit, order.replied_at = "", None, None, None
    order.replied_late = False
    notify_unit(order.lead_unit, "hotline.reply", f"答复被平台驳回 {order.number}", note, order_url(order),
                "warning")
    return note, {}


@move("callback")
def callback(order, user, *, result, note="", now=None):
    if result not in CallbackResult.values:
        raise ValidationError("请选择回访结果。")
    order.callback_result, order.callback_note, order.closed_at = result, (note or "")[:300], now
    return note, {"result": result}


@move("redo")
def redo(order, user, *, note, now=None):
    """重办: the caller was unsatisfied because of the unit; it works again against a fresh deadline."""
    note = _required(note, "重办须说明不满意的原因。")
    order.callback_result, order.callback_note = CallbackResult.UNSATISFIED, note[:300]
    order.redo_count += 1
    order.deadline_start, order.warning = now, ""
    order.reply_due = deadlines.reply_due(now, deadlines.for_order(order))
    order.reply_text, order.reply_by, order.replied_at, order.replied_late = "", None, None, False
    order.signed_by_name, order.signed_at, order.signed_unit = "", None, None
    notify_unit(order.lead_unit, "hotline.reply", f"工单重办 {order.number}", note, order_url(order), "danger")
    return note, {"reply_due": order.reply_due.isoformat()}


@move("co_opinion")
def co_opinion(order, user, *, note, now=None):
    """协办意见: a co-unit gives the lead unit its part (facts found, measures taken) while the lead handles the
    order; the lead unit is told and the opinion stays on the timeline for the reply. No state changes."""
    note = _required(note, "请填写协办意见。")[:1000]
    units = [u.name for u in order.co_units.all() if access.has_perm(user, "hotline.reply", u)]
    notify_unit(order.lead_unit, "hotline.reply", f"协办意见 {order.number}", f"{'、'.join(units)}:{note[:80]}",
                order_url(order))
    return note, {"co_units": units}


@move("urge")
def urge(order, user, *, note="", now=None):
    order.urge_count += 1
    notify_unit(order.lead_unit, "hotline.view", f"催办 {order.number}", note, order_url(order), "warning")
    return note, {}


@move("supervise")
def supervise(order, user, *, note="", now=None):
    order.supervised = True
    notify_unit(order.lead_unit, "hotline.signoff", f"督办 {order.number}", note, order_url(order), "danger")
    notify_unit(order.lead_unit, "hotline.accept", f"督办 {order.number}", note, order_url(order), "danger")
    return note, {}


@move("merge")
def merge(order, user, *, into, note="", now=None):
    if into is None or into.pk == order.pk:
        raise ValidationError("请选择要并入的另一张工单。")
    if into.state in (State.MERGED, State.CANCELLED, State.CLOSED) or into.platform_id != order.platform_id:
        raise ValidationError(f"工单 {into.number} 已{into.get_state_display()},不能并入。")
    order.merged_into = into
    order.lead_unit, order.community = None, None
    order.co_units.clear()
    OrderEvent.objects.create(order=into, at=now, actor=user, actor_label=_label(user), action="merged_in",
                              note=f"{order.number} 并入本单", data={"child": order.number})
    return note, {"into": into.number}


@move("cancel")
def cancel(order, user, *, reason, now=None):
    order.cancel_reason = _required(reason, "撤销须填写理由。")[:300]
    order.closed_at = now
    return reason, {}


SERVICES = {fn.action: fn for fn in (
    answer, dispatch, accept, return_order, subdispatch, request_extension, decide_extension, reply, send_back,
    signoff, approve, reject, callback, redo, urge, supervise, merge, cancel, co_opinion,
)}
assert set(SERVICES) == {a for moves in TRANSITIONS.values() for a in moves} - {"merged_answer"}
