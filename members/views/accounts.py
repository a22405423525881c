"""Public pages and accounts: landing, sign in and out, sign up, download my data, close my account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.pages import add_domain_error, page_view

from .. import selectors, services
from ..choices import Goal, Role
from ..exports import export_everything, readable_sections
from ..forms import GOAL_HELP, SignInForm, SignUpForm
from ..lockout import address_locked, lockout_response, rate_allows, request_address


def landing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "members/landing.html", {"goals": [(g.value, g.label, GOAL_HELP[g.value]) for g in Goal]})


SIGNUPS_PER_ADDRESS_HOUR = 30


class LoginView(auth_views.LoginView):
    form_class = SignInForm  # type: ignore[assignment]
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "email": self.request.GET.get("email", "")[:254]}

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user: Any = self.request.user
        if url == resolve_url(settings.LOGIN_REDIRECT_URL) and user.role == Role.CLIENT:
            step = selectors.onboarding_resume_step(user=user)
            if step is not None:  # signing in half-way through onboarding: pick it up again
                messages.info(self.request, _("Welcome back. Let's pick up where you left off."))
                return reverse("onboarding-step", args=[step])
        return url

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_locked(request):  # too many failures from this address, whatever the emails
            return lockout_response(request)
        return super().post(request, *args, **kwargs)


def logout_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        messages.success(request, _("You are signed out. Take care."))
        return redirect("landing")
    if not request.user.is_authenticated:
        return redirect("landing")
    return render(request, "registration/logout_confirm.html")


def signup(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not rate_allows("signup-address", request_address(request), limit=SIGNUPS_PER_ADDRESS_HOUR, window_seconds=3600):
                form.add_error(None, _("Too many sign-ups from here in the last hour. Please try again later."))
                return render(request, "registration/signup.html", {"form": form}, status=429)
            try:
                services.client_signup(
                    organization_slug=data["organization"],
                    email=data["email"],
                    password=data["password"],
                    display_name=data["display_name"],
                    timezone_name=data["timezone"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                # The same next page whether or not the email already had an account (M6): a new
                # member signs in once and goes on to onboarding; the owner of a taken address got an email.
                messages.success(
                    request,
                    _(
                        "Your account is ready. Sign in to continue. (If this email already had an account, we emailed it instead.)"
                    ),
                )
                return redirect(
                    f"{reverse('login')}?{urlencode({'email': data['email'], 'next': reverse('onboarding-step', args=[1])})}"
                )
    else:
        form = SignUpForm(initial={"organization": request.GET.get("org", "")[:50]})
    return render(request, "registration/signup.html", {"form": form})


@page_view()
def account_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Everything Kinship holds about the signed-in person (the same export as the API)."""
    response = JsonResponse(export_everything(request.user), json_dumps_params={"indent": 2})  # type: ignore[arg-type]
    response["Content-Disposition"] = 'attachment; filename="kinship-my-data.json"'
    return response


@page_view()
def account_data(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The same export, as a page a person can read and print (the § 2.32 notice on top)."""
    data = export_everything(request.user)  # type: ignore[arg-type]
    notice = data.pop("redisclosure_notice")
    return render(request, "members/my_data.html", {"notice": notice, "sections": readable_sections(data)})


@require_POST
@page_view(Role.CLIENT, Role.FAMILY)
def account_close(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want to close your account."))
        return redirect("profile")
    services.account_delete(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("Your account is closed and your sharing has ended. Take good care of yourself."))
    return redirect("landing")
