"""GET /healthz: database, cache and broker each `ok` or `down`; 503 only without a database."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "down"


def _cache() -> str:
    try:
        cache.set("healthz", "1", 10)
        return "ok" if cache.get("healthz") == "1" else "down"
    except Exception:
        return "down"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok"  # tasks run in-process; there is no broker to be down
    from celery import current_app as app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "down"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    body = {"database": _database(), "cache": _cache(), "broker": _broker()}
    return JsonResponse(body, status=503 if body["database"] == "down" else 200)
