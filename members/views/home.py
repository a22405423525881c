"""The home page: what each role does next."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from common.pages import page_view
from common.sections import sections_render

from .. import access, selectors
from ..choices import CareRole, Role
from ..client_records import client_rows
from ..pronouns import pronouns_for

HOME_CASELOAD = 8  # members shown on a clinician's home page; the rest are on /clients/


def optional_url(name: str, **kwargs: Any) -> str | None:
    """The URL of a page another app may or may not provide yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


@page_view()
def home(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    context: dict[str, Any] = {}
    family_home = optional_url("family-home") if user.role == Role.FAMILY else None
    if family_home:
        return redirect(family_home)  # one calm page of their own (dashboard.views_family)
    if user.role == Role.CLIENT:
        profile = selectors.client_profile_get(user=user)
        context["profile"] = profile
        context["care_team"] = care_team = list(selectors.care_team_for_client(client=user))
        mentor = next((m.member for m in care_team if m.role == CareRole.MENTOR), None)
        # Matched: the next step is talking to him, by name, not finding someone.
        mentor_step = (
            (
                optional_url("conversation-with", user_id=mentor.pk),
                _("Message %(name)s") % {"name": mentor.display_name},
                {
                    "she": _("Your peer mentor. Say hello, or tell her how today is going."),
                    "he": _("Your peer mentor. Say hello, or tell him how today is going."),
                }.get(pronouns_for(mentor)[0], _("Your peer mentor. Say hello, or tell them how today is going.")),
            )
            if mentor is not None
            else (optional_url("find-mentor"), _("Find a peer mentor"), _("Someone who has walked a similar road."))
        )
        context["next_steps"] = [
            (url, title, text)
            for url, title, text in [
                (optional_url("checkin"), _("Check in"), _("Thirty seconds: how are you today?")),
                mentor_step,
                (optional_url("my-groups"), _("Join a group"), _("Peer support, SMART, 12-step and more.")),
                (
                    reverse("privacy"),
                    _("Choose who sees what"),
                    _("You decide what your care team can see, and invite your family."),
                ),
                (optional_url("testing"), _("Testing"), _("Record a breath or urine test; see it against your own goal.")),
                (reverse("profile"), _("Your profile"), _("Your goal, paths and times. Change them any time.")),
            ]
            if url
        ]
        # Apps above add their cards (plans: her plan and milestones; resources: this week's module).
        context["sections"] = sections_render("home:client", request)
    elif user.role == Role.MENTOR:
        context["sections"] = sections_render("home:mentor", request)
        context["profile"] = selectors.mentor_profile_get(user=user)
        context["mentee_count"] = access.clients_visible_to(viewer=user).count()
        context["rows"] = client_rows(viewer=user, clients=list(selectors.client_list_for_viewer(viewer=user)[:HOME_CASELOAD]))
        context["proposals_url"] = optional_url("mentor-proposals")
    elif user.role in (Role.CLINICIAN, Role.FAMILY):
        context["sections"] = sections_render(f"home:{user.role}", request)
        context["client_count"] = access.clients_visible_to(viewer=user).count()
        context["rows"] = client_rows(viewer=user, clients=list(selectors.client_list_for_viewer(viewer=user)[:HOME_CASELOAD]))
        context["groups_url"] = optional_url("groups-manage" if user.role == Role.CLINICIAN else "my-groups")
    elif user.role == Role.STAFF:
        context["counts"] = selectors.people_counts_for_staff(staff=user)
        context["pending_mentors"] = context["counts"].get("mentors_pending", 0)
        context["matching_url"] = optional_url("matching-runs")
        context["groups_url"] = optional_url("groups-manage")
    return render(request, "members/home.html", context)
