from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.registry import home_panel, nav_item

nav_item(_("出入登记"), "community:gates", perm="community.register_entry", order=30)
nav_item(_("社区防控"), "community:dashboard", perm="community.view", order=31)


@home_panel
def community_panels(request):
    user = request.user
    tiles = []
    if access.has_perm(user, "community.register_entry") and not access.has_perm(user, "community.view"):
        tiles.append({"title": _("出入登记"), "value": "→", "url": reverse("community:gates"), "tone": ""})
    if access.has_perm(user, "community.manage"):
        from community.models import Alert, QuarantineCase, ServiceRequest

        alerts = access.scope(user, Alert.objects.filter(status="open"), perm="community.manage").count()
        cases = access.scope(user, QuarantineCase.objects.filter(status="active"), perm="community.manage").count()
        tiles += [
            {"title": _("待处理预警"), "value": alerts, "url": reverse("community:alerts"), "tone": "danger" if alerts else ""},
            {"title": _("居家隔离中"), "value": cases, "url": reverse("community:cases"), "tone": ""},
        ]
    if access.has_perm(user, "community.register_entry"):
        from community.models import ServiceRequest

        mine = ServiceRequest.objects.filter(assignee=user, status__in=["assigned", "on_way"]).count()
        if mine:
            tiles.append({"title": _("我的上门服务"), "value": mine, "url": reverse("community:services") + "?mine=1",
                          "tone": "warn"})
    return tiles
