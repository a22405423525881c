"""Small helpers for the HTML views: role checks, domain errors as HTTP pages, form errors.

Services raise domain errors (common.errors); the API maps them in its exception
handler, the pages map them here: NotVisible -> the 404 page, NotAllowed -> the 403 page,
Invalid/Conflict with a field -> that form field's error message."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from common.errors import Conflict, DomainError, Invalid, NotAllowed, NotVisible


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back where the person came from (`next`, else the referring page of this site)."""
    for candidate in (request.POST.get("next", ""), request.META.get("HTTP_REFERER", "")):
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
            return redirect(candidate)
    return redirect(fallback)


def page_view(
    *roles: str, on_rule_break: str | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """THE page guard. Signed-in users of a program only; with `roles`, only those roles
    (others get 403). Domain errors that escape the view map as the API maps them: NotVisible →
    the 404 page, NotAllowed → the 403 page. With `on_rule_break` (a URL name), an Invalid or
    Conflict that escapes becomes a message on the page the person came from (else that URL)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "organization_id", None) is None:
                raise PermissionDenied(_("This page is for members of a program."))
            if roles and user.role not in roles:  # type: ignore[union-attr]
                raise PermissionDenied(_("This page is not part of your role."))
            try:
                return view(request, *args, **kwargs)
            except NotVisible:
                raise Http404() from None
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from None
            except (Invalid, Conflict) as exc:
                if on_rule_break is None:
                    raise
                messages.error(request, exc.message)
                return redirect_back(request, reverse(on_rule_break))

        return wrapper

    return decorate


def accepts_api_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a page API clients fetch too (a CSV download): `Authorization: Token …` signs this
    one request in, as on /api/ (no session is made); a wrong token is a 401. Put it above
    page_view, which then applies the usual role rules."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0].lower() == "token":
            from rest_framework.authentication import TokenAuthentication
            from rest_framework.exceptions import APIException
            from rest_framework.settings import api_settings

            found = None
            authenticators: list[Any] = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
            for authenticator in authenticators:
                if issubclass(authenticator, TokenAuthentication):  # the API's own token rules (expiry, revocation)
                    try:
                        found = authenticator().authenticate(request)  # type: ignore[arg-type]
                    except APIException as exc:
                        return HttpResponse(str(exc.detail), status=exc.status_code, content_type="text/plain; charset=utf-8")
                    break
            if found is not None:
                request.user = found[0]
        return view(request, *args, **kwargs)

    return wrapper


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's rule break next to the field it names (or at the top of the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def paginate(request: HttpRequest, items: Any, per_page: int = 25) -> Page:
    """Out-of-range or malformed ?page= shows the last or first page instead of failing."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
