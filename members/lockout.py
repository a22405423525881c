"""django-axes hooks: who a sign-in attempt is for, and what a locked-out caller gets back.

Lock-outs count failures per (email, address). Both sign-in paths must name the email the same
way: the API passes `email=`, Django's login form passes `username=`, and people type
`Maya@Example.org` as often as `maya@example.org`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext_lazy

LOCKED_MESSAGE = gettext_lazy("Too many failed sign-in attempts. Try again in 15 minutes.")


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    value: Any = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        try:
            data: Any = getattr(request, "data", None) or request.POST
            value = data.get("email") or data.get("username")
        except Exception:  # an unreadable body names nobody
            value = None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def lockout_response(request: HttpRequest, credentials: dict[str, Any] | None = None) -> HttpResponse:
    """429 for a locked-out (email, address): JSON for the API, the sign-in page's lock-out
    template for browsers."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_MESSAGE}, status=429)
    from axes.helpers import get_cool_off, get_failure_limit

    # The context axes gives its own lock-out template, plus our message.
    context = {
        "message": LOCKED_MESSAGE,
        "failure_limit": get_failure_limit(request, credentials),
        "username": axes_username(request, credentials) or "",
        "cooloff_timedelta": get_cool_off(request),
    }
    try:
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    except TemplateDoesNotExist:
        return HttpResponse(LOCKED_MESSAGE, status=429, content_type="text/plain; charset=utf-8")


# Beside the (email, address) lock-out, one address may fail only so often in all, whatever the
# emails it tries (L2): guessing across many accounts from one address stops too.
ADDRESS_WINDOW_SECONDS = 15 * 60


def _address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or "unknown"


def _address_key(request: HttpRequest | None) -> str:
    return f"signin-failures:{_address(request)}"


def address_locked(request: HttpRequest | None) -> bool:
    from django.core.cache import cache

    return int(cache.get(_address_key(request), 0)) >= settings.SIGNIN_FAILURES_PER_ADDRESS


def address_failure_record(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    """user_login_failed receiver."""
    from django.core.cache import cache

    key = _address_key(request)
    cache.add(key, 0, ADDRESS_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ADDRESS_WINDOW_SECONDS)


def rate_allows(scope: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """A fixed-window counter in the shared cache: False once `ident` used `limit` in the window."""
    from django.core.cache import cache

    key = f"rate:{scope}:{ident}"
    cache.add(key, 0, window_seconds)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window_seconds)
        used = 1
    return used <= limit


def request_address(request: HttpRequest | None) -> str:
    return _address(request)


INVITATIONS_LIMITED = gettext_lazy("Too many invitations from this address in the last hour. Try again later.")


def invitations_allowed(request: HttpRequest) -> bool:
    """Invitation emails sent from one address (staff adding people, members inviting family):
    at most THROTTLE_INVITE an hour, counted together for the API and the pages."""
    from django.conf import settings

    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["invite"]
    count, _, period = rate.partition("/")
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[period.rstrip("s") or "hour"]
    return rate_allows("invite-address", request_address(request), limit=int(count), window_seconds=seconds)
