import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from community import services
from community.models import QuarantineCase, Resident, ServiceRequest
from community.services.tokens import case_token, qr_svg
from core.workcal import local_date


def _date(value, label):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(f"请填写{label}(年-月-日)。") from None


@login_required
def case_list(request):
    access.require_perm(request.user, "community.view")
    rows = access.scope(request.user, QuarantineCase.objects.select_related("resident__household__compound",
                                                                            "community"), perm="community.view")
    status = request.GET.get("status", "active")
    if status in QuarantineCase.Status.values:
        rows = rows.filter(status=status)
    today = local_date(timezone.now())
    rows = rows.annotate(today_checks=Count("checks", filter=Q(checks__day=today))).order_by("status", "end_date", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for case in page:
        case.today_n = case.day_n(today)
    return render(request, "community/case_list.html", {"page": page, "status": status})


@login_required
def case_new(request, resident_pk):
    resident = access.get_or_404(request.user, Resident.objects.select_related("household__compound"),
                                 perm="community.manage", pk=resident_pk)
    today = local_date(timezone.now())
    if request.method == "POST":
        post = request.POST
        try:
            case = services.open_case(request.user, resident, post.get("reason", ""), _date(post.get("start"), "开始日期"),
                                      _date(post.get("end"), "结束日期"), int(post.get("checks_per_day") or 2))
            return redirect("community:case", case.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "community/case_new.html", {"resident": resident, "start": today,
                                                       "end": today + timedelta(days=13)})


@login_required
def case_detail(request, pk):
    case = access.get_or_404(request.user, QuarantineCase.objects.select_related("resident__household__compound"),
                             perm="community.view", pk=pk)
    can_manage = access.has_perm(request.user, "community.manage", case.community)
    if request.method == "POST" and can_manage:
        post, action = request.POST, request.POST.get("action")
        try:
            if action == "period":
                services.change_period(request.user, case, _date(post.get("end"), "新的结束日期"), post.get("reason", ""))
            elif action == "end":
                services.end_case(request.user, case, post.get("outcome", ""), post.get("note", ""))
            elif action == "check":
                services.record_check(case, post.get("temperature"), actor=request.user,
                                      idempotency_key=post.get("idempotency_key", ""), symptoms=post.get("symptoms", ""))
            elif action == "service":
                services.request_service(request.user, case.resident.household, post.get("kind", ""),
                                         post.get("detail", ""), post.get("risk", "low"), case=case)
            messages.success(request, _("已保存。"))
            return redirect("community:case", case.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    link = request.build_absolute_uri(reverse("community:resident_link", args=[case_token(case)]))
    today = local_date(timezone.now())
    return render(request, "community/case_detail.html", {
        "case": case, "can_manage": can_manage, "link": link, "svg": qr_svg(link, scale=4),
        "checks": case.checks.select_related("recorder")[:60], "changes": case.changes.select_related("actor"),
        "today_n": case.day_n(today), "key": uuid.uuid4().hex, "outcomes": QuarantineCase.Outcome.choices,
        "kinds": ServiceRequest.Kind.choices, "risks": ServiceRequest.Risk.choices})
