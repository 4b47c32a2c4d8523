"""OpenAPI descriptions of hotline/api.py. The views build their JSON by hand (cheaper than a ModelSerializer
at intake volume); these serializers only describe it for drf-spectacular, they validate nothing."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from hotline.forms import ACTION_FIELDS
from hotline.models import Channel, OrderType, Urgency
from hotline.selectors import QUEUES
from triage.schemas import SuggestionSerializer


class HotlineErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文错误说明")


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    channel = serializers.CharField()
    anonymous = serializers.BooleanField()
    address = serializers.CharField()
    content = serializers.CharField()
    order_type = serializers.CharField()
    epidemic = serializers.BooleanField()
    urgency = serializers.CharField()
    major = serializers.BooleanField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    dispatched_at = serializers.DateTimeField(allow_null=True)
    accept_due = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    reply_due = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    warning = serializers.CharField()
    reply_text = serializers.CharField()
    signed_by_name = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    callback_result = serializers.CharField()
    supervised = serializers.BooleanField()
    urge_count = serializers.IntegerField()
    external_id = serializers.CharField()
    caller_name = serializers.CharField(allow_null=True, help_text="脱敏;保密来电对承办单位为 null")
    caller_phone = serializers.CharField(allow_null=True, help_text="脱敏;保密来电对承办单位为 null")
    category = serializers.CharField(help_text="分类编码")
    lead_unit = serializers.CharField(allow_null=True, help_text="主办单位编码")
    community = serializers.CharField(allow_null=True, help_text="社区编码")


# "from" is a Python keyword, hence the inline form.
TIMELINE = inline_serializer("HotlineTimelineEvent", many=True, fields={
    "at": serializers.DateTimeField(), "actor": serializers.CharField(), "action": serializers.CharField(),
    "from": serializers.CharField(), "to": serializers.CharField(), "note": serializers.CharField(),
})


class ActionFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    initial = serializers.CharField()


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    tone = serializers.CharField()
    fields = ActionFieldSerializer(many=True)


class IntakeResultSerializer(OrderSerializer):
    triage = SuggestionSerializer(allow_null=True, help_text=(
        "受理时的分拣建议:街道/社区(附理由)、分类(得分)、承办部门、可能重复的在办工单(得分)。"
        "仅供参考,工单按请求中的分类受理;建议与实际采用的分类作为训练数据记录。分拣出错时为 null,工单照常受理。"))


class OrderDetailSerializer(OrderSerializer):
    actions = ActionSerializer(many=True, help_text="调用者此刻可做的操作")
    timeline = TIMELINE


class OrderPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OrderSerializer(many=True)


class IntakeSerializer(serializers.Serializer):
    caller_phone = serializers.CharField(required=False, max_length=30)
    caller_name = serializers.CharField(required=False, max_length=50)
    anonymous = serializers.BooleanField(required=False)
    order_type = serializers.ChoiceField(choices=OrderType.choices)
    category = serializers.CharField(help_text="分类编码")
    content = serializers.CharField()
    address = serializers.CharField(required=False, max_length=300)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.WECHAT)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    epidemic = serializers.BooleanField(required=False)
    major = serializers.BooleanField(required=False)
    external_id = serializers.CharField(required=False, max_length=60, help_text="对方系统的编号")
    triage_suggestion = serializers.CharField(required=False, help_text=(
        "调用方先调 /api/v1/triage/suggest 并把结果给话务员看过时:原样传回那份建议(JSON),记录的是它;"
        "不传则记录服务端受理时算出的建议"))


ACTION_NAMES = list(ACTION_FIELDS)

# Every field any move reads; which ones a move needs is in the order's "actions".
ActionRequestSerializer = inline_serializer("HotlineActionRequest", fields={
    name: (serializers.ListField(child=serializers.CharField(), required=False) if kind == "units"
           else serializers.CharField(required=False, help_text=label))
    for fields in ACTION_FIELDS.values() for name, label, kind, _required in fields
})

ORDER_LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="工单编号或内容"),
    OpenApiParameter("phone", str, description="来电号码(精确)"),
    OpenApiParameter("state", str, description="状态"),
    OpenApiParameter("queue", str, enum=list(QUEUES), description="待办队列;无对应权限时 403"),
    OpenApiParameter("cursor", str, description="翻页游标(取自 next/previous)"),
]
TRIAGE_PARAMETER = OpenApiParameter("triage", str, enum=["1", "0"], description=(
    "1:同时计算并返回分拣建议(供话务员查看的客户端;每单约多 10 ms 计算,建议作为训练数据记录)。"
    "默认 0:不计算(市民渠道、批量接入无人查看;响应中 triage 为 null)"))
ACTION_PARAMETER = OpenApiParameter("action", str, OpenApiParameter.PATH, enum=ACTION_NAMES)
ERRORS = {400: HotlineErrorSerializer, 403: HotlineErrorSerializer, 404: HotlineErrorSerializer, 409: HotlineErrorSerializer}
FORM_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="表单错误:{字段: [中文说明]};或 {detail: 中文说明}")
