"""OpenAPI descriptions of triage/api.py (the JSON is built by triage.services.suggest)."""

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers


class TriageErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文错误说明")


class SuggestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000, help_text="诉求内容")
    address = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="地址")


SUGGEST_PARAMETERS = [
    OpenApiParameter("text", str, description="诉求内容"),
    OpenApiParameter("address", str, description="地址"),
]


def _choice(name, **extra):
    return inline_serializer(name, {"code": serializers.CharField(), "name": serializers.CharField(),
                                    "score": serializers.FloatField(), **extra}, allow_null=True)


_reason = {"reason": serializers.CharField()}
PLACE = _choice("TriagePlace", **_reason)  # one instance: street, community and compound share the component


class SuggestionSerializer(serializers.Serializer):
    text = serializers.CharField()
    address = serializers.CharField()
    routing = inline_serializer("TriageRouting", {"status": serializers.CharField(),
                                                  "confidence": serializers.FloatField(),
                                                  "reason": serializers.CharField()})
    street = PLACE
    community = PLACE
    compound = PLACE
    category = _choice("TriageCategory", **_reason)
    department = _choice("TriageDepartment", territorial=serializers.BooleanField(), **_reason)
    alternatives = serializers.ListField(child=serializers.DictField(), help_text="其他候选分类 {code, name, score}")
    duplicates = inline_serializer("TriageDuplicate", many=True, fields={
        "id": serializers.IntegerField(), "number": serializers.CharField(help_text="工单编号"),
        "score": serializers.FloatField(), "text_similarity": serializers.FloatField(),
        "same_place": serializers.BooleanField(help_text="同一社区"), "reason": serializers.CharField(),
    }, help_text="可能重复的在办工单(同一社区,社区不明时同一街道;近 7 天;调用者辖区内),得分高的在前")


class FeedbackResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    corrected = serializers.ListField(child=serializers.CharField(), help_text="被话务员改过的字段")


FEEDBACK_ERRORS = {400: TriageErrorSerializer, 403: TriageErrorSerializer}
