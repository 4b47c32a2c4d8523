from django.utils.translation import gettext_lazy as _

from core.registry import home_panel, nav_item

nav_item(_("数据看板"), "reports:dashboard", perm="reports.view", order=60)
nav_item(_("日报"), "reports:index", perm="reports.view", order=61)
nav_item(_("指标"), "reports:kpi", perm="reports.view", order=62)
nav_item(_("定时上报"), "reports:unit_reports", perm="reports.view", order=63)


@home_panel
def reports_owed(request):
    """A unit's 定时上报 due today and not yet sent (only while 应急响应 is on)."""
    from django.urls import reverse
    from django.utils import timezone

    from accounts import access
    from reports.models import UnitReport

    if not access.has_perm(request.user, "reports.submit"):
        return []
    owed = access.scope(request.user, UnitReport.objects.filter(
        emergency__ended_at__isnull=True, due_at__date=timezone.localdate(), submitted_at__isnull=True),
        "reports.submit").count()
    if not owed:
        return []
    return [{"title": _("待报送定时上报"), "value": owed, "url": reverse("reports:unit_reports"), "tone": "warn"}]
