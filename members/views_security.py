"""Account security pages: two-factor sign-in (set up, recovery codes, turn off), the program's
two-factor requirement (staff), and changing the password. Thin: forms in, services out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.pages import add_domain_error, page_view

from . import services, two_factor
from .choices import Role
from .forms import PasswordChangeForm, TwoFactorCodeForm
from .lockout import rate_allows, request_address


@page_view()
def two_factor_page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    code_form = TwoFactorCodeForm()
    context: dict[str, Any] = {}
    if action == "start":
        secret, url = two_factor.two_factor_start(user=user)
        # In groups of four, as authenticator apps show and accept it.
        context.update(secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), otpauth_url=url)
    elif action in ("confirm", "disable"):
        code_form = TwoFactorCodeForm(request.POST)
        if code_form.is_valid():
            try:
                if action == "confirm":
                    context["recovery_codes"] = two_factor.two_factor_confirm(user=user, code=code_form.cleaned_data["code"])
                    messages.success(request, _("Two-factor sign-in is on. Keep your recovery codes somewhere safe."))
                else:
                    two_factor.two_factor_disable(user=user, code=code_form.cleaned_data["code"])
                    messages.success(request, _("Two-factor sign-in is off."))
                    return redirect("two-factor")
            except DomainError as exc:
                add_domain_error(code_form, exc)
                if action == "confirm":
                    context["confirming"] = True
    elif action == "require" and user.role == Role.STAFF:
        services.organization_settings_update(actor=user, require_two_factor=request.POST.get("require") == "on")
        messages.success(request, _("The program's sign-in setting is saved."))
        return redirect("two-factor")
    user.organization.refresh_from_db()
    context.update(
        enabled=two_factor.two_factor_enabled(user),
        required=two_factor.two_factor_required(user),
        code_form=code_form,
        is_staff=user.role == Role.STAFF,
        org_requires=user.organization.require_two_factor,
    )
    return render(request, "members/two_factor.html", context)


@page_view()
def password_change_page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user, current_password=form.cleaned_data["current_password"], new_password=form.cleaned_data["new_password"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            update_session_auth_hash(request, user)  # this browser stays signed in; the others end
            messages.success(request, _("Your password is changed. Other devices were signed out."))
            return redirect("profile")
    return render(request, "members/password_change.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset flow, with limits per address and per email (L2). Past a limit the page
    still says "sent" (it never tells whether an address has an account) but sends nothing."""

    template_name = "registration/password_reset_form.html"

    def form_valid(self, form: Any) -> HttpResponse:
        email = (form.cleaned_data.get("email") or "").strip().lower()
        by_address = rate_allows(
            "reset-address", request_address(self.request), limit=settings.PASSWORD_RESETS_PER_ADDRESS, window_seconds=3600
        )
        by_email = rate_allows("reset-email", email, limit=settings.PASSWORD_RESETS_PER_EMAIL, window_seconds=3600)
        if not (by_address and by_email):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
