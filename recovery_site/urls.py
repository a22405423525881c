from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.exceptions import api_not_found
from common.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("recovery_site.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),  # JSON 404 for unknown API paths, whatever DEBUG says
    path("ops/admin/", admin.site.urls),
    path("", include("notifications.urls")),
    path("", include("groups.urls")),
    path("", include("checkins.urls")),
    path("", include("matching.urls")),
    path("", include("resources.urls")),
    path("", include("plans.urls")),
    path("", include("dashboard.urls")),
    path("", include("members.urls")),
]
