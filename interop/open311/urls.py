"""/open311/v2/: GeoReport v2 with the format as the suffix (.xml or .json)."""

from django.urls import re_path

from interop.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>xml|json)$"
urlpatterns = [
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<number>[^/]+?)" + FMT, views.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + FMT, views.token, name="token"),
    re_path(r"^v2/servicerequestupdates" + FMT, views.updates, name="updates"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
