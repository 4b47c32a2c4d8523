from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.registry import home_panel, nav_item

nav_item(_("工作台"), "core:home", order=0)
nav_item(_("通知"), "core:notifications", order=90)
nav_item(_("审计日志"), "core:audit", perm="core.audit_view", order=95)


@home_panel
def unread_notifications(request):
    count = request.user.notifications.filter(read_at__isnull=True).count()
    return [{"title": _("未读通知"), "value": count, "url": reverse("core:notifications"), "tone": "warn" if count else ""}]


@home_panel
def audit_panel(request):
    if not access.has_perm(request.user, "core.audit_view"):
        return []
    from core.models import AuditLog

    count = access.scope(request.user, AuditLog.objects.all()).filter(action__startswith="reveal").count()
    return [{"title": _("个人信息查看记录"), "value": count, "url": reverse("core:audit") + "?action=reveal", "tone": ""}]
