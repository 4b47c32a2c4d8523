"""Exchange with the upper-level (city) 12345 platform.

In: the platform pushes an order; it becomes a work order (channel 上级平台) through hotline's intake,
and the platform's own number, deadline and content are kept beside it (UpperOrder).
Out: a periodic scan reads new timeline rows (OrderEvent, by increasing id from a cursor) of those orders
and queues one signed webhook message per state change; the worker delivers it with retries and
exponential backoff (core.jobs); a message that used all its attempts stays in the dead-letter list
until someone retries it. The bulk status export is the fallback when the webhook is down.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access
from core import audit, jobs
from hotline import services as hotline
from hotline.models import Category, Channel, OrderEvent, OrderType, State, Urgency, WorkOrder
from interop.models import ExchangeCursor, UpperOrder, WebhookDelivery
from interop.open311.selectors import status_of

CURSOR = "upper-status"
DELIVER_TASK = "interop.deliver_webhook"
SIGNATURE_HEADER = "X-Shouhu-Signature"
TIMESTAMP_HEADER = "X-Shouhu-Timestamp"
EVENT_HEADER = "X-Shouhu-Event-Id"


def _category(code_or_name):
    value = (code_or_name or "").strip()
    if value:
        found = Category.objects.filter(active=True, code=value).first() or \
            Category.objects.filter(active=True, name=value).first()
        if found:
            return found
    return Category.objects.get(code="OTHER")


@transaction.atomic
def receive_order(user, *, platform_number, content, deadline=None, category="", order_type=OrderType.HELP,
                  urgency=Urgency.NORMAL, caller_name="", caller_phone="", address="", payload=None, now=None):
    """The platform's order as a work order. The same platform number again returns the first one
    (created False): the platform may resend safely."""
    access.require_perm(user, "hotline.intake")  # first: a resend answers only to whoever may push
    platform_number = (platform_number or "").strip()
    if not platform_number:
        raise ValidationError("请提供上级工单编号。")
    existing = UpperOrder.objects.select_related("order").filter(platform_number=platform_number).first()
    if existing is not None:
        return existing, False
    order = hotline.intake(
        user, content=content, order_type=order_type or OrderType.HELP, category=_category(category),
        caller_name=caller_name, caller_phone=caller_phone, address=address, channel=Channel.UPPER,
        urgency=urgency or Urgency.NORMAL, external_id=platform_number[:60], now=now,
    )
    if deadline is not None and (order.reply_due is None or deadline < order.reply_due):
        # The city's deadline binds us even when our own policy would allow more: the units work against
        # the earlier one, so warnings (yellow/red) and 按时办结率 follow what the city will judge.
        order.reply_due = deadline
        WorkOrder.objects.filter(pk=order.pk).update(reply_due=deadline)
    upper = UpperOrder.objects.create(
        order=order, platform_number=platform_number, platform_deadline=deadline, platform_content=content,
        platform_category=(category or "")[:100], received_at=order.received_at, received_by=user,
        payload=payload or {},
    )
    audit.record(user, "interop.upper_order", obj=order, unit=order.platform,
                 detail={"platform_number": platform_number})
    return upper, True


def status_row(upper):
    order = upper.order
    replied = order.state in (State.PENDING_CALLBACK, State.CLOSED)
    return {
        "platform_number": upper.platform_number,
        "number": order.number,
        "state": order.state,
        "state_label": str(order.get_state_display()),
        "status": status_of(order.state),
        "lead_unit": order.lead_unit.name if order.lead_unit_id else "",
        "platform_deadline": upper.platform_deadline,
        "reply_due": order.reply_due,
        "replied_at": order.replied_at,
        "reply_text": order.reply_text if replied else "",
        "closed_at": order.closed_at,
    }


def _payload(event, upper, event_id):
    row = status_row(upper)
    # The state this message reports is the one the move produced, not whatever it is by sending time.
    row.update(state=event.to_state, state_label=str(State(event.to_state).label), status=status_of(event.to_state))
    for name in ("platform_deadline", "reply_due", "replied_at", "closed_at"):
        row[name] = timezone.localtime(row[name]).isoformat() if row[name] else None
    return {
        "event_id": event_id,
        "type": "order.status_changed",
        "action": event.action,
        "action_label": str(event.label),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "at": timezone.localtime(event.at).isoformat(),
        **row,
    }


@transaction.atomic
def scan_events(limit=1000):
    """Queue a webhook message for each new state change of an upper-platform order. Returns how many."""
    cursor, _ = ExchangeCursor.objects.get_or_create(name=CURSOR)
    cursor = ExchangeCursor.objects.select_for_update().get(pk=cursor.pk)
    events = list(OrderEvent.objects.filter(id__gt=cursor.last_event_id).order_by("id")[:limit])
    if not events:
        return 0
    queued = 0
    if settings.UPPER_WEBHOOK_URL:
        uppers = {u.order_id: u for u in UpperOrder.objects.select_related("order__lead_unit").filter(
            order_id__in={e.order_id for e in events})}
        for event in events:
            upper = uppers.get(event.order_id)
            if upper is None or not event.to_state or event.to_state == event.from_state:
                continue
            event_id = str(uuid.uuid4())
            delivery = WebhookDelivery.objects.create(event_id=event_id, upper=upper, order_event=event,
                                                      payload=_payload(event, upper, event_id))
            delivery.job = jobs.enqueue(DELIVER_TASK, {"delivery_id": delivery.pk},
                                        unique_key=f"{DELIVER_TASK}:{event_id}")
            delivery.save(update_fields=["job"])
            queued += 1
    cursor.last_event_id = events[-1].id
    cursor.updated_at = timezone.now()
    cursor.save(update_fields=["last_event_id", "updated_at"])
    return queued


def sign(secret, timestamp, body):
    """hex HMAC-SHA256 over "<timestamp>.<body>" (the receiver checks it and the timestamp's age)."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class DeliveryFailed(Exception):
    pass


def deliver(delivery_id):
    """Send one message; raise on anything but 2xx so the worker retries with backoff."""
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    if delivery.delivered_at is not None:
        return "already delivered"
    url, secret = settings.UPPER_WEBHOOK_URL, settings.UPPER_WEBHOOK_SECRET
    if not url:
        raise DeliveryFailed("SHOUHU_UPPER_WEBHOOK_URL 未配置")
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        EVENT_HEADER: delivery.event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: "sha256=" + sign(secret, timestamp, body),
        "User-Agent": "Shouhu-Webhook/1",
    })
    try:
        with urllib.request.urlopen(request, timeout=settings.UPPER_WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"对方返回 HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(f"连接失败:{exc}") from None
    delivery.delivered_at, delivery.response_status = timezone.now(), status
    delivery.save(update_fields=["delivered_at", "response_status"])
    return status


def dead_letters():
    from core.models import Job

    return (WebhookDelivery.objects.filter(delivered_at__isnull=True, job__status=Job.Status.FAILED)
            .select_related("upper__order", "job").order_by("-created_at"))


@transaction.atomic
def retry_delivery(delivery, actor=None):
    """Put a dead message back in the queue (fresh attempts, now)."""
    if delivery.delivered_at is not None or delivery.job_id is None:
        return False
    done = bool(jobs.retry(delivery.job_id))
    if done:
        audit.record(actor, "interop.retry_webhook", obj=delivery, detail={"event_id": delivery.event_id})
    return done


def status_export(user, since=None):
    orders = access.scope(user, WorkOrder.objects.all(), perm="hotline.view")
    qs = UpperOrder.objects.filter(order__in=orders.values("id")).select_related("order__lead_unit")
    if since is not None:
        qs = qs.filter(order__events__at__gte=since).distinct()
    return [status_row(u) for u in qs.order_by("received_at", "id")[:10000]]
