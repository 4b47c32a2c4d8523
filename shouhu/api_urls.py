"""/api/v1/: each app contributes its API routes in its own api.py (`urlpatterns`)."""

from importlib import import_module

from django.urls import include, path

API_APPS = ["accounts", "places", "hotline", "triage", "community", "volunteers", "supplies", "reports", "interop"]

urlpatterns = []
for _app in API_APPS:
    try:
        _module = import_module(f"{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_app}.api":
            raise
        continue
    if getattr(_module, "urlpatterns", None):
        urlpatterns.append(path(f"{_app}/", include((_module.urlpatterns, f"{_app}-api"))))
