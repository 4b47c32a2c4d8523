"""Menu item and a "my work" tile when status pushes to the upper platform have failed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.registry import home_panel, nav_item

nav_item(_("对外接口"), "interop:overview", perm="interop.manage", order=85)


@home_panel
def dead_letters(request):
    if not access.has_perm(request.user, "interop.manage"):
        return []
    from interop.selectors import dead_letters_for

    count = dead_letters_for(request.user).count()
    if not count:
        return []
    return [{"title": _("上级平台推送失败"), "value": count, "url": reverse("interop:overview"), "tone": "danger"}]
