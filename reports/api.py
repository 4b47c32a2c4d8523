"""/api/v1/reports/: the upward summary of a day (JSON, same as the command's) and the KPI table, both
scoped to the caller's jurisdiction exactly like the screens."""

from datetime import date

from django.http import Http404
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from reports import kpi
from reports.views import _cutoff, figures_for, _scope_or_403


@api_view(["GET"])
def daily_summary(request, day):
    """日报上报摘要 for a day: ?cutoff=00:00 (default) or 12:00."""
    try:
        day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    figures, _, _ = figures_for(request.user, day, _cutoff(request))
    return Response({k: v for k, v in figures.items() if k != "labels"})


@api_view(["GET"])
def kpi_table(request):
    """?dimension=unit|street|category&period=day|week|month|quarter&date=YYYY-MM-DD"""
    scope, unit = _scope_or_403(request.user)
    dimension = request.GET.get("dimension", "unit")
    period = request.GET.get("period", "month")
    try:
        anchor = date.fromisoformat(request.GET.get("date", ""))
        result = kpi.table(dimension, period, anchor, scope=scope, within=unit)
    except ValueError as exc:
        return Response({"detail": str(exc) or "参数不正确。"}, status=400)
    return Response({**result, "start": result["start"].isoformat(), "end": result["end"].isoformat()})


urlpatterns = [
    path("daily/<str:day>/", daily_summary, name="daily"),
    path("kpi/", kpi_table, name="kpi"),
]
