from django.urls import path

from reports import kpi_views, unit_report_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="home"),
    path("daily/", views.index, name="index"),
    path("daily/<str:day>/", views.daily_report, name="daily"),
    path("daily/<str:day>/download.<str:fmt>", views.daily_download, name="daily_download"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/unit/<str:code>/", views.unit_dashboard, name="unit"),
    path("dashboard/community/<str:code>/", views.community_dashboard, name="community"),
    path("unit-reports/", unit_report_views.status, name="unit_reports"),
    path("unit-reports/<int:pk>/", unit_report_views.submit, name="unit_report"),
    path("kpi/", kpi_views.kpi_table, name="kpi"),
]
