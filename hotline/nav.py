"""Menu items, "my work" tiles and the 应急响应 banner."""

from django.utils.translation import gettext_lazy as _

from core.registry import banner, nav_item

nav_item(_("工单"), "hotline:orders", perm="hotline.view", order=10)


@banner
def emergency_banner(request):
    from hotline.services import current_emergency

    period = current_emergency()
    if period is None:
        return []
    return [{"text": f"应急响应已启动:{period.level}响应 {period.note}".strip(), "tone": "danger"}]
