"""The work-order state machine as data: from-state → action → (to-state, permission).

A to-state of None means the move keeps the state (urge, supervise, sub-dispatch, extension …).
Who may act is the permission *for a unit*: the platform that received the order, its lead unit,
or (for replies) the lead unit or the community it was sub-dispatched to. Buttons in the UI and the
API's action list come from `available_actions`, so the screens and the rules cannot disagree.
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from accounts import access
from hotline.models import State

S = State

TRANSITIONS: dict[str, dict[str, tuple[str | None, str]]] = {
    S.PENDING_DISPATCH: {
        "answer": (S.PENDING_CALLBACK, "hotline.answer"),
        "dispatch": (S.PENDING_ACCEPT, "hotline.dispatch"),
        "merge": (S.MERGED, "hotline.merge"),
        "cancel": (S.CANCELLED, "hotline.cancel"),
    },
    S.PENDING_ACCEPT: {
        "accept": (S.HANDLING, "hotline.accept"),
        "return": (S.PENDING_DISPATCH, "hotline.return"),
        "co_opinion": (None, "hotline.reply"),
        "urge": (None, "hotline.urge"),
        "supervise": (None, "hotline.supervise"),
        "merge": (S.MERGED, "hotline.merge"),
        "cancel": (S.CANCELLED, "hotline.cancel"),
    },
    S.HANDLING: {
        "subdispatch": (None, "hotline.subdispatch"),
        "request_extension": (None, "hotline.request_extension"),
        "decide_extension": (None, "hotline.decide_extension"),
        "reply": (S.PENDING_SIGNOFF, "hotline.reply"),
        "co_opinion": (None, "hotline.reply"),
        "urge": (None, "hotline.urge"),
        "supervise": (None, "hotline.supervise"),
        "merge": (S.MERGED, "hotline.merge"),
        "cancel": (S.CANCELLED, "hotline.cancel"),
    },
    S.PENDING_SIGNOFF: {
        "signoff": (S.PENDING_REVIEW, "hotline.signoff"),
        "send_back": (S.HANDLING, "hotline.signoff"),
        "co_opinion": (None, "hotline.reply"),
        "urge": (None, "hotline.urge"),
        "supervise": (None, "hotline.supervise"),
    },
    S.PENDING_REVIEW: {
        "approve": (S.PENDING_CALLBACK, "hotline.review"),
        "reject": (S.HANDLING, "hotline.review"),
    },
    S.PENDING_CALLBACK: {
        "callback": (S.CLOSED, "hotline.callback"),
        "redo": (S.HANDLING, "hotline.callback"),
    },
    S.MERGED: {
        # The system moves a merged order on when the order it joined is answered.
        "merged_answer": (S.PENDING_CALLBACK, "hotline.review"),
    },
    S.CLOSED: {},
    S.CANCELLED: {},
}


@dataclass(frozen=True)
class Action:
    label: str
    scope: str  # platform | lead | handler | co (the 协办 units)
    tone: str = ""  # button style
    form: bool = True  # needs a form (note, unit …) rather than a one-click button


# Labels in the "button" context: in English a button says what to do ("Supervise"), while the same Chinese word
# in an order's history says what was done ("Supervised").
ACTIONS: dict[str, Action] = {
    "answer": Action(pgettext_lazy("button", "直接答复"), "platform", "ok"),
    "dispatch": Action(pgettext_lazy("button", "派单"), "platform", "ok"),
    "accept": Action(pgettext_lazy("button", "签收"), "lead", "ok", form=False),
    "return": Action(pgettext_lazy("button", "退单"), "lead", "danger"),
    "subdispatch": Action(pgettext_lazy("button", "下派社区"), "lead", "secondary"),
    "request_extension": Action(pgettext_lazy("button", "申请延期"), "lead", "secondary"),
    "decide_extension": Action(pgettext_lazy("button", "审批延期"), "platform", "secondary"),
    "reply": Action(pgettext_lazy("button", "答复"), "handler", "ok"),
    "co_opinion": Action(pgettext_lazy("button", "协办意见"), "co", "secondary"),
    "signoff": Action(pgettext_lazy("button", "签发"), "lead", "ok"),
    "send_back": Action(pgettext_lazy("button", "退回修改"), "lead", "danger"),
    "approve": Action(pgettext_lazy("button", "审核通过"), "platform", "ok"),
    "reject": Action(pgettext_lazy("button", "驳回"), "platform", "danger"),
    "callback": Action(pgettext_lazy("button", "回访"), "platform", "ok"),
    "redo": Action(pgettext_lazy("button", "重办"), "platform", "danger"),
    "urge": Action(pgettext_lazy("button", "催办"), "platform", "secondary"),
    "supervise": Action(pgettext_lazy("button", "督办"), "platform", "secondary"),
    "merge": Action(pgettext_lazy("button", "并单"), "platform", "secondary"),
    "cancel": Action(pgettext_lazy("button", "撤销"), "platform", "danger"),
    "merged_answer": Action(pgettext_lazy("button", "并单答复"), "platform", "", form=False),
}

# Actions people take (merged_answer is done by the system).
USER_ACTIONS = [a for a in ACTIONS if a != "merged_answer"]


class InvalidTransition(Exception):
    """The order is not in a state that allows this move (often: someone else acted first)."""


def target_state(state, action):
    try:
        return TRANSITIONS[state][action][0]
    except KeyError:
        raise InvalidTransition(_state_message(state, action)) from None


def _state_message(state, action):
    label = ACTIONS[action].label if action in ACTIONS else action
    return f"工单当前状态为“{State(state).label}”,不能{label};可能已有他人处理,请刷新页面后查看。"


def actor_units(order, scope):
    if scope == "platform":
        return [order.platform]
    if scope == "lead":
        return [order.lead_unit] if order.lead_unit_id else []
    if scope == "co":
        return list(order.co_units.all())
    return [u for u in (order.lead_unit, order.community) if u is not None]


def permitted(user, order, action):
    """Does the user hold the action's permission for the unit that must act? (state not checked)"""
    perm = _perm(order.state, action) or _any_perm(action)
    return any(access.has_perm(user, perm, unit) for unit in actor_units(order, ACTIONS[action].scope))


def _perm(state, action):
    entry = TRANSITIONS.get(state, {}).get(action)
    return entry[1] if entry else None


def _any_perm(action):
    for moves in TRANSITIONS.values():
        if action in moves:
            return moves[action][1]
    raise KeyError(action)


def guard(order, action):
    """Extra conditions beyond the state, as a Chinese message, or "" when fine."""
    if action == "decide_extension" and not order.extension_until:
        return "没有待审批的延期申请。"
    if action == "request_extension" and order.extension_until:
        return "已有延期申请待审批。"
    if action == "subdispatch" and order.community_id:
        return ""
    if action == "redo" and not order.lead_unit_id:
        return "直接答复的工单没有承办单位,不能重办。"
    if action == "supervise" and order.supervised:
        return "该工单已在督办中。"
    return ""


def available_actions(user, order):
    """The moves this user may make on this order now: what the buttons and the API offer."""
    result = []
    for action in TRANSITIONS.get(order.state, {}):
        if action == "merged_answer" or guard(order, action):
            continue
        if permitted(user, order, action):
            result.append(action)
    return result
