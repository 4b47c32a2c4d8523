"""JSON for the intake form: suggestions while the operator types, and what the operator kept."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from triage import schemas
from triage.services import FIELDS, record_feedback, suggest

PERM = "hotline.intake"


class SuggestView(APIView):
    """GET or POST text, address → suggestions (street, community, compound, category, department)."""

    def _handle(self, request, data):
        access.require_perm(request.user, PERM)
        text, address = (data.get("text", ""), data.get("address", "")) if hasattr(data, "get") else (None, None)
        if not isinstance(text, str) or not isinstance(address, str):  # a JSON number or list is not a text
            return Response({"detail": "text 和 address 须为文字。"}, status=status.HTTP_400_BAD_REQUEST)
        return Response(suggest(text[:4000], address[:300], user=request.user))

    @extend_schema(operation_id="triage_suggest", parameters=schemas.SUGGEST_PARAMETERS,
                   responses={200: schemas.SuggestionSerializer, 403: schemas.TriageErrorSerializer}, summary="受理建议")
    def get(self, request):
        return self._handle(request, request.query_params)

    @extend_schema(operation_id="triage_suggest_post", request=schemas.SuggestRequestSerializer,
                   responses={200: schemas.SuggestionSerializer, 400: schemas.TriageErrorSerializer,
                              403: schemas.TriageErrorSerializer},
                   summary="受理建议(长文本用 POST)")
    def post(self, request):
        return self._handle(request, request.data)


class FeedbackSerializer(serializers.Serializer):
    suggestion = serializers.DictField()
    accepted = serializers.DictField(child=serializers.CharField(allow_blank=True))

    def validate_suggestion(self, value):
        """What /suggest returned: texts and {code, …} objects; anything else would fail deep in the service."""
        if any(not isinstance(value.get(k, ""), str) for k in ("text", "address")) or any(
                not isinstance(value.get(k) or {}, dict) for k in FIELDS):
            raise serializers.ValidationError("建议内容格式不正确。")
        return value


class FeedbackView(APIView):
    """POST {"suggestion": <what /suggest returned>, "accepted": {field: code}} → {"id", "corrected"}."""

    @extend_schema(operation_id="triage_feedback", request=FeedbackSerializer,
                   responses={201: schemas.FeedbackResultSerializer, **schemas.FEEDBACK_ERRORS},
                   summary="记录话务员采纳或纠正的结果")
    def post(self, request):
        access.require_perm(request.user, PERM)
        form = FeedbackSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        unknown = set(form.validated_data["accepted"]) - set(FIELDS)
        if unknown:
            return Response({"detail": f"未知字段:{', '.join(sorted(unknown))}"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            feedback = record_feedback(request.user, form.validated_data["suggestion"], form.validated_data["accepted"])
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": feedback.id, "corrected": feedback.corrected_fields}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("suggest", SuggestView.as_view(), name="suggest"),
    path("feedback", FeedbackView.as_view(), name="feedback"),
]
