"""REST API, mounted at /api/v1/hotline/. Same access rules and services as the screens.

GET  orders/                 the user's orders (scoped), newest first; ?q= ?phone= ?state= ?queue=inbox|…
POST orders/                 intake (hotline.intake)
GET  orders/<id>/            one order with its timeline and the moves available to the caller
POST orders/<id>/<action>/   a move: answer, dispatch, accept, return, subdispatch, request_extension,
                             decide_extension, reply, send_back, signoff, approve, reject, callback, redo,
                             urge, supervise, merge, cancel (fields as in hotline/forms.py ACTION_FIELDS)
Errors: 400 bad input, 403 wrong role, 404 missing or outside the jurisdiction, 409 the order moved on.
Person data is always masked here; 保密 callers come back empty to units. Reveal goes through /reveal/.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from accounts import access
from core.person import mask_name, mask_phone
from hotline import selectors, services
from hotline.forms import perform
from hotline.models import Category, Channel, OrderType, Urgency, WorkOrder
from hotline.workflow import InvalidTransition, available_actions


class OrderSerializer(serializers.ModelSerializer):
    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.code")
    lead_unit = serializers.CharField(source="lead_unit.code", default=None)
    community = serializers.CharField(source="community.code", default=None)
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = WorkOrder
        fields = ["id", "number", "channel", "caller_name", "caller_phone", "anonymous", "address", "content",
                  "order_type", "category", "epidemic", "urgency", "major", "state", "state_label", "lead_unit",
                  "community", "received_at", "dispatched_at", "accept_due", "accepted_at", "reply_due",
                  "replied_at", "warning", "reply_text", "signed_by_name", "signed_at", "callback_result",
                  "supervised", "urge_count", "external_id"]

    def _hidden(self, order):
        return order.anonymous and not order.can_reveal(self.context["request"].user, "caller_phone")

    def get_caller_name(self, order):
        return None if self._hidden(order) else mask_name(order.caller_name)

    def get_caller_phone(self, order):
        return None if self._hidden(order) else mask_phone(order.caller_phone)


class IntakeSerializer(serializers.Serializer):
    content = serializers.CharField()
    order_type = serializers.ChoiceField(choices=OrderType.choices)
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.filter(active=True))
    caller_name = serializers.CharField(required=False, allow_blank=True, default="")
    caller_phone = serializers.CharField(required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WECHAT)
    epidemic = serializers.BooleanField(required=False, default=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    major = serializers.BooleanField(required=False, default=False)
    external_id = serializers.CharField(required=False, allow_blank=True, default="")


class NewestFirst(CursorPagination):
    ordering = "-id"  # ids grow with intake: a keyset page costs the same at any depth
    page_size = 50


def _error(exc):
    if isinstance(exc, InvalidTransition):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return Response({"detail": ";".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


@api_view(["GET", "POST"])
def orders(request):
    if request.method == "POST":
        serializer = IntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            order = services.intake(request.user, **serializer.validated_data)
        except ValidationError as exc:
            return _error(exc)
        return Response(OrderSerializer(order, context={"request": request}).data, status=status.HTTP_201_CREATED)
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
    return paginator.get_paginated_response(OrderSerializer(page, many=True, context={"request": request}).data)


def _detail(order, request):
    data = OrderSerializer(order, context={"request": request}).data
    data["actions"] = available_actions(request.user, order)
    data["timeline"] = [{"at": e.at, "actor": e.actor_label, "action": e.action, "from": e.from_state,
                         "to": e.to_state, "note": e.note} for e in selectors.timeline(order)]
    return data


@api_view(["GET"])
def order_detail(request, pk):
    return Response(_detail(_get(request, pk), request))


def _get(request, pk):
    try:
        return access.get_or_404(request.user, WorkOrder.objects.select_related(*selectors.LIST_RELATED), pk=pk)
    except Http404:
        raise NotFound from None


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
