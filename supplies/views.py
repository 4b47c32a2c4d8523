"""Screens for unit staff. Thin: parse, check through accounts.access, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from places.models import OrgUnit
from supplies import certificates, excel, forms, selectors, services
from supplies.ledger import InsufficientStock
from supplies.models import Allocation, Certificate, Donation, Need, StockLot
from supplies.public import trace_token

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTION_ERRORS = (ValidationError, InsufficientStock, services.InvalidTransition, Certificate.DoesNotExist)


def _error_text(exc):
    return "".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


# ---- needs -------------------------------------------------------------------------------------------------

def home(request):
    return redirect("supplies:needs")


@login_required
def need_board(request):
    access.require_perm(request.user, "supplies.view")
    show_closed = request.GET.get("closed") == "1"
    needs = selectors.needs_for(request.user, open_only=not show_closed, q=request.GET.get("q", ""))
    page = Paginator(needs, 20).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_progress(page.object_list)
    return render(request, "supplies/need_board.html", {
        "page": page, "q": request.GET.get("q", ""), "show_closed": show_closed,
        "can_post": access.has_perm(request.user, "supplies.request"),
        "can_manage": access.has_perm(request.user, "supplies.manage")})


@login_required
def need_create(request):
    access.require_perm(request.user, "supplies.request")
    form = forms.NeedForm(request.user, request.POST or None)
    lines = forms.ItemLines(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        try:
            need = services.post_need(request.user, data["unit"], data["title"], forms.filled_lines(lines),
                                      urgency=data["urgency"], deadline=data["deadline"],
                                      visibility=data["visibility"], description=data["description"],
                                      contact=data["contact"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("求助已发布:%(c)s") % {"c": need.code})
            return redirect("supplies:need_detail", need.code)
    return render(request, "supplies/need_form.html", {"form": form, "lines": lines})


@login_required
def need_detail(request, code):
    need = access.get_or_404(request.user, Need.objects.select_related("unit", "posted_by"), "supplies.view",
                             code=code)
    selectors.attach_progress([need])
    return render(request, "supplies/need_detail.html", {
        "need": need,
        "donations": need.donations.select_related("donor").prefetch_related("lines__item"),
        "allocations": need.allocations.select_related("from_unit").prefetch_related("lines__item"),
        "can_close": need.is_open and access.has_perm(request.user, "supplies.request", need.unit),
        "can_manage": access.has_perm(request.user, "supplies.manage")})


@login_required
@require_POST
def need_close(request, code):
    need = access.get_or_404(request.user, Need, "supplies.view", code=code)
    try:
        services.close_need(request.user, need)
        messages.success(request, _("求助已关闭。"))
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    return redirect("supplies:need_detail", need.code)


# ---- donations ---------------------------------------------------------------------------------------------

@login_required
def donation_list(request):
    access.require_perm(request.user, "supplies.view")
    donations = selectors.donations_for(request.user, q=request.GET.get("q", ""), kind=request.GET.get("kind", ""))
    page = Paginator(donations, 25).get_page(request.GET.get("page"))
    return render(request, "supplies/donation_list.html", {
        "page": page, "q": request.GET.get("q", ""), "kind": request.GET.get("kind", ""),
        "kinds": Donation.Kind.choices, "can_manage": access.has_perm(request.user, "supplies.manage")})


@login_required
def donation_create(request):
    access.require_perm(request.user, "supplies.manage")
    cash = request.GET.get("kind") == "cash"
    initial = {}
    if request.GET.get("need"):
        initial["needs"] = Need.objects.filter(code=request.GET["need"]).values_list("pk", flat=True)
    form = forms.DonationForm(request.user, request.POST or None, initial=initial)
    lines = forms.DonationLines(request.POST or None, prefix="lines")
    splits = forms.Splits(request.POST or None, prefix="splits")
    if request.method == "POST" and form.is_valid() and (splits.is_valid() if cash else lines.is_valid()):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                donor = services.find_or_create_donor(
                    data["kind"], data["name"], credit_code=data["credit_code"], title=data["title"],
                    title_detail=data["title_detail"], phone=data["phone"], contact_name=data["contact_name"],
                    consent_public=data["consent_public"])
                if cash:
                    donation = services.record_donation(
                        request.user, donor, data["received_by"], amount=data["amount"],
                        splits=forms.filled_splits(splits), needs=data["needs"], received=data["received"],
                        note=data["note"])
                else:
                    donation = services.record_donation(
                        request.user, donor, data["received_by"], lines=forms.filled_lines(lines, value=True),
                        needs=data["needs"], received=data["received"], note=data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("捐赠已登记:%(c)s") % {"c": donation.code})
            return redirect("supplies:donation_detail", donation.code)
    return render(request, "supplies/donation_form.html",
                  {"form": form, "lines": lines, "splits": splits, "cash": cash})


@login_required
def donation_detail(request, code):
    donation = access.get_or_404(
        request.user, Donation.objects.select_related("donor", "received_by", "recorded_by"), "supplies.view",
        code=code)
    can_manage = access.has_perm(request.user, "supplies.manage", donation.received_by)
    return render(request, "supplies/donation_detail.html", {
        "donation": donation, "lines": donation.lines.select_related("item", "lot"),
        "splits": donation.splits.select_related("recipient_unit"),
        "trace": selectors.donation_trace(donation),
        "transitions": services.available_transitions(request.user, donation, services.DONATION_TRANSITIONS),
        "certificate": Certificate.objects.filter(donation=donation).first(),
        "can_manage": can_manage,
        "trace_url": request.build_absolute_uri(reverse("supplies:donor_trace", args=[trace_token(donation)]))
        if can_manage else ""})


@login_required
@require_POST
def donation_action(request, code, action):
    donation = access.get_or_404(request.user, Donation, "supplies.view", code=code)
    actions = {Donation.Status.RECEIVED: services.receive_donation, Donation.Status.CANCELLED: services.cancel_donation,
               "certificate": services.issue_certificate,
               "revoke": lambda user, d: services.revoke_certificate(user, d.certificate)}
    if action not in actions:
        raise PermissionDenied
    try:
        actions[action](request.user, donation)
        messages.success(request, _("操作成功。"))
    except ACTION_ERRORS as exc:
        messages.error(request, _error_text(exc))
    return redirect("supplies:donation_detail", donation.code)


@login_required
def donation_import(request):
    access.require_perm(request.user, "supplies.manage")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = excel.import_donations(request.user, form.cleaned_data["file"])
        except excel.ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("已导入%(n)s笔捐赠。") % {"n": len(created)})
            return redirect("supplies:donation_list")
    return render(request, "supplies/donation_import.html",
                  {"form": form, "errors": errors, "columns": excel.TEMPLATE_COLUMNS})


@login_required
def import_template(request):
    access.require_perm(request.user, "supplies.manage")
    response = HttpResponse(excel.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="donation-import-template.xlsx"'
    return response


@login_required
def export(request):
    access.require_perm(request.user, "supplies.view")
    response = HttpResponse(excel.export_workbook(request.user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="supplies-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


# ---- stock -------------------------------------------------------------------------------------------------

@login_required
def stock_index(request):
    access.require_perm(request.user, "supplies.view")
    tops, below = selectors.stock_units(request.user)
    if len(tops) == 1 and not below:
        return redirect("supplies:stock", tops[0].code)
    rows = [{"unit": u, "stock": selectors.stock_of(u)} for u in tops + below]
    return render(request, "supplies/stock_index.html", {"rows": rows})


@login_required
def stock(request, code):
    unit = access.get_or_404(request.user, OrgUnit, "supplies.view", code=code)
    can_manage = access.has_perm(request.user, "supplies.manage", unit)
    consume_form = forms.ConsumeForm(prefix="use")
    purchase_form = forms.PurchaseForm(prefix="buy")
    if request.method == "POST":
        access.require_perm(request.user, "supplies.manage", unit)
        try:
            if "use-item" in request.POST:
                consume_form = forms.ConsumeForm(request.POST, prefix="use")
                if consume_form.is_valid():
                    d = consume_form.cleaned_data
                    services.consume(request.user, unit, d["item"], d["quantity"], d["kind"], note=d["note"])
                    messages.success(request, _("已出库。"))
                    return redirect("supplies:stock", unit.code)
            else:
                purchase_form = forms.PurchaseForm(request.POST, prefix="buy")
                if purchase_form.is_valid():
                    d = purchase_form.cleaned_data
                    services.record_purchase(request.user, unit, d["item"], d["quantity"], d["supplier"])
                    messages.success(request, _("采购已入库。"))
                    return redirect("supplies:stock", unit.code)
        except ACTION_ERRORS as exc:
            messages.error(request, _error_text(exc))
    ledger_page = Paginator(selectors.ledger_of(unit), 30).get_page(request.GET.get("page"))
    return render(request, "supplies/stock.html", {
        "unit": unit, "stock": selectors.stock_of(unit), "lots": selectors.lots_at(unit), "page": ledger_page,
        "incoming": selectors.in_transit_to(unit).prefetch_related("lines__item"), "can_manage": can_manage,
        "consume_form": consume_form, "purchase_form": purchase_form})


@login_required
def lot_trace(request, code):
    # A lot is visible to anyone whose area it passed through.
    lot = StockLot.objects.filter(code=code).select_related("item", "donation_line__donation__donor").first()
    paths = access.jurisdiction_paths(request.user, "supplies.view")
    units = {m.unit.path for m in lot.moves.select_related("unit")} if lot else set()
    if lot is None or not (access.is_unrestricted(request.user)
                           or any(u.startswith(p) for u in units for p in paths)):
        raise Http404
    return render(request, "supplies/lot_trace.html", {"lot": lot, "trace": [selectors.lot_trace(lot)]})


# ---- allocations -------------------------------------------------------------------------------------------

@login_required
def allocation_list(request):
    access.require_perm(request.user, "supplies.view")
    allocations = selectors.allocations_for(request.user, status=request.GET.get("status", ""))
    page = Paginator(allocations, 25).get_page(request.GET.get("page"))
    return render(request, "supplies/allocation_list.html", {
        "page": page, "statuses": Allocation.Status.choices, "status": request.GET.get("status", ""),
        "can_manage": access.has_perm(request.user, "supplies.manage")})


@login_required
def allocation_create(request):
    access.require_perm(request.user, "supplies.manage")
    initial = {}
    need = None
    if request.GET.get("need"):
        need = access.scope(request.user, Need.objects.all(), "supplies.view").filter(code=request.GET["need"]).first()
        if need:
            initial = {"need": need, "to_unit": need.unit,
                       "from_unit": forms.unit_choices(request.user, "supplies.manage").first()}
    form = forms.AllocationForm(request.user, request.POST or None, initial=initial)
    line_initial = [{"item": line.item, "quantity": line.quantity} for line in need.lines.all()] if need else None
    lines = forms.ItemLines(request.POST or None, prefix="lines", initial=line_initial)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        d = form.cleaned_data
        try:
            allocation = services.allocate(request.user, d["from_unit"], d["to_unit"], forms.filled_lines(lines),
                                           need=d["need"], note=d["note"])
        except (ValidationError, InsufficientStock) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("调拨单%(c)s已生成,物资在途,等待对方签收。") % {"c": allocation.code})
            return redirect("supplies:allocation_detail", allocation.code)
    stock = selectors.stock_of(form.initial["from_unit"]) if form.initial.get("from_unit") else []
    return render(request, "supplies/allocation_form.html", {"form": form, "lines": lines, "stock": stock})


@login_required
def allocation_detail(request, code):
    allocation = access.get_or_404(
        request.user, Allocation.objects.select_related("from_unit", "to_unit", "need", "created_by", "received_by"),
        "supplies.view", code=code)
    return render(request, "supplies/allocation_detail.html", {
        "allocation": allocation, "lines": allocation.lines.select_related("item"),
        "moves": allocation.moves.select_related("lot", "unit", "item"),
        "events": allocation.events.select_related("actor"),
        "transitions": services.available_transitions(request.user, allocation, services.ALLOCATION_TRANSITIONS)})


@login_required
@require_POST
def allocation_action(request, code, action):
    allocation = access.get_or_404(request.user, Allocation, "supplies.view", code=code)
    actions = {Allocation.Status.RECEIVED: services.confirm_allocation,
               Allocation.Status.CANCELLED: services.cancel_allocation}
    if action not in actions:
        raise PermissionDenied
    try:
        actions[action](request.user, allocation, note=request.POST.get("note", ""))
        messages.success(request, _("调拨单%(c)s已更新。") % {"c": allocation.code})
    except ACTION_ERRORS as exc:
        messages.error(request, _error_text(exc))
    return redirect("supplies:allocation_detail", allocation.code)


# ---- certificates ------------------------------------------------------------------------------------------

@login_required
def certificate_list(request):
    access.require_perm(request.user, "supplies.view")
    certs = access.scope(request.user, Certificate.objects.select_related("donation__received_by"), "supplies.view")
    page = Paginator(certs, 25).get_page(request.GET.get("page"))
    pending = selectors.donations_for(request.user).filter(
        status=Donation.Status.RECEIVED, certificate__isnull=True)[:50]
    return render(request, "supplies/certificate_list.html", {"page": page, "pending": pending})


def certificate_response(request, cert):
    verify_url = request.build_absolute_uri(reverse("supplies:verify") + f"?code={cert.code}")
    response = HttpResponse(certificates.render_pdf(cert, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{cert.code}.pdf"'
    return response


@login_required
def certificate_pdf(request, code):
    cert = access.get_or_404(request.user, Certificate, "supplies.view", code=code)
    return certificate_response(request, cert)
