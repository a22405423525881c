"""Web pages of the matching app. They call the same selectors and services as the API, behind
the one page guard (common.pages.page_view): a rule break the service raises becomes a message
on the page the person came from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from common.errors import Conflict, DomainError, Invalid
from common.pages import page_view
from members.choices import Role

from . import selectors, services
from .models import ContactMode, MatchStatus
from .reason_words import reasons_say, reasons_say_to_mentor
from .scoring import LANGUAGE_NAMES, PATHWAY_PHRASES

PATHWAY_LABELS = {
    "twelve_step": gettext_lazy("12-step"),
    "smart": "SMART Recovery",
    "moud": gettext_lazy("Medication-supported"),
    "harm_reduction": gettext_lazy("Harm reduction"),
    "faith_based": gettext_lazy("Faith-based"),
    "secular": gettext_lazy("Secular"),
    "other": gettext_lazy("Other"),
}
FORMAT_LABELS = {
    "in_person": gettext_lazy("In person"),
    "video": gettext_lazy("Video"),
    "phone": gettext_lazy("Phone"),
    "text": gettext_lazy("Text"),
}


def _flash_error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message or _("That did not work. Please try again."))


def _labels(values: list[str], names: Mapping[str, Any]) -> list[str]:
    return [str(names.get(v, v)) for v in values or []]


# --- client: find a mentor ------------------------------------------------------------------


@page_view(Role.CLIENT, Role.FAMILY)
def find_mentor(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = selectors.current_match_for_client(client=user)
    open_request = selectors.open_request_for_client(client=user)
    suggestions = []
    if open_request is not None and current is None:
        for s in selectors.suggestions_for_request(request=open_request, limit=5):
            s.mentor["pathway_labels"] = _labels(s.mentor["pathways"], PATHWAY_LABELS)
            s.mentor["language_labels"] = _labels(s.mentor["languages"], LANGUAGE_NAMES)
            s.mentor["format_labels"] = _labels(s.mentor["formats"], FORMAT_LABELS)
            s.reasons = reasons_say(s.reasons)
            suggestions.append(s)
    history = [
        m for m in selectors.recent_matches_for_client(client=user) if m.status not in (MatchStatus.PROPOSED, MatchStatus.ACTIVE)
    ]
    return render(
        request,
        "matching/find_mentor.html",
        {
            "current": current,
            "current_reasons": reasons_say(selectors.current_match_reasons(match=current)) if current else [],
            "open_request": open_request,
            "suggestions": suggestions,
            "history": history[:3],
            "profile_incomplete": user.role == Role.CLIENT and selectors.matching_profile_incomplete(client=user),
            "family": user.role == Role.FAMILY,
            "tz": user.timezone,
            "ratings": range(1, 6),
        },
    )


@require_POST
@page_view(Role.CLIENT, Role.FAMILY, on_rule_break="find-mentor")
def request_create(request: HttpRequest) -> HttpResponse:
    services.match_request_create(client=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Your request is open. Here are the mentors who fit you best."))
    return redirect("find-mentor")


@require_POST
@page_view(Role.CLIENT, Role.FAMILY)
def choose(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    req = selectors.open_request_for_client(client=user)
    if req is None:
        messages.error(request, _("Start a request first."))
        return redirect("find-mentor")
    try:
        match = services.match_choose(client=user, request=req, mentor_id=request.POST.get("mentor", ""))
        messages.success(request, _("We asked %(name)s. You'll hear back within 72 hours.") % {"name": match.mentor.display_name})
    except DomainError as exc:
        # The mentor comes from the form she just saw: one who is gone or unknown ("No such
        # mentor", a 404 on the API) is a message next to the list, not an error page.
        _flash_error(request, exc)
    return redirect("find-mentor")


class EndForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the match ending?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How was it? (optional)"),
        choices=[("", gettext_lazy("Skip"))] + [(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
    )


@require_POST
@page_view(Role.CLIENT, Role.MENTOR, Role.STAFF)
def match_end(request: HttpRequest, match_id: int) -> HttpResponse:
    user: Any = request.user
    back = "find-mentor" if user.role == Role.CLIENT else "mentor-proposals"
    match = selectors.match_get_for_viewer(viewer=user, match_id=match_id)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        services.match_end(actor=user, match=match, reason=form.cleaned_data["reason"], rating=form.cleaned_data["rating"])
        messages.success(request, _("The match has ended. Thank you for the time you gave each other."))
    except (Invalid, Conflict) as exc:
        # Back to the page of the person's role (the guard's fallback is one page for all).
        _flash_error(request, exc)
    return redirect(back)


# --- mentor: proposals and mentees ------------------------------------------------------------


class ContactForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("When"), input_formats=["%Y-%m-%dT%H:%M"], widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    mode = forms.ChoiceField(label=gettext_lazy("How"), choices=ContactMode.choices)
    duration_minutes = forms.IntegerField(label=gettext_lazy("Minutes"), min_value=1, max_value=600)
    note = forms.CharField(
        label=gettext_lazy("Private note (optional)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


def reasons_for_mentor(reasons: list[str]) -> list[str]:
    return reasons_say_to_mentor(reasons)


@page_view(Role.MENTOR)
def mentor_proposals(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    proposals = selectors.mentor_proposals(mentor=user)
    for p in proposals:
        p.mentor_reasons = reasons_for_mentor(p.fit_reasons)  # type: ignore[attr-defined]
    mentees = selectors.mentor_mentees(mentor=user)
    now_local = timezone.localtime(timezone.now(), ZoneInfo(user.timezone)).strftime("%Y-%m-%dT%H:%M")
    return render(
        request,
        "matching/mentor_proposals.html",
        {
            "proposals": proposals,
            "mentees": mentees,
            "modes": ContactMode.choices,
            "now_local": now_local,
            "tz": user.timezone,
            "ratings": range(1, 6),
        },
    )


@require_POST
@page_view(Role.MENTOR, on_rule_break="mentor-proposals")
def proposal_answer(request: HttpRequest, match_id: int, answer: str) -> HttpResponse:
    user: Any = request.user
    match = selectors.match_get_for_mentor(mentor=user, match_id=match_id)
    if answer == "accept":
        services.match_accept(mentor=user, match=match)
        messages.success(
            request, _("You're now %(name)s's mentor. Reach out to say hello.") % {"name": match.client.display_name}
        )
    else:
        services.match_decline(mentor=user, match=match)
        messages.info(request, _("Declined. %(name)s will choose another mentor.") % {"name": match.client.display_name})
    return redirect("mentor-proposals")


@require_POST
@page_view(Role.MENTOR, on_rule_break="mentor-proposals")
def contact_log(request: HttpRequest, match_id: int) -> HttpResponse:
    user: Any = request.user
    match = selectors.match_get_for_contacts(viewer=user, match_id=match_id)
    form = ContactForm(request.POST)
    with timezone.override(ZoneInfo(user.timezone)):  # "when" is the mentor's wall-clock time
        valid = form.is_valid()
    if not valid:
        messages.error(
            request, _("Check the contact: ") + "; ".join(f"{form.fields[f].label}: {e[0]}" for f, e in form.errors.items())
        )
        return redirect("mentor-proposals")
    when: datetime = form.cleaned_data["occurred_at"]
    if timezone.is_naive(when):
        when = when.replace(tzinfo=ZoneInfo(user.timezone))
    services.contact_record(
        mentor=user,
        match=match,
        occurred_at=when,
        mode=form.cleaned_data["mode"],
        duration_minutes=form.cleaned_data["duration_minutes"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Contact with %(name)s saved.") % {"name": match.client.display_name})
    return redirect("mentor-proposals")


# --- staff: batch runs ---------------------------------------------------------------------------


@page_view(Role.STAFF, on_rule_break="matching-runs")
def matching_runs(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    plan = None
    if request.method == "POST":
        dry_run = request.POST.get("action") != "propose"
        plan = services.batch_run(staff=user, dry_run=dry_run)
        if not dry_run:
            messages.success(
                request,
                ngettext("Proposed %(n)s match.", "Proposed %(n)s matches.", plan["matched"]) % {"n": plan["matched"]}
                + " "
                + ngettext(
                    "Mentors have 72 hours to accept; %(n)s request stays open.",
                    "Mentors have 72 hours to accept; %(n)s requests stay open.",
                    plan["unmatched"],
                )
                % {"n": plan["unmatched"]},
            )
            return redirect("matching-runs")
    stats = selectors.open_request_stats(organization_id=user.org_id)
    return render(request, "matching/runs.html", {"plan": plan, "stats": stats, "pathway_phrases": PATHWAY_PHRASES})
