from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts import access
from community import selectors, services
from community.models import Alert, GateEntry
from community.plates import PROVINCES, SERIAL_LETTERS, home_prefix
from community.services.tokens import gate_token, qr_svg
from places.models import OrgUnit

# The neighbours first: most cars at a 南通 gate are 苏, then 沪浙皖鲁, and 鄂 must be one tap away.
PROVINCE_ORDER = "苏鄂沪浙皖鲁豫赣" + "".join(p for p in PROVINCES if p not in "苏鄂沪浙皖鲁豫赣")
TRAVEL_CHIPS = ["本市未外出", "省内", "上海", "湖北"]
PURPOSE_CHIPS = ["回家", "上班", "买菜", "就医", "送货", "探亲"]


def _gate(user, pk):
    return access.get_or_404(user, OrgUnit.objects.filter(kind=OrgUnit.Kind.GATE), perm="community.register_entry",
                             pk=pk)


def service_worker(request):
    """The gate pages' service worker, served under /community/gates/ so its scope covers them."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse

    with open(finders.find("community/gate-sw.js"), encoding="utf-8") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def gate_list(request):
    gates = list(selectors.gates_for(request.user))
    if len(gates) == 1:
        return redirect("community:gate", gates[0].pk)
    return render(request, "community/gate_list.html", {"gates": gates})


@login_required
@ensure_csrf_cookie
def gate_page(request, pk):
    gate = _gate(request.user, pk)
    return render(request, "community/gate.html", {
        "gate": gate, "provinces": PROVINCE_ORDER, "home_prefix": home_prefix(),
        "plate_chars": "1234567890" + SERIAL_LETTERS, "travel_chips": TRAVEL_CHIPS, "purpose_chips": PURPOSE_CHIPS,
    })


@login_required
def gate_qr(request, pk):
    gate = _gate(request.user, pk)
    url = request.build_absolute_uri(reverse("community:self_register", args=[gate_token(gate)]))
    return render(request, "community/gate_qr.html", {"gate": gate, "url": url, "svg": qr_svg(url)})


@login_required
def entry_list(request):
    access.require_perm(request.user, "community.view")
    rows = access.scope(request.user, GateEntry.objects.select_related("gate", "recorder"), perm="community.view")
    gate_id = request.GET.get("gate")
    if gate_id:
        rows = rows.filter(gate_id=gate_id)
    page = Paginator(rows.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "community/entry_list.html", {"page": page})


@login_required
def alert_list(request):
    access.require_perm(request.user, "community.view")
    rows = access.scope(request.user, Alert.objects.select_related("gate", "community"), perm="community.view")
    status = request.GET.get("status", "open")
    if status in Alert.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "community/alert_list.html", {"page": page, "status": status,
                                                         "statuses": Alert.Status.choices})


@login_required
def alert_detail(request, pk):
    alert = access.get_or_404(request.user, Alert.objects.select_related("gate", "community", "entry", "case"),
                              perm="community.view", pk=pk)
    if request.method == "POST":
        try:
            services.handle_alert(request.user, alert, request.POST.get("status", ""), request.POST.get("note", ""))
            messages.success(request, _("预警状态已更新。"))
            return redirect("community:alert", alert.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    can_handle = access.has_perm(request.user, "community.manage", alert.community)
    return render(request, "community/alert_detail.html", {
        "alert": alert, "can_handle": can_handle,
        "next_states": [Alert.Status(s) for s in Alert.TRANSITIONS.get(alert.status, [])] if can_handle else []})
