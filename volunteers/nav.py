from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.registry import home_panel, nav_item

nav_item(_("志愿者"), "volunteers:index", perm="volunteers.view", order=50)
nav_item(_("值班表"), "volunteers:duty", perm="volunteers.duty", order=52)
nav_item(_("我的班次"), "volunteers:my_shifts", order=55)


@home_panel
def volunteer_panels(request):
    from volunteers import selectors
    from volunteers.models import Volunteer

    tiles = []
    now = timezone.now()
    upcoming = selectors.shifts_for(request.user, now, now + timedelta(days=7)).count()
    if upcoming:
        tiles.append({"title": _("未来7天我的班次"), "value": upcoming, "url": reverse("volunteers:my_shifts"),
                      "tone": ""})
    if access.has_perm(request.user, "volunteers.manage"):
        pending = selectors.volunteers_for(request.user).filter(status=Volunteer.Status.PENDING).count()
        tiles.append({"title": _("待审核志愿者报名"), "value": pending, "url": reverse("volunteers:signup_list"),
                      "tone": "warn" if pending else ""})
    return tiles
