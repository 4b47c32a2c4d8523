"""Pages without login, authorised only by a signed token: a gate's self-registration and a resident's
quarantine link. Each shows nothing beyond what its token names."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from community import services
from community.models import GateEntry, ServiceRequest
from community.services.tokens import case_from_token, gate_from_token
from core.workcal import local_date


@never_cache
def self_register(request, token):
    gate = gate_from_token(token)
    result = None
    if request.method == "POST":
        post = request.POST
        try:
            result = services.register_entry(
                None, gate, source=GateEntry.Source.SELF, idempotency_key=post.get("idempotency_key", ""),
                direction=post.get("direction", ""), mode="foot", travel=post.get("travel", ""),
                purpose=post.get("purpose", ""),
                people=[{"name": post.get("name"), "phone": post.get("phone"), "temperature": post.get("temperature")}])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "community/public_gate.html", {
        "gate": gate, "result": result, "key": uuid.uuid4().hex, "form": request.POST if result is None else {}})


@never_cache
def resident_link(request, token):
    case = case_from_token(token)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "service":
                services.request_service(None, case.resident.household, request.POST.get("kind", ""),
                                         request.POST.get("detail", ""), case=case)
                messages.success(request, _("需求已提交,社区会尽快安排。"))
            else:
                check = services.record_check(case, request.POST.get("temperature"),
                                              idempotency_key=request.POST.get("idempotency_key", ""),
                                              symptoms=request.POST.get("symptoms", ""))
                text = _("已上报第%(day)s天第%(slot)s次体温 %(t)s℃。") % {
                    "day": check.day_n, "slot": check.slot, "t": check.temperature}
                if check.fever:
                    text += _("体温偏高,社区工作人员会联系您。")
                messages.success(request, text)
            return redirect("community:resident_link", token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    today = local_date(timezone.now())
    return render(request, "community/public_case.html", {
        "case": case, "day_n": case.day_n(today), "checks": case.checks.order_by("-at")[:10],
        "services": case.services.order_by("-created_at")[:10], "key": uuid.uuid4().hex,
        "kinds": ServiceRequest.Kind.choices, "today_count": case.checks.filter(day=today).count()})
