from django.urls import path

from interop import views

app_name = "interop"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("deadletters/<int:pk>/retry/", views.retry, name="retry"),
    path("deadletters/retry-all/", views.retry_all, name="retry_all"),
]
