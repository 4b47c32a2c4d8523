from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access
from community import selectors, services
from community.models import Household, Resident
from community.services.residents import IMPORT_COLUMNS, ImportFailed
from community.services.tokens import qr_svg
from places.models import OrgUnit


def _compounds(user):
    return access.scope(user, OrgUnit.objects.filter(kind=OrgUnit.Kind.COMPOUND), perm="community.manage")


@login_required
def resident_list(request):
    access.require_perm(request.user, "community.view")
    q = request.GET.get("q", "").strip()
    rows = selectors.search_residents(request.user, q) if q else selectors.residents(request.user)
    cases = selectors.quarantine_status(list(rows.values_list("pk", flat=True)[:2000])) if q else {}
    page = Paginator(rows.order_by("household__compound__path", "household__building", "household__room", "id"),
                     50).get_page(request.GET.get("page"))
    if not q:
        cases = selectors.quarantine_status([r.pk for r in page])
    for r in page:
        r.active_case = cases.get(r.pk)
    return render(request, "community/resident_list.html", {
        "page": page, "q": q, "compounds": _compounds(request.user),
        "can_manage": access.has_perm(request.user, "community.manage")})


@login_required
def resident_import(request):
    access.require_perm(request.user, "community.manage")
    errors = []
    if request.method == "POST":
        compound = access.get_or_404(request.user, _compounds(request.user), pk=request.POST.get("compound"))
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的 Excel 文件。"))
        else:
            try:
                count = services.import_residents(request.user, compound, upload)
                messages.success(request, _("已导入 %(n)s 名居民。") % {"n": count})
                return redirect("community:residents")
            except ImportFailed as exc:
                errors = exc.errors
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    return render(request, "community/resident_import.html", {"compounds": _compounds(request.user),
                                                              "errors": errors, "columns": IMPORT_COLUMNS})


@login_required
def import_template(request):
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "居民"
    ws.append(IMPORT_COLUMNS)
    ws.append(["3", "2", "301", "张三", "13800000000", "", "户主", ""])
    ws.append(["3", "2", "301", "张奶奶", "", "", "母亲", "是"])
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="residents-template.xlsx"'
    return response


@login_required
def household_detail(request, pk):
    household = access.get_or_404(request.user, Household.objects.select_related("compound"), perm="community.view",
                                  pk=pk)
    residents = list(household.residents.all())
    cases = selectors.quarantine_status([r.pk for r in residents])
    for r in residents:
        r.active_case = cases.get(r.pk)
    return render(request, "community/household.html", {
        "household": household, "residents": residents, "services": household.services.all()[:20],
        "can_manage": access.has_perm(request.user, "community.manage", household.compound)})


@login_required
def household_add(request):
    access.require_perm(request.user, "community.manage")
    if request.method == "POST":
        post = request.POST
        try:
            compound = access.get_or_404(request.user, _compounds(request.user), pk=post.get("compound"))
            household = services.add_household(request.user, compound, post.get("building", ""), post.get("room", ""),
                                               entrance=post.get("entrance", ""))
            if post.get("name"):
                services.add_resident(request.user, household, post["name"], post.get("phone", ""),
                                      post.get("id_number", ""), post.get("relation", ""), bool(post.get("elderly")))
            return redirect("community:household", household.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "community/household_add.html", {"compounds": _compounds(request.user),
                                                            "form": request.POST})


@login_required
def resident_add(request, pk):
    household = access.get_or_404(request.user, Household, perm="community.manage", pk=pk)
    post = request.POST
    try:
        services.add_resident(request.user, household, post.get("name", ""), post.get("phone", ""),
                              post.get("id_number", ""), post.get("relation", ""), bool(post.get("elderly")))
        messages.success(request, _("已添加。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:household", household.pk)


@login_required
def personal_code(request, pk):
    resident = access.get_or_404(request.user, Resident.objects.select_related("household__compound"),
                                 perm="community.view", pk=pk)
    if not resident.personal_code:
        messages.error(request, _("该居民没有个人码(仅为老人发放)。"))
        return redirect(reverse("community:household", args=[resident.household_id]))
    return render(request, "community/personal_code.html", {"resident": resident,
                                                            "svg": qr_svg(resident.personal_code, scale=10)})
