"""The operator's intake form and its two small JSON helpers (caller history, knowledge-base hits)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from core.person import validate_phone
from hotline import assist, selectors, services
from hotline.forms import IntakeForm


@login_required
def intake(request):
    access.require_perm(request.user, "hotline.intake")
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.intake(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已受理,工单编号 %(n)s。") % {"n": order.number})
            if request.POST.get("next") == "new":
                # The order page shows probable duplicates; going straight to the next call, say so here.
                dupes = assist.duplicates(request.user, order)
                if dupes:
                    messages.warning(request, _("%(n)s 可能与在办工单 %(dupes)s 重复,请派单时核对。") % {
                        "n": order.number, "dupes": "、".join(d["order"].number for d in dupes[:3])})
                return redirect("hotline:intake")
            return redirect("hotline:order", pk=order.pk)
    return render(request, "hotline/intake.html", {"form": form, "places": _place_names()})


def _place_names():
    """Communities and compounds (with aliases) for the address field's suggestions (a <datalist>)."""
    from places.models import OrgUnit

    names = []
    for name, aliases in OrgUnit.objects.filter(kind__in=["community", "compound"], active=True).values_list(
            "name", "aliases"):
        names.append(name)
        names.extend(a for a in aliases or [] if isinstance(a, str))
    return sorted(set(names))


@login_required
def caller_history(request):
    """Earlier orders of the number being typed (exact match by blind index), for the operator only."""
    access.require_perm(request.user, "hotline.intake")
    try:
        phone = validate_phone(request.GET.get("phone", ""))
    except ValidationError:
        return JsonResponse({"orders": []})
    rows = [{"number": o.number, "url": f"/hotline/orders/{o.pk}/", "state": o.get_state_display(),
             "received": timezone.localtime(o.received_at).strftime("%Y-%m-%d %H:%M"), "content": o.content[:60],
             "name": o.caller_name if not o.anonymous else "保密"}
            for o in selectors.caller_history(request.user, phone)]
    return JsonResponse({"orders": rows})


@login_required
def knowledge_hits(request):
    access.require_perm(request.user, "hotline.view")
    rows = [{"id": k.pk, "question": k.question, "answer": k.answer, "source": k.source}
            for k in selectors.knowledge_search(request.GET.get("q", "")[:200])]
    return JsonResponse({"entries": rows})
