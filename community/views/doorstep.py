from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from community import selectors, services
from community.models import ServiceRequest
from community.services.doorstep import transitions_for


@login_required
def service_list(request):
    rows = selectors.service_requests(request.user)
    mine = request.GET.get("mine")
    if mine:
        rows = rows.filter(assignee=request.user)
    status = request.GET.get("status", "open")
    if status == "open":
        rows = rows.exclude(status__in=["done", "cancelled"])
    elif status in ServiceRequest.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "community/service_list.html", {"page": page, "status": status, "mine": mine})


@login_required
def service_detail(request, pk):
    # service_requests() is access.scope() widened by "assigned to me": a compound volunteer's own task.
    item = get_object_or_404(selectors.service_requests(request.user), pk=pk)
    if request.method == "POST":
        to = request.POST.get("to", "")
        try:
            if to == "assigned":
                assignee = None
                if request.POST.get("assignee"):
                    assignee = get_user_model().objects.filter(pk=request.POST["assignee"]).first()
                services.assign_service(request.user, item, assignee)
            else:
                services.advance_service(request.user, item, to, request.POST.get("note", ""),
                                         request.FILES.get("photo"))
            messages.success(request, _("已更新。"))
            return redirect("community:service", item.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    moves = transitions_for(request.user, item)
    return render(request, "community/service_detail.html", {
        "item": item, "moves": moves, "events": item.events.select_related("actor"),
        "candidates": services.eligible_assignees(item) if "assigned" in moves else []})
