"""JSON for the intake form: suggestions while the operator types, and what the operator kept."""

from django.urls import path
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from triage.services import FIELDS, record_feedback, suggest

PERM = "hotline.intake"


class SuggestView(APIView):
    """GET or POST text, address → suggestions (street, community, compound, category, department)."""

    def _handle(self, request, data):
        access.require_perm(request.user, PERM)
        return Response(suggest(data.get("text", "")[:4000], data.get("address", "")[:300]))

    def get(self, request):
        return self._handle(request, request.query_params)

    def post(self, request):
        return self._handle(request, request.data)


class FeedbackSerializer(serializers.Serializer):
    suggestion = serializers.DictField()
    accepted = serializers.DictField(child=serializers.CharField(allow_blank=True))


class FeedbackView(APIView):
    """POST {"suggestion": <what /suggest returned>, "accepted": {field: code}} → {"id", "corrected"}."""

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
