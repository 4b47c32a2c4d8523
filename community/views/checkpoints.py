import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from community import services
from community.models import InspectedPerson, Inspection
from core.workcal import local_date
from places.models import OrgUnit


def _checkpoints(user):
    return access.scope(user, OrgUnit.objects.filter(kind=OrgUnit.Kind.CHECKPOINT), perm="community.register_entry")


@login_required
def inspection_list(request):
    rows = access.scope(request.user, Inspection.objects.select_related("checkpoint"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "community/inspection_list.html", {"page": page,
                                                              "checkpoints": _checkpoints(request.user)})


def _people_from_post(post):
    rows = []
    for i in range(int(post.get("rows") or 12)):
        name = post.get(f"p{i}_name", "").strip()
        if name:
            rows.append({"name": name, "id_number": post.get(f"p{i}_id", ""), "role": post.get(f"p{i}_role", ""),
                         "temperature": post.get(f"p{i}_temp", ""), "phone": post.get(f"p{i}_phone", "")})
    return rows


@login_required
def inspection_new(request, pk):
    checkpoint = access.get_or_404(request.user, _checkpoints(request.user), pk=pk)
    kind = request.GET.get("kind") or request.POST.get("kind") or "ship"
    if request.method == "POST":
        post = request.POST
        try:
            inspection = services.record_inspection(
                request.user, checkpoint, kind=kind, idempotency_key=post.get("idempotency_key", ""),
                people=_people_from_post(post), vessel_name=post.get("vessel_name", ""),
                vessel_registration=post.get("vessel_registration", ""), origin=post.get("origin", ""),
                destination=post.get("destination", ""), ports=post.get("ports", ""), plate=post.get("plate", ""))
            return redirect("community:inspection", inspection.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "community/inspection_new.html", {
        "checkpoint": checkpoint, "kind": kind, "key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "rows": range(8), "form": request.POST})


@login_required
def inspection_detail(request, pk):
    inspection = access.get_or_404(request.user, Inspection.objects.select_related("checkpoint", "recorder"), pk=pk)
    if request.method == "POST":
        person = InspectedPerson.objects.filter(inspection=inspection, pk=request.POST.get("person")).first()
        community = OrgUnit.objects.filter(kind="community", pk=request.POST.get("community") or 0).first()
        today = local_date(timezone.now())
        try:
            if person is None:
                raise ValidationError(_("请选择人员。"))
            result = services.refer_person(request.user, person, reason=request.POST.get("reason") or "检查站转介",
                                           start_date=today, end_date=today + timedelta(days=13), community=community)
            messages.success(request, _("已转介:%(r)s") % {"r": result})
            return redirect("community:inspection", inspection.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "community/inspection_detail.html", {
        "inspection": inspection, "people": inspection.people.select_related("referred_case"),
        "communities": OrgUnit.objects.filter(kind="community").order_by("path")})
