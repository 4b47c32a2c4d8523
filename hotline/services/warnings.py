"""Yellow (75% of the time used) and red (due passed) marks, set by the worker and notified once each."""

from django.db import transaction
from django.utils import timezone

from core.notify import notify_unit
from hotline import deadlines
from hotline.models import UNIT_STATES, WorkOrder
from hotline.services.orders import order_url


def mark_warnings(now=None, batch=2000):
    """Mark open unit-side orders yellow/red; notify the unit (and the supervisors for red). Returns counts."""
    now = now or timezone.now()
    counts = {"yellow": 0, "red": 0}
    candidates = (WorkOrder.objects.filter(state__in=UNIT_STATES, reply_due__isnull=False)
                  .exclude(warning="red").select_related("lead_unit", "platform")
                  .only("id", "number", "state", "warning", "deadline_start", "reply_due", "lead_unit", "platform",
                        "content"))
    for order in candidates.iterator(chunk_size=batch):
        level = deadlines.warning_level(order.deadline_start, order.reply_due, now)
        if not level or level == order.warning:
            continue
        with transaction.atomic():
            # Only move it if nobody changed its state or mark meanwhile.
            updated = WorkOrder.objects.filter(pk=order.pk, state=order.state, warning=order.warning).update(
                warning=level)
            if not updated:
                continue
            counts[level] += 1
            title = f"{'红牌超期' if level == 'red' else '黄牌预警'} {order.number}"
            if order.lead_unit_id:
                notify_unit(order.lead_unit, "hotline.view", title, order.content[:80], order_url(order),
                            "danger" if level == "red" else "warning")
            if level == "red":
                notify_unit(order.platform, "hotline.supervise", title, order.content[:80], order_url(order),
                            "danger")
    return counts
