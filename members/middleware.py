import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import Role

PRIVILEGED = {Role.STAFF, Role.CLINICIAN}


def session_mark_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: when this browser session began, for the absolute cap."""
    if request is not None and hasattr(request, "session"):
        request.session["signed_in_at"] = int(time.time())


class IdleSessionTimeoutMiddleware:
    """Staff and clinicians see many people's records: their browser session ends after
    SESSION_IDLE_TIMEOUT_PRIVILEGED seconds without a request (shared clinic computers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "role", None) in PRIVILEGED
            and hasattr(request, "session")
        ):
            now = int(time.time())
            last = request.session.get("last_activity")
            started = request.session.setdefault("signed_in_at", now)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT_PRIVILEGED:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."), fail_silently=True)
            elif now - int(started) > settings.SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED:
                # Beside the idle timeout, an absolute cap: a session left open all day still ends.
                logout(request)
                messages.info(request, _("For your security, please sign in again."), fail_silently=True)
            else:
                request.session["last_activity"] = now
        return self.get_response(request)


# Paths a staff member or clinician who must enrol in two-factor sign-in may still use.
ENROLMENT_PATHS = ("/api/v1/me/two-factor/", "/api/v1/auth/logout/", "/account/two-factor/", "/logout/", "/static/", "/healthz")


def two_factor_gate_allows(path: str) -> bool:
    return path.startswith(ENROLMENT_PATHS)


class TwoFactorEnrolmentMiddleware:
    """Staff and clinicians of an organization that requires two-factor sign-in cannot use
    Kinship until they enrol: pages send them to the set-up page, the API answers 403. (API
    token requests are held by members.tokens.ExpiringTokenAuthentication, which sees the token.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .two_factor import two_factor_missing

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "role", None) in PRIVILEGED
            and not two_factor_gate_allows(request.path)
            and two_factor_missing(user)  # type: ignore[arg-type]
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": TWO_FACTOR_NEEDED}, status=403)
            return redirect("two-factor")
        return self.get_response(request)


TWO_FACTOR_NEEDED = gettext_lazy("Your program requires two-factor sign-in: set it up first (POST /api/v1/me/two-factor/).")


class UserLanguageMiddleware:
    """A signed-in person's own `language` chooses the language of every page and API answer,
    whatever the browser says (after LocaleMiddleware, which serves everyone else)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        return self.get_response(request)
