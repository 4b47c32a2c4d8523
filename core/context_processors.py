from django.urls import NoReverseMatch, reverse

from accounts import access
from core.registry import BANNERS, NAV_ITEMS


def shell(request):
    """Navigation, banners and the unread count for the page shell; computed once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "banners": [b for fn in BANNERS for b in fn(request)], "unread_count": 0}
    items = []
    for item in sorted(NAV_ITEMS, key=lambda i: i.order):
        if item.perm and not access.has_perm(user, item.perm):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # Only the most specific matching item is active (/hotline/intake/ over /hotline/).
    matches = [i for i in items if i["url"] != "/" and request.path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {
        "nav_items": items,
        "banners": [b for fn in BANNERS for b in fn(request)],
        "unread_count": user.notifications.filter(read_at__isnull=True).count(),
        "my_memberships": access.memberships(user),
    }
