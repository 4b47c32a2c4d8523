"""Root URLs: one include per app. Apps own their URL namespaces."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = "守护 Shouhu 管理后台"
admin.site.site_title = "守护 Shouhu"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("places/", include("places.urls")),
    path("hotline/", include("hotline.urls")),
    path("triage/", include("triage.urls")),
    path("community/", include("community.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("supplies/", include("supplies.urls")),
    path("reports/", include("reports.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("shouhu.api_urls")),
    path("open311/", include("interop.open311.urls")),
    path("interop/", include("interop.urls")),
    path("", include("core.urls")),
]
