from django.http import HttpResponse
from django.urls import path

app_name = "supplies"


def _todo(request, *args, **kwargs):  # replaced by real screens in the next commit
    return HttpResponse("")


urlpatterns = [
    path("stock/<str:code>/", _todo, name="stock"),
    path("needs/<str:code>/", _todo, name="need_detail"),
    path("allocations/<str:code>/", _todo, name="allocation_detail"),
]
