"""Pages: a family member's own check-in (mood, stress, time for herself), and a member's
testing page (report a result, her schedule, her results against her own goal). They call the
same selectors and services as the API."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from common.errors import DomainError
from common.pages import add_domain_error, page_view
from members.choices import Role

from . import charts, services
from . import selectors_family as selectors
from .models import TestKind, TestOutcome

MOOD_CHOICES = [(1, _("Very low")), (2, _("Low")), (3, _("Okay")), (4, _("Good")), (5, _("Very good"))]
DAY_CHOICES = [
    (0, _("Sun")),
    (1, _("Mon")),
    (2, _("Tue")),
    (3, _("Wed")),
    (4, _("Thu")),
    (5, _("Fri")),
    (6, _("Sat")),
]


class FamilyCheckInForm(forms.Form):
    mood = forms.TypedChoiceField(choices=MOOD_CHOICES, coerce=int, widget=forms.RadioSelect, label=_("How is your mood today?"))
    stress = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Stress today, from 0 (none) to 10 (the most)"),
    )
    took_time_for_myself = forms.BooleanField(required=False, label=_("I took some time for myself today"))
    note = forms.CharField(
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Anything you want to note? Only you see it (optional)"),
    )


@page_view(Role.FAMILY)
@require_http_methods(["GET", "POST"])
def family_checkin(request: HttpRequest) -> HttpResponse:
    member: Any = request.user
    mine = selectors.family_progress(member=member)
    result = None
    if request.method == "POST":
        form = FamilyCheckInForm(request.POST)
        if form.is_valid():
            try:
                result = services.family_checkin_record(actor=member, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
    else:
        today = mine.today_checkin
        initial = (
            {"mood": today.mood, "stress": today.stress, "took_time_for_myself": today.took_time_for_myself, "note": today.note}
            if today
            else {}
        )
        form = FamilyCheckInForm(initial=initial)
    if result is not None:
        mine = selectors.family_progress(member=member)
    status = 400 if request.method == "POST" and result is None else 200
    return render(
        request,
        "checkins/family_checkin.html",
        {
            "form": form,
            "result": result,
            "mine": mine,
            "mood_chart": charts.trend_chart(
                mine.days, today=mine.today, field="mood", low=1, high=5, title=str(_("My mood, last 30 days"))
            ),  # type: ignore[arg-type]
            "stress_chart": charts.trend_chart(
                mine.days,
                today=mine.today,
                field="stress",
                low=0,
                high=10,
                title=str(_("My stress, last 30 days")),  # type: ignore[arg-type]
            ),
        },
        status=status,
    )


class TestResultForm(forms.Form):
    kind = forms.ChoiceField(choices=TestKind.choices, label=_("Kind of test"))
    result = forms.ChoiceField(choices=TestOutcome.choices, label=_("Result"))
    value = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=3,
        label=_("Reading (optional)"),
        help_text=_("For example 0.020"),
    )
    taken_on = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    taken_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(
        required=False, max_length=services.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note (optional)")
    )


class TestingScheduleForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        choices=DAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple, required=False, label=_("Testing days")
    )
    days.compact = True  # type: ignore[attr-defined]  # weekday chips (templates/members/_field.html)
    time = forms.TimeField(label=_("Time of day"), widget=forms.TimeInput(attrs={"type": "time"}))
    limit = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=3,
        label=_("My limit (moderation goals, optional)"),
        help_text=_("A positive breath test at or under this reading is within your goal."),
    )


@page_view(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def testing(request: HttpRequest) -> HttpResponse:
    client: Any = request.user
    zone = ZoneInfo(client.timezone)
    now_local = timezone.now().astimezone(zone)
    schedule = selectors.testing_schedule_for(client=client)
    result_form = TestResultForm(
        initial={"taken_on": now_local.date(), "taken_time": now_local.strftime("%H:%M"), "kind": "breath"}
    )
    schedule_form = TestingScheduleForm(
        initial={"days": schedule.days, "time": schedule.time, "limit": schedule.limit} if schedule else {"time": time(8, 0)}
    )
    recorded = None
    failed = False
    if request.method == "POST" and request.POST.get("action") == "schedule":
        schedule_form = TestingScheduleForm(request.POST)
        if schedule_form.is_valid():
            data = schedule_form.cleaned_data
            try:
                services.testing_schedule_set(client=client, days=data["days"], at=data["time"], limit=data.get("limit"))
            except DomainError as exc:
                add_domain_error(schedule_form, exc)
            else:
                messages.success(request, _("Your testing schedule is saved. We'll remind you 15 minutes before."))
                return redirect("testing")
        failed = True
    elif request.method == "POST":
        result_form = TestResultForm(request.POST)
        if result_form.is_valid():
            data = result_form.cleaned_data
            try:
                recorded = services.test_result_record(
                    actor=client,
                    taken_at=datetime.combine(data["taken_on"], data["taken_time"], tzinfo=zone),
                    kind=data["kind"],
                    result=data["result"],
                    value=data.get("value"),
                    note=data.get("note") or "",
                )
            except DomainError as exc:
                add_domain_error(result_form, exc)
        failed = recorded is None
    goal, limit = selectors.goal_reading(client=client)
    results = list(selectors.test_results_for_client(client=client)[:30])
    return render(
        request,
        "checkins/testing.html",
        {
            "result_form": result_form,
            "schedule_form": schedule_form,
            "recorded": recorded,
            "rows": selectors.results_with_goal(results[:10], goal=goal, limit=limit),
            "trend": selectors.test_trend(results, goal=goal, limit=limit, today=now_local.date()),
            "goal": goal,
        },
        status=400 if failed else 200,
    )
