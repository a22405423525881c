import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from .choices import Role

PRIVILEGED = {Role.STAFF, Role.CLINICIAN}


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
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT_PRIVILEGED:
                logout(request)
                messages.info(request, "You were signed out after a period of inactivity.", fail_silently=True)
            else:
                request.session["last_activity"] = now
        return self.get_response(request)
