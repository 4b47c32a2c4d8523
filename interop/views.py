"""对外接口 screen: the upper-platform exchange at a glance and the dead-letter list with retry."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from interop import selectors, services


@login_required
def overview(request):
    access.require_perm(request.user, "interop.manage")
    page = Paginator(selectors.dead_letters_for(request.user).order_by("-created_at", "-id"), 30).get_page(
        request.GET.get("page"))
    return render(request, "interop/overview.html", {
        "summary": selectors.summary(request.user), "page": page, "webhook_url": settings.UPPER_WEBHOOK_URL,
    })


@login_required
@require_POST
def retry(request, pk):
    access.require_perm(request.user, "interop.manage")
    delivery = _dead_or_404(request.user, pk)
    if services.retry_delivery(delivery, request.user):
        messages.success(request, _("已重新排队推送 %(id)s。") % {"id": delivery.upper.platform_number})
    return redirect("interop:overview")


@login_required
@require_POST
def retry_all(request):
    access.require_perm(request.user, "interop.manage")
    count = sum(services.retry_delivery(d, request.user) for d in selectors.dead_letters_for(request.user))
    messages.success(request, _("已重新排队 %(n)d 条推送。") % {"n": count})
    return redirect("interop:overview")


def _dead_or_404(user, pk):
    """Only a dead message of the user's jurisdiction: anything else is 404, like a missing one."""
    found = selectors.dead_letters_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
