from datetime import timedelta

from django.conf import settings

from core.jobs import task


@task("interop.purge_idempotency", every=timedelta(hours=1))
def purge_idempotency():
    from interop.middleware import expired_before
    from interop.models import IdempotencyRecord

    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=expired_before()).delete()
    return deleted


@task("interop.scan_upper_events", every=timedelta(minutes=1))
def scan_upper_events():
    from interop.services import scan_events

    return scan_events()


@task("interop.deliver_webhook", max_attempts=settings.UPPER_WEBHOOK_MAX_ATTEMPTS)
def deliver_webhook(delivery_id):
    from interop.services import deliver

    return deliver(delivery_id)
