from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.exceptions import api_not_found
from common.health import healthz


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every site: point them at ours (it was a 404 on every page)."""
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs"), name="javascript-catalog"),
    path("api/v1/", include("recovery_site.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),  # JSON 404 for unknown API paths, whatever DEBUG says
    path("ops/admin/", admin.site.urls),
    path("", include("notifications.urls")),
    path("", include("groups.urls")),
    path("", include("checkins.urls")),
    path("", include("matching.urls")),
    path("", include("messaging.urls")),
    path("", include("resources.urls")),
    path("", include("plans.urls")),
    path("", include("dashboard.urls")),
    path("", include("members.urls")),
]
