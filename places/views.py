from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import access
from places import selectors
from places.models import OrgUnit


@login_required
def unit_list(request):
    access.require_perm(request.user, "places.view")
    units = selectors.units_for(request.user, query=request.GET.get("q", ""), kind=request.GET.get("kind", ""))
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "places/unit_list.html", {"page": page, "kinds": OrgUnit.Kind.choices,
                                                     "q": request.GET.get("q", ""), "kind": request.GET.get("kind", "")})


@login_required
def unit_detail(request, code):
    unit = access.get_or_404(request.user, OrgUnit, code=code)
    access.require_perm(request.user, "places.view", unit)
    return render(request, "places/unit_detail.html", selectors.unit_detail(request.user, unit))
