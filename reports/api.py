"""/api/v1/reports/: the upward summary of a day (JSON, same as the command's) and the KPI table, both
scoped to the caller's jurisdiction exactly like the screens."""

from datetime import date

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from reports import kpi, schemas
from reports.views import _cutoff, figures_for, _scope_or_403


def _in_range(day):
    """Periods and day windows around the year's edges would step past date.min/max (a 500 otherwise)."""
    return date(2, 1, 1) <= day <= date(9998, 12, 31)


@extend_schema(operation_id="reports_daily_summary", parameters=schemas.DAILY_PARAMETERS,
               responses=schemas.DAILY_RESPONSES, summary="日报上报摘要")
@api_view(["GET"])
def daily_summary(request, day):
    """日报上报摘要 for a day: ?cutoff=00:00 (default) or 12:00."""
    try:
        day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if not _in_range(day):
        return Response({"detail": "日期超出范围。"}, status=400)
    figures, _, _ = figures_for(request.user, day, _cutoff(request))
    return Response({k: v for k, v in figures.items() if k != "labels"})


@extend_schema(operation_id="reports_kpi_table", parameters=schemas.KPI_PARAMETERS, responses=schemas.KPI_RESPONSES,
               summary="考核指标表")
@api_view(["GET"])
def kpi_table(request):
    """?dimension=unit|street|category&period=day|week|month|quarter&date=YYYY-MM-DD"""
    scope, unit = _scope_or_403(request.user)
    dimension = request.GET.get("dimension", "unit")
    period = request.GET.get("period", "month")
    try:
        anchor = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return Response({"detail": "日期格式应为 YYYY-MM-DD。"}, status=400)
    if not _in_range(anchor):
        return Response({"detail": "日期超出范围。"}, status=400)
    try:
        result = kpi.table(dimension, period, anchor, scope=scope, within=unit)
    except ValueError as exc:
        return Response({"detail": str(exc) or "参数不正确。"}, status=400)
    return Response({**result, "start": result["start"].isoformat(), "end": result["end"].isoformat()})


urlpatterns = [
    path("daily/<str:day>/", daily_summary, name="daily"),
    path("kpi/", kpi_table, name="kpi"),
]
