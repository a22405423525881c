"""/api/v1/: the HTTP contract of ../shared/API.md. Each app keeps its own routes in `<app>/api_urls.py`."""

from django.urls import include, path, register_converter

from common.converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("members.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("groups.api_urls")),
    path("", include("checkins.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("messaging.api_urls")),
    path("", include("resources.api_urls")),
    path("", include("plans.api_urls")),
    path("", include("dashboard.api_urls")),
]
