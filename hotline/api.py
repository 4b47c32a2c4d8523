"""REST API, mounted at /api/v1/hotline/. Same access rules and services as the screens.

GET  orders/                 the user's orders (scoped), newest first; ?q= ?phone= ?state= ?queue=inbox|…
POST orders/                 intake (hotline.intake); with ?triage=1 the response carries the triage suggestion
                             ("triage": place with reason, category with score, department, probable duplicates)
GET  orders/<id>/            one order with its timeline and the moves available to the caller
POST orders/<id>/<action>/   a move: answer, dispatch, accept, return, subdispatch, request_extension,
                             decide_extension, reply, send_back, signoff, approve, reject, callback, redo,
                             urge, supervise, merge, cancel, co_opinion (fields as in hotline/forms.py ACTION_FIELDS)
Errors: 400 bad input, 403 wrong role, 404 missing or outside the jurisdiction, 409 the order moved on.
Person data is always masked here; 保密 callers come back empty to units. Reveal goes through /reveal/.
"""

import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from accounts import access
from core.person import mask_name, mask_phone
from hotline import assist, schemas, selectors, services
from hotline.forms import IntakeForm, perform
from hotline.models import Channel, Urgency, WorkOrder
from hotline.workflow import InvalidTransition, available_actions


FIELDS = ["id", "number", "channel", "anonymous", "address", "content", "order_type", "epidemic", "urgency", "major",
          "state", "received_at", "dispatched_at", "accept_due", "accepted_at", "reply_due", "replied_at", "warning",
          "reply_text", "signed_by_name", "signed_at", "callback_result", "supervised", "urge_count", "external_id"]


def order_json(order, user):
    """One order as the API shows it. Built by hand: a ModelSerializer costs more than the intake itself."""
    data = {name: getattr(order, name) for name in FIELDS}
    hidden = order.anonymous and not order.can_reveal(user, "caller_phone")
    data.update(
        caller_name=None if hidden else mask_name(order.caller_name),
        caller_phone=None if hidden else mask_phone(order.caller_phone),
        category=order.category.code, state_label=order.get_state_display(),
        lead_unit=order.lead_unit.code if order.lead_unit_id else None,
        community=order.community.code if order.community_id else None,
    )
    return data


class NewestFirst(CursorPagination):
    ordering = "-id"  # ids grow with intake: a keyset page costs the same at any depth
    page_size = 50


def _error(exc):
    if isinstance(exc, InvalidTransition):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return Response({"detail": ";".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(methods=["GET"], operation_id="hotline_orders_list", parameters=schemas.ORDER_LIST_PARAMETERS,
               responses={200: schemas.OrderPageSerializer, 403: schemas.HotlineErrorSerializer, 404: schemas.HotlineErrorSerializer},
               summary="本辖区工单(新的在前)")
@extend_schema(methods=["POST"], operation_id="hotline_orders_create", request=schemas.IntakeSerializer,
               parameters=[schemas.TRIAGE_PARAMETER],
               responses={201: schemas.IntakeResultSerializer, 400: schemas.FORM_ERRORS, 403: schemas.HotlineErrorSerializer},
               summary="受理登记")
@api_view(["GET", "POST"])
def orders(request):
    if request.method == "POST":
        access.require_perm(request.user, "hotline.intake")
        raw = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        data = {"channel": Channel.WECHAT, "urgency": Urgency.NORMAL, **raw}
        form = IntakeForm(data)  # the same validation as the operator's form
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        fields = form.cleaned_data
        # The triage suggestion is worked out before the order exists (its duplicates are other orders) and
        # recorded with it like the intake page's: what the client sent back if it showed one, else this one.
        # Only on request (?triage=1): a client that shows it to an operator. Citizen channels and bulk senders
        # show no one a suggestion, and its ~10 ms CPU per order would halve the intake rate under a surge.
        wanted = request.query_params.get("triage", "0").lower() in ("1", "true", "yes")
        suggestion = (assist.intake_suggestion(request.user, fields["content"], fields.get("address", ""))
                      if wanted else None)
        if not fields.get("triage_suggestion") and suggestion is not None:
            fields = {**fields, "triage_suggestion": json.dumps(suggestion, ensure_ascii=False)}
        try:
            order = services.intake(request.user, external_id=str(data.get("external_id", ""))[:60], **fields)
        except ValidationError as exc:
            return _error(exc)
        return Response({**order_json(order, request.user), "triage": suggestion}, status=status.HTTP_201_CREATED)
    access.require_perm(request.user, "hotline.view")
    queue = request.query_params.get("queue", "")
    if queue:
        if queue not in selectors.QUEUES:
            raise NotFound
        _label, fn, perm = selectors.QUEUES[queue]
        access.require_perm(request.user, perm)
        qs = fn(request.user)
    else:
        qs = selectors.orders(request.user)
    params = request.query_params
    qs = selectors.search(qs, q=params.get("q", ""), phone=params.get("phone", ""), state=params.get("state", ""))
    paginator = NewestFirst()
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response([order_json(o, request.user) for o in page])


def _detail(order, request):
    data = order_json(order, request.user)
    data["actions"] = available_actions(request.user, order)
    data["timeline"] = [{"at": e.at, "actor": e.actor_label, "action": e.action, "from": e.from_state,
                         "to": e.to_state, "note": e.note} for e in selectors.timeline(order)]
    return data


@extend_schema(operation_id="hotline_order_retrieve", responses={200: schemas.OrderDetailSerializer,
               403: schemas.HotlineErrorSerializer, 404: schemas.HotlineErrorSerializer}, summary="工单详情、时间线与可做操作")
@api_view(["GET"])
def order_detail(request, pk):
    return Response(_detail(_get(request, pk), request))


def _get(request, pk):
    try:
        return access.get_or_404(request.user, WorkOrder.objects.select_related(*selectors.LIST_RELATED), pk=pk)
    except Http404:
        raise NotFound from None


@extend_schema(operation_id="hotline_order_action", parameters=[schemas.ACTION_PARAMETER],
               request=schemas.ActionRequestSerializer, responses={200: schemas.OrderDetailSerializer, **schemas.ERRORS},
               summary="工单流转操作(所需字段见详情的 actions)")
@api_view(["POST"])
def order_action(request, pk, action):
    order = _get(request, pk)
    try:
        order = perform(action, order, request.user, request.data)
    except Http404:
        raise NotFound from None
    except (InvalidTransition, ValidationError) as exc:
        return _error(exc)
    order = WorkOrder.objects.select_related(*selectors.LIST_RELATED).get(pk=order.pk)
    return Response(_detail(order, request))


urlpatterns = [
    path("orders/", orders, name="orders"),
    path("orders/<int:pk>/", order_detail, name="order"),
    path("orders/<int:pk>/<slug:action>/", order_action, name="order-action"),
]
