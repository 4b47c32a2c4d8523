"""Reads of the interop screens, scoped through accounts.access."""

from django.db.models import Q

from accounts import access
from core.models import Job
from hotline.models import WorkOrder
from interop.models import ApiKey, ExchangeCursor, WebhookDelivery
from interop.services.upper import CURSOR


def deliveries_for(user):
    orders = access.scope(user, WorkOrder.objects.all(), perm="hotline.view")
    return WebhookDelivery.objects.filter(upper__order__in=orders.values("id")).select_related("upper__order", "job")


def dead_letters_for(user):
    return deliveries_for(user).filter(delivered_at__isnull=True, job__status=Job.Status.FAILED)


def summary(user):
    deliveries = deliveries_for(user)
    cursor = ExchangeCursor.objects.filter(name=CURSOR).first()
    return {
        "dead": dead_letters_for(user).count(),
        "pending": deliveries.filter(delivered_at__isnull=True).filter(~Q(job__status=Job.Status.FAILED)).count(),
        "delivered": deliveries.filter(delivered_at__isnull=False).count(),
        "keys": ApiKey.objects.filter(revoked_at__isnull=True).count(),
        "scanned_at": cursor.updated_at if cursor else None,
    }
