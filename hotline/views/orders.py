"""Order lists (queues, search, export), the order page and its moves. Thin: parse, check, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from core import audit
from hotline import assist, exports, selectors
from hotline.forms import action_specs, perform
from hotline.models import OrderType, State, WorkOrder
from hotline.views.paging import SimplePage
from hotline.workflow import InvalidTransition, available_actions


def _filters(request):
    get = request.GET
    return dict(q=get.get("q", ""), phone=get.get("phone", "").strip(), state=get.get("state", ""),
                order_type=get.get("type", ""), epidemic=get.get("epidemic") == "1",
                date_from=get.get("from") or None, date_to=get.get("to") or None)


def _decorate(page, now):
    for order in page:
        order.tone = selectors.deadline_tone(order, now)
    return page


def _list_context(request, qs, title, queue_name=""):
    filters = _filters(request)
    try:
        qs = selectors.search(qs, **filters)
    except ValidationError:
        qs = qs.none()
    page = _decorate(SimplePage(qs, request.GET.get("page")), timezone.now())
    return {"page": page, "title": title, "filters": filters, "queue": queue_name,
            "queues": selectors.queue_names(request.user), "states": State.choices, "types": OrderType.choices,
            "is_platform": access.has_perm(request.user, "hotline.intake")}


@login_required
def order_list(request):
    access.require_perm(request.user, "hotline.view")
    qs = selectors.orders(request.user).order_by("-received_at", "-id")
    return render(request, "hotline/list.html", _list_context(request, qs, _("全部工单")))


@login_required
def queue(request, name):
    if name not in selectors.QUEUES:
        raise Http404
    label, fn, perm = selectors.QUEUES[name]
    access.require_perm(request.user, perm)
    return render(request, "hotline/list.html", _list_context(request, fn(request.user), label, name))


@login_required
def export(request):
    access.require_perm(request.user, "hotline.view")
    name = request.GET.get("queue", "")
    if name in selectors.QUEUES:
        label, fn, perm = selectors.QUEUES[name]
        access.require_perm(request.user, perm)
        qs = fn(request.user)
    else:
        qs = selectors.orders(request.user).order_by("-received_at", "-id")
    qs = selectors.search(qs, **_filters(request))[: exports.MAX_ROWS]
    audit.record(request.user, "hotline.export", detail={"queue": name, **{k: str(v) for k, v in
                                                                            _filters(request).items()}})
    response = HttpResponse(exports.orders_xlsx(qs, request.user),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="orders-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def order_detail(request, pk):
    order = access.get_or_404(request.user, WorkOrder.objects.select_related(
        "category", "platform", "lead_unit", "community", "signed_unit", "knowledge", "merged_into"), pk=pk)
    actions = available_actions(request.user, order)
    specs = action_specs(order, actions)
    dupes, hint = _triage_help(request.user, order, specs)
    _prefill_merge(specs, dupes, request.GET.get("merge_into", ""))
    return render(request, "hotline/order.html", {
        "order": order, "events": selectors.timeline(order), "actions": specs,
        "duplicates": dupes, "dispatch_hint": hint, "can_merge": "merge" in actions,
        "co_units": list(order.co_units.all()), "merged": list(order.merged_orders.all()),
        "show_caller": not order.anonymous or order.can_reveal(request.user, "caller_phone"),
        "can_reveal": access.has_perm(request.user, "core.reveal_person_data")
        and order.can_reveal(request.user, "caller_phone"),
        "tone": selectors.deadline_tone(order),
    })


def _triage_help(user, order, specs):
    """For the platform (operator, dispatcher): probable duplicates, and the dispatch form's suggested unit
    (preselected when it is one of the choices, else shown as a hint)."""
    if not (access.has_perm(user, "hotline.dispatch") or access.has_perm(user, "hotline.intake")):
        return [], ""
    dupes = assist.duplicates(user, order)  # keyed by the order's stored place: no routing here
    hint = ""
    for spec in specs:
        if spec["name"] != "dispatch":
            continue
        suggestion = assist.dispatch_suggestion(order)
        hint = suggestion["hint"]
        for field in spec["fields"]:
            if field["name"] == "lead_unit" and suggestion["unit"] is not None \
                    and any(v == suggestion["unit"].pk for v, _label in field["choices"]):
                field["initial"] = suggestion["unit"].pk
                hint = _("已预选:%(unit)s。") % {"unit": suggestion["unit"].name} + hint
    return dupes, hint


def _prefill_merge(specs, dupes, number):
    """"并入此单" on a probable duplicate opens the merge form with that order's number filled in (only a
    number the panel offered: the link cannot be used to probe other numbers)."""
    if not number or number not in {d["order"].number for d in dupes}:
        return
    for spec in specs:
        if spec["name"] == "merge":
            spec["open"] = True
            for field in spec["fields"]:
                if field["name"] == "into":
                    field["initial"] = number


@login_required
@require_POST
def act(request, pk, action):
    order = access.get_or_404(request.user, WorkOrder, pk=pk)
    try:
        order = perform(action, order, request.user, request.POST)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, ";".join(exc.messages))
    else:
        messages.success(request, _("%(n)s:已%(action)s。") % {"n": order.number, "action": _label(action)})
        if not access.scope(request.user, WorkOrder.objects.filter(pk=order.pk)).exists():
            return redirect("hotline:orders")  # e.g. returned: no longer the unit's order
    return redirect("hotline:order", pk=order.pk)


def _label(action):
    from hotline.workflow import ACTIONS

    return ACTIONS[action].label
