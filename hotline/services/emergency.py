"""应急响应: the platform switches it on (with a level and a note) or off; both are audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access
from core import audit
from hotline.models import EmergencyResponse

LEVELS = ["一级", "二级", "三级", "四级"]


def current_emergency():
    return EmergencyResponse.objects.filter(ended_at__isnull=True).order_by("-started_at").first()


@transaction.atomic
def switch_emergency(user, *, on, level="", note="", now=None):
    """Switch 应急响应 on (replacing any open period, e.g. a level change) or off. Needs hotline.emergency."""
    access.require_perm(user, "hotline.emergency")
    now = now or timezone.now()
    open_periods = EmergencyResponse.objects.select_for_update().filter(ended_at__isnull=True)
    for period in open_periods:
        period.ended_at, period.ended_by = now, user
        period.save()
    if not on:
        audit.record(user, "hotline.emergency_off", detail={"note": note})
        return None
    if level not in LEVELS:
        raise ValidationError("请选择响应级别。")
    period = EmergencyResponse.objects.create(level=level, note=(note or "")[:300], started_at=now, started_by=user)
    audit.record(user, "hotline.emergency_on", obj=period, detail={"level": level, "note": note})
    return period
