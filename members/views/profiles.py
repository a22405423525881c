"""Onboarding and the profile pages (members, mentors, everyone's account details)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.pages import add_domain_error, page_view

from .. import selectors, services
from ..choices import Role
from ..forms import (
    DAY_SHORT,
    GOAL_HELP,
    ONBOARDING_STEPS,
    AccountForm,
    MentorProfileForm,
    blocks_from_slots,
    step_data,
    step_initial,
)


@page_view(Role.CLIENT)
def onboarding(request: HttpRequest, step: int | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    profile = selectors.client_profile_get(user=request.user)  # type: ignore[arg-type]
    if step is None:
        return redirect("onboarding-step", step=1)
    if not 1 <= step <= len(ONBOARDING_STEPS):
        raise Http404()
    spec = ONBOARDING_STEPS[step - 1]
    last = step == len(ONBOARDING_STEPS)
    editing = profile.onboarded_at is not None
    if request.method == "POST":
        form = spec["form"](request.POST)
        if form.is_valid():
            data = step_data(step, form, profile)
            if last:
                data["onboarded"] = True
            try:
                services.client_profile_update(actor=request.user, profile=profile, data=data)  # type: ignore[arg-type]
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if editing:
                    # Changing one answer later: save it and go back to the profile.
                    messages.success(request, _("Saved."))
                    return redirect("profile")
                if last:
                    messages.success(request, _("You're all set. Here is what you told us; change anything, any time."))
                    return redirect("profile")
                return redirect("onboarding-step", step=step + 1)
    else:
        form = spec["form"](initial=step_initial(step, profile))
    context = {
        "form": form,
        "step": step,
        "steps": [s["title"] for s in ONBOARDING_STEPS],
        "total": len(ONBOARDING_STEPS),
        "title": spec["title"],
        "last": last,
        "goal_help": GOAL_HELP,
        "days": DAY_SHORT,
        "profile": profile,
        "other_slots": blocks_from_slots(profile.availability)[1] if step == 3 else [],
        "editing": editing,
    }
    return render(request, "members/onboarding.html", context)


@page_view()
def profile(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    account_form = AccountForm(
        initial={
            "display_name": user.display_name,
            "pronouns": user.pronouns,
            "phone": user.phone,
            "timezone": user.timezone,
            "language": user.language,
        }
    )
    mentor_form = None
    if request.method == "POST" and request.POST.get("form") == "account":
        account_form = AccountForm(request.POST)
        if account_form.is_valid():
            try:
                services.user_update_self(user=user, data=account_form.cleaned_data)
            except DomainError as exc:
                add_domain_error(account_form, exc)
            else:
                messages.success(request, _("Your account details are saved."))
                return redirect("profile")
    if user.role == Role.MENTOR:
        mentor = selectors.mentor_profile_get(user=user)
        mentor_form = MentorProfileForm(initial=MentorProfileForm.initial_for(mentor))
        if request.method == "POST" and request.POST.get("form") == "mentor":
            mentor_form = MentorProfileForm(request.POST)
            if mentor_form.is_valid():
                try:
                    services.mentor_profile_update(actor=user, profile=mentor, data=mentor_form.profile_data(mentor))
                except DomainError as exc:
                    add_domain_error(mentor_form, exc)
                else:
                    messages.success(request, _("Your mentor profile is saved."))
                    return redirect("profile")
        context: dict[str, Any] = {"mentor": mentor, "form": mentor_form, "account_form": account_form}
        context["other_slots"] = blocks_from_slots(mentor.availability)[1]
        return render(request, "members/profile_mentor.html", context)
    if user.role != Role.CLIENT:
        return render(request, "members/profile_account.html", {"account_form": account_form})
    client_profile = selectors.client_profile_get(user=user)
    return render(
        request,
        "members/profile_client.html",
        {"profile": client_profile, "account_form": account_form, "steps": [s["title"] for s in ONBOARDING_STEPS]},
    )
