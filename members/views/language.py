"""The footer's language switch: for everyone, a cookie; for a signed-in person, her own
`language` too, so emails, texts and notifications follow."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.pages import redirect_back

from .. import services


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Choose English or Spanish."), content_type="text/plain; charset=utf-8")
    user: Any = request.user
    if user.is_authenticated:
        services.user_update_self(user=user, data={"language": language})
    translation.activate(language)
    response = redirect_back(request, "home" if user.is_authenticated else "landing")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
