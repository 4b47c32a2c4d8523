"""Hotline KPIs as selectors (DESIGN.md definitions), for the reports app and the screens.

Every function takes the same keyword filters and returns a `Rate` (numerator, denominator, value in
0..1 or None when there is nothing to count) — except `avg_handling_hours`, which returns hours or None:

    unit      OrgUnit | None   the handling (lead) unit and its subtree (a street includes its communities)
    street    OrgUnit | None   the street/zone of the lead unit (denormalised street_path)
    category  Category | None  the category and its children
    start,end datetime | date | None   the period [start, end) (dates: local days, end exclusive)
    user      User | None      restrict to the user's jurisdiction (accounts.access.scope)

Definitions (shown on every report, see DEFINITIONS):
  及时签收率 timely_accept_rate  = orders accepted by their acceptance deadline / orders dispatched in the period
  按时办结率 on_time_reply_rate   = orders replied (signed off) by their deadline / orders whose deadline fell in the
                                   period or that were replied in it
  回访满意率 satisfaction_rate    = (满意 + 基本满意) / callbacks with an answer (联系不上 excluded), closed in the period
  直接答复率 direct_answer_rate   = orders answered directly from the knowledge base / orders received in the period
  退单率     return_rate          = returns (退单) / dispatches, both counted as timeline moves in the period
  重办率     redo_rate            = redos (重办) / callbacks made (回访 + 重办) in the period
  平均办理时长 avg_handling_hours = mean hours from receipt to reply for orders replied in the period
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Avg, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from accounts import access
from hotline.models import CallbackResult, OrderEvent, WorkOrder

DEFINITIONS = {
    "timely_accept_rate": "及时签收率 = 按时签收的工单数 / 派单数",
    "on_time_reply_rate": "按时办结率 = 按时答复的工单数 / (办结时限在期内或期内答复的工单数)",
    "satisfaction_rate": "回访满意率 = (满意 + 基本满意) / 有效回访数(不含联系不上)",
    "direct_answer_rate": "直接答复率 = 直接答复的工单数 / 受理工单数",
    "return_rate": "退单率 = 退单次数 / 派单次数",
    "redo_rate": "重办率 = 重办次数 / 回访次数",
    "avg_handling_hours": "平均办理时长 = 期内答复工单从受理到答复的平均小时数",
}


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self):
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self):
        return None if self.value is None else round(self.value * 100, 1)


def _moment(value, end=False):
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    raise TypeError(value)


def _period(field, start, end):
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": _moment(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": _moment(end)})
    return q


def orders(*, unit=None, street=None, category=None, user=None, **_period_args):
    qs = WorkOrder.objects.all()
    if user is not None:
        qs = access.scope(user, qs)
    if unit is not None:
        qs = qs.filter(lead_path__startswith=unit.path)
    if street is not None:
        qs = qs.filter(street_path=street.path)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    return qs


def _events(action, start, end, unit=None, street=None, **filters):
    """Timeline moves, by the unit they concern (a returned order no longer has that unit as lead)."""
    qs = OrderEvent.objects.filter(action=action).filter(_period("at", start, end))
    if any(v is not None for v in filters.values()):
        qs = qs.filter(order_id__in=orders(**filters).values("id"))
    for scope_unit in (unit, street):
        if scope_unit is not None:
            qs = qs.filter(unit__path__startswith=scope_unit.path)
    return qs


def timely_accept_rate(*, start=None, end=None, **filters):
    base = orders(**filters).filter(_period("dispatched_at", start, end), dispatched_at__isnull=False)
    on_time = base.filter(accepted_at__isnull=False, accepted_late=False).count()
    return Rate(on_time, base.count())


def on_time_reply_rate(*, start=None, end=None, **filters):
    base = orders(**filters).filter(lead_unit__isnull=False).filter(
        (_period("reply_due", start, end) & Q(reply_due__isnull=False))
        | (_period("replied_at", start, end) & Q(replied_at__isnull=False)))
    on_time = base.filter(replied_at__isnull=False, replied_late=False).count()
    return Rate(on_time, base.count())


def satisfaction_rate(*, start=None, end=None, **filters):
    answered = [CallbackResult.SATISFIED, CallbackResult.BASIC, CallbackResult.UNSATISFIED]
    base = orders(**filters).filter(_period("closed_at", start, end), callback_result__in=answered,
                                    closed_at__isnull=False)
    good = base.filter(callback_result__in=[CallbackResult.SATISFIED, CallbackResult.BASIC]).count()
    return Rate(good, base.count())


def direct_answer_rate(*, start=None, end=None, **filters):
    base = orders(**filters).filter(_period("received_at", start, end))
    return Rate(base.filter(answered_directly=True).count(), base.count())


def return_rate(*, start=None, end=None, **filters):
    return Rate(_events("return", start, end, **filters).count(), _events("dispatch", start, end, **filters).count())


def redo_rate(*, start=None, end=None, **filters):
    redos = _events("redo", start, end, **filters).count()
    return Rate(redos, redos + _events("callback", start, end, **filters).count())


def avg_handling_hours(*, start=None, end=None, **filters):
    duration = ExpressionWrapper(F("replied_at") - F("received_at"), output_field=DurationField())
    result = orders(**filters).filter(_period("replied_at", start, end), replied_at__isnull=False).aggregate(
        avg=Avg(duration))["avg"]
    if result is None:
        return None
    seconds = result.total_seconds() if hasattr(result, "total_seconds") else result / 1e6
    return round(seconds / 3600, 2)


def daily_intake(*, start, end, **filters):
    """Average orders received per day in [start, end) (dates)."""
    days = max((end - start).days, 1) if isinstance(start, date) and not isinstance(start, datetime) else max(
        (end - start).total_seconds() / 86400, 1)
    return round(orders(**filters).filter(_period("received_at", start, end)).count() / days, 2)


KPIS = {
    "timely_accept_rate": timely_accept_rate,
    "on_time_reply_rate": on_time_reply_rate,
    "satisfaction_rate": satisfaction_rate,
    "direct_answer_rate": direct_answer_rate,
    "return_rate": return_rate,
    "redo_rate": redo_rate,
    "avg_handling_hours": avg_handling_hours,
}


def summary(**filters):
    """All KPIs for one slice: {"timely_accept_rate": Rate, …, "avg_handling_hours": float | None}."""
    return {name: fn(**filters) for name, fn in KPIS.items()}


def by_unit(units, **filters):
    """[(unit, summary)] for each unit (e.g. every street), same period and filters."""
    return [(unit, summary(unit=unit, **filters)) for unit in units]
