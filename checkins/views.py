"""Pages: the one-screen check-in, "my progress", the questionnaires, and the care team's
timeline of a client. They call the same selectors and services as the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import Conflict, Invalid
from common.pages import add_domain_error, page_view
from common.sections import sections_render
from members.access import access_log_record_many
from members.choices import Goal, Role

from . import charts, selectors, services
from .instruments import FORM_BY_INSTRUMENT, FORMS
from .models import Medication, Used
from .scopes import ASSESSMENTS, CHECKIN_DETAIL, CHECKIN_SUMMARY, CHECKINS, RISK_FLAG_DETAIL, RISK_FLAGS
from .scoring import band_label, flag_labels, plain_result
from .services.medications import medication_answer_record
from .services.support import checkin_support

MOOD_CHOICES = [(1, _("Very low")), (2, _("Low")), (3, _("Okay")), (4, _("Good")), (5, _("Very good"))]
USED_CHOICES = [(Used.NO.value, _("No")), (Used.YES.value, _("Yes")), (Used.SKIP.value, _("Rather not say"))]


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(choices=MOOD_CHOICES, coerce=int, widget=forms.RadioSelect, label=_("How is your mood today?"))
    craving = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Cravings today, from 0 (none) to 10 (strongest)"),
    )
    used = forms.ChoiceField(
        choices=USED_CHOICES, widget=forms.RadioSelect, initial=Used.SKIP.value, label=_("Did you use today?")
    )
    amount = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        label=_("How much? (optional)"),
        help_text=_("In your own unit, e.g. standard drinks"),
    )
    connected = forms.BooleanField(required=False, label=_("I connected with someone today (a call, a meeting, a friend)"))
    note = forms.CharField(
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Anything you want to note? (optional)"),
    )
    need_support = forms.BooleanField(required=False, label=_("I need support right now"))

    took_medication = forms.ChoiceField(
        choices=USED_CHOICES,
        widget=forms.RadioSelect,
        initial=Used.SKIP.value,
        required=False,
        label=_("Took your medication today?"),
    )

    def __init__(self, *args: Any, moderation: bool = False, medication: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not medication:
            del self.fields["took_medication"]  # asked only of members who set a medication
        if not moderation:
            del self.fields["amount"]


def _moderation(user: Any) -> bool:
    profile = getattr(user, "client_profile", None)
    return profile is not None and profile.goal == Goal.MODERATION


@page_view(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    client = request.user
    moderation = _moderation(client)
    medication = Medication.objects.filter(client=client).exists()
    existing = selectors.checkin_today(client=client)
    result = None
    if request.method == "POST":
        form = CheckInForm(request.POST, moderation=moderation, medication=medication)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.checkin_record(
                    actor=client,
                    client=client,
                    mood=data["mood"],
                    craving=data["craving"],
                    used=data["used"],
                    amount=data.get("amount"),
                    connected=data["connected"],
                    note=data["note"],
                    need_support=data["need_support"],
                )
                if medication and data.get("took_medication"):
                    medication_answer_record(client=client, local_date=result.checkin.local_date, took=data["took_medication"])
            except Invalid as exc:
                add_domain_error(form, exc)
    else:
        initial = {}
        if existing is not None:
            initial = {
                "mood": existing.mood,
                "craving": existing.craving,
                "used": existing.used,
                "amount": existing.amount,
                "connected": existing.connected,
                "note": existing.note,
            }
        form = CheckInForm(initial=initial, moderation=moderation, medication=medication)
    support = checkin_support(client=client, checkin=result.checkin) if result is not None else []
    status = 400 if request.method == "POST" and result is None else 200
    return render(
        request,
        "checkins/checkin.html",
        {
            "form": form,
            "existing": existing,
            "result": result,
            "support": [s for s in support if s["kind"] != "crisis"],
            "resources": services.crisis_resources(client.organization),
            "mood_choices": MOOD_CHOICES,
        },
        status=status,
    )


@page_view(Role.CLIENT)
def progress(request: HttpRequest) -> HttpResponse:
    client = request.user
    data = selectors.progress_for_client(client=client)
    context = {
        "progress": data,
        "mood_chart": charts.trend_chart(
            data.days, today=data.today, field="mood", low=1, high=5, title=gettext("Mood, last 30 days")
        ),
        "craving_chart": charts.trend_chart(
            data.days, today=data.today, field="craving", low=0, high=10, title=gettext("Cravings, last 30 days")
        ),
        "calendar": charts.calendar({c.local_date for c in data.days}, today=data.today),
        "due": [dict(d, form=FORM_BY_INSTRUMENT[d["instrument"]]) for d in selectors.assessments_due(client=client)],
        "recent": [
            {"a": a, "form": FORM_BY_INSTRUMENT[a.instrument], "plain": plain_result(a.instrument, a.band)}
            for a in selectors.assessments_for_client(client=client)[:6]
        ],
        "days_count": len({c.local_date for c in data.days if (data.today - c.local_date).days < 30}),
        # Apps above add theirs (plans: milestones and medication adherence) through common.sections.
        "sections": sections_render("progress:client", request),
    }
    return render(request, "checkins/progress.html", context)


@page_view(Role.CLIENT)
def assessment_list(request: HttpRequest) -> HttpResponse:
    due = {d["instrument"] for d in selectors.assessments_due(client=request.user)}
    return render(request, "checkins/assessments.html", {"forms": FORMS.values(), "due": due})


@page_view(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, slug: str) -> HttpResponse:
    form = FORMS.get(slug)
    if form is None:
        raise Http404()
    result = None
    error = ""
    answers: list[Any] = []
    if request.method == "POST":
        for i in range(len(form.questions)):
            raw = request.POST.get(f"q{i + 1}", "")
            answers.append(int(raw) if raw.lstrip("-").isdigit() else None)
        if None in answers:
            error = gettext("Please answer every question (the unanswered ones are marked).")
        else:
            try:
                result = services.assessment_record(
                    actor=request.user, client=request.user, instrument=form.instrument, answers=answers
                )
            except Invalid as exc:
                error = exc.message
    questions = [{"n": i + 1, "q": q, "answer": answers[i] if i < len(answers) else None} for i, q in enumerate(form.questions)]
    return render(
        request,
        "checkins/assessment.html",
        {
            "form": form,
            "questions": questions,
            "result": result,
            "error": error,
            "submitted": request.method == "POST",
            "resources": services.crisis_resources(request.user.organization),
        },
        status=400 if error else 200,
    )


@page_view()
def client_timeline(request: HttpRequest, client_id: int) -> HttpResponse:
    """The care team's view of a client's check-ins, questionnaires and flags, as shared
    (members.access answers every "may she see this" through the ClientView)."""
    view = selectors.client_view_with_scope(
        viewer=request.user, client_id=client_id, scopes=(CHECKIN_SUMMARY, CHECKIN_DETAIL), log_as=CHECKINS
    )
    if view.is_self:
        return redirect("progress")
    client = view.client
    # One access-log row per kind of record the page shows her (L4), not one for the page.
    for kind, shown in ((ASSESSMENTS, view.can(ASSESSMENTS)), (RISK_FLAGS, view.sees(RISK_FLAGS))):
        if shown:
            access_log_record_many(viewer=request.user, clients=[client], resource=kind)
    data = selectors.progress_for_client(client=client)
    detail = view.can(CHECKIN_DETAIL)
    show_flags = view.sees(RISK_FLAGS)
    context = {
        "client": client,
        "view": view,
        "progress": data,
        "detail": detail,
        "calendar": charts.calendar({c.local_date for c in data.days}, today=data.today),
        "mood_chart": charts.trend_chart(
            data.days, today=data.today, field="mood", low=1, high=5, title=gettext("Mood, last 30 days")
        )
        if detail
        else None,
        "craving_chart": charts.trend_chart(
            data.days, today=data.today, field="craving", low=0, high=10, title=gettext("Cravings, last 30 days")
        )
        if detail
        else None,
        "checkins": data.days[:30],
        "assessments": [
            {
                "a": a,
                "form": FORM_BY_INSTRUMENT[a.instrument],
                "plain": plain_result(a.instrument, a.band),
                "band": band_label(a.band),
                "flags": flag_labels(a.flags),
            }
            for a in selectors.assessments_for_client(client=client)[:10]
        ]
        if view.can(ASSESSMENTS)
        else None,
        "flags": list(selectors.risk_flags_for_client(client=client)[:20]) if show_flags else None,
        "flag_detail": view.sees(RISK_FLAG_DETAIL),
        "can_resolve": services.risk_flag_may_resolve(view),
    }
    return render(request, "checkins/timeline.html", context)


@page_view()
@require_POST
def risk_flag_resolve(request: HttpRequest, client_id: int, flag_id: int) -> HttpResponse:
    """Who may resolve is the service's rule (NotVisible → 404, NotAllowed → 403 through the
    guard); a missing note or a flag resolved a moment ago is a message on the timeline."""
    flag, _ = selectors.risk_flag_get_for_viewer(viewer=request.user, flag_id=flag_id, client_id=client_id)
    try:
        services.risk_flag_resolve(actor=request.user, flag=flag, note=request.POST.get("note", ""))
        messages.success(request, gettext("Flag resolved. Your note is in the record."))
    except Invalid as exc:
        messages.error(request, exc.message)
    except Conflict as exc:
        messages.info(request, exc.message)
    return redirect("client-timeline", client_id=client_id)


def crisis_card_section(request: HttpRequest, **_: Any) -> str:
    """The crisis lines on a mentor's or clinician's home (common.sections)."""
    user: Any = request.user
    return render_to_string("checkins/_crisis_card.html", {"resources": services.crisis_resources(user.organization)})
