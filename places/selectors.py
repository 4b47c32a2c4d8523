from django.db.models import Q

from accounts import access
from places.models import OrgUnit


def units_for(user, query="", kind=""):
    units = access.scope(user, OrgUnit.objects.select_related("parent"), perm="places.view")
    if query:
        units = units.filter(Q(name__contains=query) | Q(code__startswith=query) | Q(aliases__icontains=query))
    if kind:
        units = units.filter(kind=kind)
    return units.order_by("path")


def unit_detail(user, unit):
    from accounts.models import Membership

    return {
        "unit": unit,
        "ancestors": unit.ancestors(include_self=False),
        "children": unit.children.order_by("code"),
        "members": Membership.objects.filter(unit=unit, active=True).select_related("user").order_by("role"),
    }
