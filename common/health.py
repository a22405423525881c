"""GET /healthz: database, cache, broker and beat each `ok` or `down`; 503 only without a
database. Checks common cannot make itself (whether beat's planners run is the outbox's
knowledge) are registered by the app that can (`health_check_register`, from its ready())."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

_checks: dict[str, Callable[[], str]] = {}


def health_check_register(name: str, check: Callable[[], str]) -> None:
    """`check` returns "ok" or "down" (and should not raise: a raise counts as "down")."""
    _checks[name] = check


def _registered(name: str) -> str:
    check = _checks.get(name)
    if check is None:
        return "down"  # nothing says it runs
    try:
        return "ok" if check() == "ok" else "down"
    except Exception:
        return "down"


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
    database = _database()
    body = {
        "database": database,
        "cache": _cache(),
        "broker": _broker(),
        # No database, no record of the planners: beat cannot be shown to run.
        "beat": _registered("beat") if database == "ok" else "down",
    }
    for name in sorted(_checks.keys() - body.keys()):
        body[name] = _registered(name)
    return JsonResponse(body, status=503 if body["database"] == "down" else 200)
