"""Writing the audit log. Call record() inside the service's transaction."""

from core.middleware import current_request
from core.models import AuditLog


def client_info(request):
    """(ip, user agent) of a request, for audit rows and login throttling."""
    if request is None:
        return None, ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None, request.META.get("HTTP_USER_AGENT", "")[:200]


def record(actor, action, obj=None, unit=None, detail=None, request=None):
    request = request or current_request()
    ip, agent = client_info(request)
    if unit is None and obj is not None:
        unit = getattr(obj, "unit", None) if hasattr(obj, "unit_id") else None
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditLog.objects.create(
        actor=actor_obj,
        actor_label=(actor.get_username() if actor_obj else str(actor or "system"))[:150],
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        unit=unit,
        detail=detail or {},
        ip=ip,
        user_agent=agent,
    )
