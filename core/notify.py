"""In-app notifications. Sent after commit, so nobody is told about a change that rolled back."""

from django.db import transaction

from core.models import Notification


def notify(users, title, body="", url="", level="info"):
    recipients = [u for u in users if u is not None]
    if not recipients:
        return

    def send():
        Notification.objects.bulk_create(
            [Notification(recipient=u, title=title[:200], body=body, url=url[:300], level=level) for u in recipients]
        )

    transaction.on_commit(send)


def notify_unit(unit, perm, title, body="", url="", level="info"):
    """Notify everyone who holds `perm` for `unit` (members of the unit or of an ancestor)."""
    from accounts.access import users_with_perm

    notify(users_with_perm(perm, unit), title, body, url, level)
