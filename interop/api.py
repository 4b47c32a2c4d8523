"""/api/v1/interop/: the upper-level platform's exchange (push an order in, read statuses back in bulk)
and "who am I" for a key. Authenticated by API key (or session); scoped through accounts.access."""

import csv
import io

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, renderers, serializers, status
from rest_framework.exceptions import NotFound, ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from hotline.models import OrderType, Urgency, WorkOrder
from interop import services
from interop.services.upper import status_row
from interop.models import ApiKey, UpperOrder


class CSVRenderer(renderers.BaseRenderer):
    """The bulk status export as CSV (UTF-8 with BOM, so Excel opens it right)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        out = io.StringIO()
        if rows and isinstance(rows[0], dict):
            writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
            writer.writeheader()
            writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")


class UpperOrderIn(serializers.Serializer):
    platform_number = serializers.CharField(max_length=60, help_text="上级平台工单编号(重复推送按此去重)")
    content = serializers.CharField(max_length=4000, help_text="诉求内容")
    deadline = serializers.DateTimeField(required=False, allow_null=True, help_text="上级平台办结时限")
    category = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                     help_text="分类编码或名称,不识别时归入“其他”")
    order_type = serializers.ChoiceField(OrderType.choices, required=False, default=OrderType.HELP)
    urgency = serializers.ChoiceField(Urgency.choices, required=False, default=Urgency.NORMAL)
    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    caller_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class StatusOut(serializers.Serializer):
    platform_number = serializers.CharField()
    number = serializers.CharField(help_text="区工单编号")
    state = serializers.CharField()
    state_label = serializers.CharField()
    status = serializers.ChoiceField(["open", "closed"])
    lead_unit = serializers.CharField()
    platform_deadline = serializers.DateTimeField(allow_null=True)
    reply_due = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    reply_text = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)


class UpperOrderPush(APIView):
    @extend_schema(request=UpperOrderIn, responses={201: StatusOut, 200: StatusOut}, operation_id="upper_order_push",
                   tags=["interop"], summary="上级平台推送工单(按上级编号幂等)")
    def post(self, request):
        data = UpperOrderIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            upper, created = services.receive_order(request.user, payload=_jsonable(request.data),
                                                    **data.validated_data)
        except DjangoValidationError as exc:
            raise ApiValidationError({"detail": exc.messages}) from None
        body = StatusOut(status_row(upper)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class UpperOrderDetail(APIView):
    @extend_schema(responses=StatusOut, operation_id="upper_order_status", tags=["interop"], summary="一张上级平台工单的办理状态")
    def get(self, request, platform_number):
        if "\x00" in platform_number:  # PostgreSQL text cannot hold NUL: no such order
            raise NotFound
        orders = access.scope(request.user, WorkOrder.objects.all(),
                              perm="hotline.view")
        upper = generics.get_object_or_404(UpperOrder.objects.select_related("order__lead_unit"),
                                           platform_number=platform_number, order__in=orders.values("id"))
        return Response(StatusOut(status_row(upper)).data)


class StatusExport(APIView):
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    @extend_schema(
        responses={(200, "application/json"): StatusOut(many=True), (200, "text/csv"): OpenApiTypes.STR},
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="只导出此后有变动的工单"),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="导出格式"),
        ],
        operation_id="upper_status_export", tags=["interop"], summary="上级平台工单状态批量导出(推送失败时的兜底)",
    )
    def get(self, request):
        since = None
        if request.query_params.get("since"):
            field = serializers.DateTimeField()
            try:
                since = field.to_internal_value(request.query_params["since"])
            except serializers.ValidationError:
                raise ApiValidationError({"since": ["since 须为 ISO 8601 日期时间。"]}) from None
        rows = services.status_export(request.user, since=since)
        return Response(StatusOut(rows, many=True).data)


class KeyOut(serializers.Serializer):
    account = serializers.CharField()
    unit = serializers.CharField()
    unit_code = serializers.CharField()
    role = serializers.CharField()
    key_prefix = serializers.CharField(allow_null=True)


class WhoAmI(APIView):
    @extend_schema(responses=KeyOut, operation_id="interop_whoami", tags=["interop"], summary="当前凭据对应的账号与单位")
    def get(self, request):
        key = request.auth if isinstance(request.auth, ApiKey) else None
        memberships = access.memberships(request.user)
        first = memberships[0] if memberships else None
        return Response(KeyOut({
            "account": key.account.name if key else request.user.get_username(),
            "unit": first.unit.name if first else "",
            "unit_code": first.unit.code if first else "",
            "role": first.role if first else "",
            "key_prefix": key.prefix if key else None,
        }).data)


def _jsonable(data):
    return {k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v)) for k, v in data.items()}


urlpatterns = [
    path("whoami", WhoAmI.as_view(), name="whoami"),
    path("upper/orders", UpperOrderPush.as_view(), name="upper-orders"),
    path("upper/orders/<str:platform_number>", UpperOrderDetail.as_view(), name="upper-order"),
    path("upper/status", StatusExport.as_view(), name="upper-status"),
]
