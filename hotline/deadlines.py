"""Deadlines (时限) on the Chinese working calendar, Asia/Shanghai.

Defaults (issue 3 §3): reply due 23:59:59 of the N-th working day after the day of receipt (consult 1,
help 3, complaint 5, report 5, suggestion 15, praise 5); acceptance due 23:59:59 of the next working day
after dispatch. Epidemic orders: reply due the same calendar day 23:59:59 if received before 20:00,
else 12:00 the next calendar day (holidays or not); acceptance due 1 hour after dispatch.
DeadlineRule rows (admin) override per type/category/urgency; the most specific active rule wins.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from core import workcal

REPLY_WORKDAYS = {"consult": 1, "help": 3, "complaint": 5, "report": 5, "suggestion": 15, "praise": 5}
ACCEPT_WORKDAYS = 1
EPIDEMIC_CUTOFF = time(20, 0)
EPIDEMIC_NEXT_DAY_DUE = time(12, 0)
EPIDEMIC_ACCEPT_HOURS = 1
YELLOW_AT = 0.75


@dataclass(frozen=True)
class Policy:
    epidemic: bool
    reply_workdays: int
    accept_workdays: int


_rules_cache = {"at": 0.0, "rules": None}
RULES_CACHE_SECONDS = 30


def active_rules():
    """The active rules, cached per process for a few seconds (read on every intake); a save in this
    process clears it at once (DeadlineRule.save), other processes see it within RULES_CACHE_SECONDS."""
    import time as _time

    from hotline.models import DeadlineRule

    now = _time.monotonic()
    if _rules_cache["rules"] is None or now - _rules_cache["at"] > RULES_CACHE_SECONDS:
        _rules_cache["rules"] = list(DeadlineRule.objects.filter(active=True))
        _rules_cache["at"] = now
    return _rules_cache["rules"]


def clear_rules_cache():
    _rules_cache["rules"] = None


def find_rule(order_type, category=None, urgency=""):
    rules = active_rules()
    candidates = [
        r for r in rules
        if r.order_type in ("", order_type)
        and (r.category_id is None or (category is not None and r.category_id in _category_chain(category)))
        and r.urgency in ("", urgency)
    ]
    return max(candidates, key=lambda r: r.specificity(), default=None)


def _category_chain(category):
    ids, current = [], category
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def ep_category_is_epidemic(category):
    """An EP-* category gets epidemic rules while 应急响应 is on (always, unless configured otherwise)."""
    if category is None or not category.is_epidemic_topic:
        return False
    if getattr(settings, "HOTLINE_EP_ALWAYS_EPIDEMIC", True):
        return True
    from hotline.services.emergency import current_emergency

    return current_emergency() is not None


def policy(order_type, epidemic=False, category=None, urgency=""):
    rule = find_rule(order_type, category, urgency)
    return Policy(
        epidemic=bool(epidemic or ep_category_is_epidemic(category) or (rule and rule.epidemic)),
        reply_workdays=(rule.reply_workdays if rule and rule.reply_workdays is not None
                        else REPLY_WORKDAYS.get(order_type, 5)),
        accept_workdays=(rule.accept_workdays if rule and rule.accept_workdays is not None else ACCEPT_WORKDAYS),
    )


def reply_due(start: datetime, pol: Policy) -> datetime:
    local = timezone.localtime(start)
    if pol.epidemic:
        if local.time() < EPIDEMIC_CUTOFF:
            return workcal.end_of_day(local.date())
        return timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), EPIDEMIC_NEXT_DAY_DUE))
    return workcal.end_of_day(workcal.nth_workday_after(local.date(), pol.reply_workdays))


def accept_due(dispatched: datetime, pol: Policy) -> datetime:
    if pol.epidemic:
        return dispatched + timedelta(hours=EPIDEMIC_ACCEPT_HOURS)
    return workcal.end_of_day(workcal.nth_workday_after(workcal.local_date(dispatched), pol.accept_workdays))


def for_order(order):
    return policy(order.order_type, order.epidemic, order.category, order.urgency)


def warning_level(start, due, now):
    """"" (fine), "yellow" (75% of the time used) or "red" (due passed)."""
    if start is None or due is None:
        return ""
    if now >= due:
        return "red"
    span = (due - start).total_seconds()
    if span <= 0 or (now - start).total_seconds() >= YELLOW_AT * span:
        return "yellow"
    return ""


def fraction_used(start, due, now):
    if start is None or due is None:
        return 0.0
    span = max((due - start).total_seconds(), 1)
    return max(0.0, (now - start).total_seconds() / span)
