"""The home page: what each role does next."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from common.pages import page_view
from common.sections import sections_render

from .. import access, selectors
from ..choices import Role
from ..client_records import client_rows

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
    if user.role == Role.CLIENT:
        profile = selectors.client_profile_get(user=user)
        context["profile"] = profile
        context["care_team"] = list(selectors.care_team_for_client(client=user))
        context["next_steps"] = [
            (url, title, text)
            for url, title, text in [
                (optional_url("checkin"), "Check in", "Thirty seconds: how are you today?"),
                (optional_url("find-mentor"), "Find a peer mentor", "Someone who has walked a similar road."),
                (optional_url("my-groups"), "Join a group", "Peer support, SMART, 12-step and more."),
                (reverse("privacy"), "Choose who sees what", "You decide what your care team can see."),
                (reverse("profile"), "Your profile", "Your goal, paths and times. Change them any time."),
            ]
            if url
        ]
        # Apps above add their cards (plans: her plan and milestones; resources: this week's module).
        context["sections"] = sections_render("home:client", request)
    elif user.role == Role.MENTOR:
        context["profile"] = selectors.mentor_profile_get(user=user)
        context["mentee_count"] = access.clients_visible_to(viewer=user).count()
        context["rows"] = client_rows(viewer=user, clients=list(selectors.client_list_for_viewer(viewer=user)[:HOME_CASELOAD]))
        context["proposals_url"] = optional_url("mentor-proposals")
    elif user.role in (Role.CLINICIAN, Role.FAMILY):
        context["client_count"] = access.clients_visible_to(viewer=user).count()
        context["rows"] = client_rows(viewer=user, clients=list(selectors.client_list_for_viewer(viewer=user)[:HOME_CASELOAD]))
        context["groups_url"] = optional_url("groups-manage" if user.role == Role.CLINICIAN else "my-groups")
    elif user.role == Role.STAFF:
        context["counts"] = selectors.people_counts_for_staff(staff=user)
        context["pending_mentors"] = context["counts"].get("mentors_pending", 0)
        context["matching_url"] = optional_url("matching-runs")
        context["groups_url"] = optional_url("groups-manage")
    return render(request, "members/home.html", context)
