"""Writes owned by core: revealing person data (audited), reading notifications."""

from django.db import transaction
from django.utils import timezone

from accounts import access
from core import audit
from core.models import Notification


def jurisdiction_unit(obj):
    """The unit an object belongs to, for permission checks on it."""
    unit = getattr(obj, "jurisdiction_unit", None)
    if unit is not None:
        return unit
    field = getattr(type(obj), "JURISDICTION", ("unit",))[0]
    if field == "self":
        return obj
    target = obj
    for part in field.split("__"):
        target = getattr(target, part)
    return target


@transaction.atomic
def reveal(user, obj, field, reason=""):
    """The clear value of a person-data field. Needs core.reveal_person_data; every reveal is audited."""
    if field not in getattr(type(obj), "REVEALABLE", ()):
        raise ValueError(f"{field} is not revealable")
    unit = jurisdiction_unit(obj)
    access.require_perm(user, "core.reveal_person_data", unit)
    check = getattr(obj, "can_reveal", None)
    if check is not None and not check(user, field):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("该信息已设为保密,不能查看。")
    audit.record(user, "reveal", obj=obj, unit=unit, detail={"field": field, "reason": reason})
    return getattr(obj, field)


def mark_read(user, ids=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=timezone.now())
