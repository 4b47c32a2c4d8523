"""OpenAPI descriptions of reports/api.py (the JSON is built by reports.daily / reports.kpi)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ReportsErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文错误说明")


DAILY_PARAMETERS = [
    OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="日期 YYYY-MM-DD;不合法时 404"),
    OpenApiParameter("cutoff", str, enum=["00:00", "12:00"], description="统计截止时点,默认 00:00"),
]
DAILY_RESPONSES = {
    200: OpenApiResponse(OpenApiTypes.OBJECT, description="日报上报摘要:各项数字(与 report_daily 命令的 JSON 相同)"),
    400: ReportsErrorSerializer, 403: ReportsErrorSerializer, 404: ReportsErrorSerializer,
}

KPI_PARAMETERS = [
    OpenApiParameter("dimension", str, enum=["unit", "street", "category"], default="unit"),
    OpenApiParameter("period", str, enum=["day", "week", "month", "quarter"], default="month"),
    OpenApiParameter("date", OpenApiTypes.DATE, required=True, description="所在周期内的任一天"),
]


class KpiTableSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    rows = serializers.ListField(child=serializers.DictField(), help_text="每个单位/街道/分类一行的指标")


KPI_RESPONSES = {200: KpiTableSerializer, 400: ReportsErrorSerializer, 403: ReportsErrorSerializer}
