from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import access
from community import selectors


@login_required
def dashboard(request):
    access.require_perm(request.user, "community.view")
    data = selectors.dashboard(request.user)
    on_duty = []
    try:
        from volunteers.selectors import on_duty as _on_duty

        for unit in access.units(request.user, "community.view")[:3]:
            on_duty.extend(_on_duty(unit)[:10])
    except ImportError:
        pass
    return render(request, "community/dashboard.html", {"d": data, "on_duty": on_duty,
                                                        "scope": access.units(request.user, "community.view")})
