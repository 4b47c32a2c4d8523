from django.urls import path

from core.dbrouter import on_replica
from reports import kpi_views, unit_report_views, views

app_name = "reports"
# Read-only screens read from the replica when one is configured (core/dbrouter.py).
urlpatterns = [
    path("", on_replica(views.dashboard), name="home"),
    path("daily/", views.index, name="index"),
    path("daily/<str:day>/", on_replica(views.daily_report), name="daily"),
    path("daily/<str:day>/download.<str:fmt>", on_replica(views.daily_download), name="daily_download"),
    path("dashboard/", on_replica(views.dashboard), name="dashboard"),
    path("dashboard/unit/<str:code>/", on_replica(views.unit_dashboard), name="unit"),
    path("dashboard/community/<str:code>/", on_replica(views.community_dashboard), name="community"),
    path("unit-reports/", unit_report_views.status, name="unit_reports"),
    path("unit-reports/<int:pk>/", unit_report_views.submit, name="unit_report"),
    path("kpi/", on_replica(kpi_views.kpi_table), name="kpi"),
]
