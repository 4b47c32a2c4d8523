from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("audit/", views.audit_log, name="audit"),
    path("reveal/", views.reveal, name="reveal"),
    path("healthz", views.healthz, name="healthz"),
]
