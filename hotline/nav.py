"""Menu items, "my work" tiles per role and the 应急响应 banner."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.registry import banner, home_panel, nav_item

nav_item(_("受理"), "hotline:intake", perm="hotline.intake", order=5)
nav_item(_("工单"), "hotline:orders", perm="hotline.view", order=10)
nav_item(_("知识库"), "hotline:knowledge", perm="hotline.view", order=12)
nav_item(_("应急响应"), "hotline:emergency", perm="hotline.emergency", order=80)
nav_item(_("导入"), "hotline:import", perm="hotline.intake", order=14)

# Tiles: (queue name, tone when non-zero). Each shows only to users holding the queue's permission.
TILES = [("dispatch", "warn"), ("inbox", "warn"), ("tasks", "warn"), ("signoff", "warn"), ("review", "warn"),
         ("callback", ""), ("extensions", "warn"), ("red", "danger")]


@home_panel
def my_work(request):
    from hotline.selectors import QUEUES

    tiles = []
    for name, tone in TILES:
        label, fn, perm = QUEUES[name]
        if not access.has_perm(request.user, perm):
            continue
        count = fn(request.user).count()
        tiles.append({"title": label, "value": count, "url": reverse("hotline:queue", args=[name]),
                      "tone": tone if count else ""})
    return tiles


@banner
def emergency_banner(request):
    from hotline.services import current_emergency

    period = current_emergency()
    if period is None:
        return []
    text = _("应急响应已启动:%(level)s响应 %(note)s") % {"level": period.level, "note": period.note}
    return [{"text": text.strip(), "tone": "danger"}]
