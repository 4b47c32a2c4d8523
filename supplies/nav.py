from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.registry import home_panel, nav_item
from supplies import selectors
from supplies.models import Allocation

nav_item(_("物资求助"), "supplies:needs", perm="supplies.view", order=60)
nav_item(_("捐赠"), "supplies:donation_list", perm="supplies.view", order=61)
nav_item(_("库存"), "supplies:stock_index", perm="supplies.view", order=62)
nav_item(_("调拨"), "supplies:allocation_list", perm="supplies.view", order=63)


@home_panel
def supplies_panels(request):
    user = request.user
    if not access.has_perm(user, "supplies.view"):
        return []
    tiles = []
    open_needs = selectors.unmet_need_count(user)
    tiles.append({"title": _("待满足的物资求助"), "value": open_needs, "url": reverse("supplies:needs"),
                  "tone": "warn" if open_needs else ""})
    if access.has_perm(user, "supplies.manage"):
        incoming = access.scope(user, Allocation.objects.filter(status=Allocation.Status.IN_TRANSIT),
                                "supplies.manage").count()
        tiles.append({"title": _("在途待签收的调拨"), "value": incoming,
                      "url": reverse("supplies:allocation_list") + "?status=in_transit",
                      "tone": "warn" if incoming else "ok"})
        low = selectors.low_stock_count(user)
        tiles.append({"title": _("低于最低库存的物资"), "value": low, "url": reverse("supplies:stock_index"),
                      "tone": "danger" if low else "ok"})
    return tiles
