from django.urls import path

app_name = "interop"
urlpatterns = []
