"""Reads for Open311: service requests and their updates, scoped to the API key's system account."""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from accounts import access
from core.logging import mask_text
from hotline.models import OPEN_STATES, OrderEvent, State, WorkOrder

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
CLOSED_STATES = [State.CLOSED, State.CANCELLED]


def orders_for(user):
    return access.scope(user, WorkOrder.objects.all(), perm="hotline.view")


def status_of(state):
    return "closed" if state in CLOSED_STATES else "open"


def filter_status(qs, statuses):
    states = []
    if "open" in statuses:
        states += list(OPEN_STATES) + [State.MERGED]
    if "closed" in statuses:
        states += CLOSED_STATES
    return qs.filter(state__in=states)


def requests_for(user, *, numbers=None, service_codes=None, statuses=None, start=None, end=None, now=None):
    qs = orders_for(user).select_related("category", "platform", "lead_unit", "merged_into", "open311")
    qs = qs.annotate(last_event=Max("events__at"))
    if numbers:
        return list(qs.filter(number__in=numbers)[:MAX_RESULTS])
    if service_codes:
        qs = qs.filter(category__code__in=service_codes)
    if statuses:
        qs = filter_status(qs, statuses)
    start, end = window(start, end, now)
    qs = qs.filter(received_at__gte=start, received_at__lte=end)
    return list(qs.order_by("-received_at", "-id")[:MAX_RESULTS])


def window(start, end, now):
    """The spec's default: the last 90 days; one bound given, the other is 90 days from it."""
    if start is None and end is None:
        return now - DEFAULT_WINDOW, now
    if start is None:
        return end - DEFAULT_WINDOW, end
    if end is None:
        return start, max(now, start)
    return start, end


def _extra(order):
    try:
        return order.open311
    except WorkOrder.open311.RelatedObjectDoesNotExist:
        return None


def status_notes(order):
    note = order.get_state_display()
    if order.state == State.MERGED and order.merged_into_id:
        note += f"(已并入 {order.merged_into.number},随该单答复)"
    if order.state == State.CANCELLED:
        note += "(工单已撤销)"
    return note


def as_request(order):
    """One service request as the spec lists it; the caller's name, phone and e-mail are never included,
    and phone/ID numbers typed into the text are masked."""
    extra = _extra(order)
    agency = order.lead_unit or order.platform
    notice = f"将于 {timezone.localtime(order.reply_due).strftime('%Y-%m-%d %H:%M')} 前答复" if order.reply_due else ""
    return {
        "service_request_id": order.number,
        "status": status_of(order.state),
        "status_notes": status_notes(order),
        "service_name": order.category.name,
        "service_code": order.category.code,
        "description": mask_text(order.content),
        "agency_responsible": agency.name,
        "service_notice": notice,
        "requested_datetime": order.received_at,
        "updated_datetime": getattr(order, "last_event", None) or order.received_at,
        "expected_datetime": order.reply_due,
        "address": mask_text(order.address),
        "address_id": extra.address_id if extra else "",
        "zipcode": "",
        "lat": extra.lat if extra and extra.lat is not None else None,
        "long": extra.long if extra and extra.long is not None else None,
        "media_url": extra.media_url if extra else "",
    }


def updates_for(user, *, numbers=None, start=None, end=None, now=None):
    orders = orders_for(user)
    if numbers:
        orders = orders.filter(number__in=numbers)
    qs = OrderEvent.objects.filter(order__in=orders.values("id")).select_related("order", "unit")
    start, end = window(start, end, now)
    qs = qs.filter(at__gte=start, at__lte=end)
    return list(qs.order_by("at", "id")[:MAX_RESULTS])


def as_update(event):
    """A timeline row, without its free-text note (notes may name the caller)."""
    state = event.to_state or event.order.state
    description = str(event.label)
    if event.to_state and event.to_state != event.from_state:
        description += f":{State(event.to_state).label}"
    if event.action == "dispatch" and event.data.get("lead_unit"):
        description += f"(主办:{event.data['lead_unit']})"
    return {
        "update_id": str(event.pk),
        "service_request_id": event.order.number,
        "status": status_of(state),
        "updated_datetime": event.at,
        "description": description,
        "media_url": "",
    }


def token_for(user, token):
    from interop.models import Open311Request

    return (Open311Request.objects.filter(token=token, order__in=orders_for(user).values("id"))
            .select_related("order").first())
