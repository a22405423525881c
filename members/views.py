"""Server-rendered pages of members: landing, accounts, onboarding, profiles, privacy, staff
pages and the client pages of the care team. Views are thin: a form, one selector or service,
a template. Every read of a client's record goes through access.client_get_for_viewer."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from common.errors import DomainError, Invalid
from common.pages import add_domain_error, page_view, paginate

from . import access, selectors, services
from .choices import Goal, Role, VettingStatus
from .client_records import client_detail, client_summary, summaries_for
from .exports import export_everything
from .forms import (
    DAY_SHORT,
    GOAL_HELP,
    ONBOARDING_STEPS,
    AccountForm,
    ConsentGrantForm,
    MentorProfileForm,
    MentorVetForm,
    RoleFilterForm,
    SignInForm,
    SignUpForm,
    UserAddForm,
    blocks_from_slots,
    step_data,
    step_initial,
)
from .lockout import address_locked, lockout_response

HOME_CASELOAD = 8  # members shown on a clinician's home page; the rest are on /clients/


def optional_url(name: str, **kwargs: Any) -> str | None:
    """The URL of a page another app may or may not provide yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


# --- public pages and accounts ------------------------------------------------------------


def landing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "members/landing.html", {"goals": [(g.value, g.label, GOAL_HELP[g.value]) for g in Goal]})


class LoginView(auth_views.LoginView):
    form_class = SignInForm  # type: ignore[assignment]
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_locked(request):  # too many failures from this address, whatever the emails
            return lockout_response(request)
        return super().post(request, *args, **kwargs)


def logout_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        messages.success(request, "You are signed out. Take care.")
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
            try:
                user = services.client_signup(
                    organization_slug=data["organization"],
                    email=data["email"],
                    password=data["password"],
                    display_name=data["display_name"],
                    timezone_name=data["timezone"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome to Kinship, {user.display_name}. A few short questions, then you're in.")
                return redirect("onboarding-step", step=1)
    else:
        form = SignUpForm(initial={"organization": request.GET.get("org", "")[:50]})
    return render(request, "registration/signup.html", {"form": form})


# --- home ---------------------------------------------------------------------------------


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
    elif user.role == Role.MENTOR:
        context["profile"] = selectors.mentor_profile_get(user=user)
        context["mentee_count"] = access.clients_visible_to(viewer=user).count()
        context["rows"] = _client_rows(user, list(selectors.client_list_for_viewer(viewer=user)[:HOME_CASELOAD]))
        context["proposals_url"] = optional_url("mentor-proposals")
    elif user.role in (Role.CLINICIAN, Role.FAMILY):
        context["client_count"] = access.clients_visible_to(viewer=user).count()
        context["rows"] = _client_rows(user, list(selectors.client_list_for_viewer(viewer=user)[:HOME_CASELOAD]))
        context["groups_url"] = optional_url("groups-manage" if user.role == Role.CLINICIAN else "my-groups")
    elif user.role == Role.STAFF:
        context["counts"] = selectors.people_counts_for_staff(staff=user)
        context["pending_mentors"] = context["counts"].get("mentors_pending", 0)
        context["matching_url"] = optional_url("matching-runs")
        context["groups_url"] = optional_url("groups-manage")
    return render(request, "members/home.html", context)


# --- onboarding and profiles --------------------------------------------------------------


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
                    messages.success(request, "Saved.")
                    return redirect("profile")
                if last:
                    messages.success(request, "You're all set. Here is what you told us; change anything, any time.")
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
        initial={"display_name": user.display_name, "pronouns": user.pronouns, "phone": user.phone, "timezone": user.timezone}
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
                messages.success(request, "Your account details are saved.")
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
                    messages.success(request, "Your mentor profile is saved.")
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


# --- privacy: who can see my data ---------------------------------------------------------


def _end_of_day(day: Any, zone: str) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone))


@page_view(Role.CLIENT)
def privacy(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    team = list(selectors.care_team_for_client(client=user))
    form = ConsentGrantForm(team=team)
    if request.method == "POST":
        form = ConsentGrantForm(request.POST, team=team)
        if form.is_valid():
            data = form.cleaned_data
            grantee = selectors.org_user_get(viewer=user, user_id=data["grantee"])
            expires = _end_of_day(data["expires_at"], user.timezone) if data.get("expires_at") else None
            try:
                if grantee is None:
                    raise Invalid("Choose someone on your care team.", field="grantee")
                services.consent_grant(client=user, grantee=grantee, scopes=data["scopes"], expires_at=expires)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{grantee.display_name} can now see what you chose.")
                return redirect("privacy")
    consents = list(selectors.consents_for_client(client=user))
    active_by_member: dict[int, list[Any]] = {}
    for grant in consents:
        if grant.is_active():
            active_by_member.setdefault(grant.grantee_id, []).append(grant)
    log_page = paginate(request, selectors.access_log_for_client(client=user), per_page=20)
    context = {
        "team": [(m, active_by_member.get(m.member_id, [])) for m in team],
        "form": form,
        "active": [g for g in consents if g.is_active()],
        "past": [g for g in consents if not g.is_active()],
        "log_page": log_page,
        "profile": selectors.client_profile_get(user=user),
    }
    return render(request, "members/privacy.html", context)


@require_POST
@page_view(Role.CLIENT)
def privacy_revoke(request: HttpRequest, consent_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
    grant = selectors.consent_get_for_client(client=request.user, consent_id=consent_id)  # type: ignore[arg-type]
    services.consent_revoke(client=request.user, grant=grant)  # type: ignore[arg-type]
    messages.success(request, f"Done. {grant.grantee.display_name} can no longer see it.")
    return redirect("privacy")


@page_view()
def account_export(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Everything Kinship holds about the signed-in person (the same export as the API)."""
    response = JsonResponse(export_everything(request.user), json_dumps_params={"indent": 2})  # type: ignore[arg-type]
    response["Content-Disposition"] = 'attachment; filename="kinship-my-data.json"'
    return response


@require_POST
@page_view(Role.CLIENT, Role.FAMILY)
def account_close(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that you want to close your account.")
        return redirect("profile")
    services.account_delete(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, "Your account is closed and your sharing has ended. Take good care of yourself.")
    return redirect("landing")


# --- staff --------------------------------------------------------------------------------


@page_view(Role.STAFF)
def staff_users(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    staff: Any = request.user
    add_form = UserAddForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = UserAddForm(request.POST)
            if add_form.is_valid():
                data = add_form.cleaned_data
                try:
                    new = services.user_create(
                        organization=staff.organization,
                        email=data["email"],
                        display_name=data["display_name"],
                        role=data["role"],
                        actor=staff,
                    )
                except DomainError as exc:
                    add_domain_error(add_form, exc)
                else:
                    messages.success(request, f"{new.display_name} is added. We emailed them an invitation to set a password.")
                    return redirect("staff-users")
        elif action in ("deactivate", "reactivate"):
            person = selectors.user_get_for_staff(staff=staff, user_id=request.POST.get("user", ""))
            try:
                services.user_update_by_staff(staff=staff, user=person, data={"is_active": action == "reactivate"})
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                word = "reactivated" if action == "reactivate" else "deactivated; they can no longer sign in"
                messages.success(request, f"{person.display_name} is {word}.")
            return redirect(request.get_full_path())
        else:
            raise Http404()
    filter_form = RoleFilterForm(request.GET)
    role = filter_form.cleaned_data.get("role") if filter_form.is_valid() else None
    users_page = paginate(request, selectors.users_for_staff(staff=staff, role=role or None), per_page=25)
    return render(
        request,
        "members/staff_users.html",
        {"users_page": users_page, "add_form": add_form, "filter_form": filter_form, "role": role or ""},
    )


@page_view(Role.STAFF)
def staff_mentors(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    staff: Any = request.user
    errors: dict[int, Any] = {}
    if request.method == "POST":
        mentor = selectors.mentor_get_for_staff(staff=staff, mentor_id=request.POST.get("mentor", ""))
        form = MentorVetForm(request.POST)
        if form.is_valid():
            services.mentor_vet_with_reason(
                staff=staff, profile=mentor, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
            )
            verb = {"approved": "approved", "suspended": "suspended", "pending": "moved back to pending"}
            messages.success(request, f"{mentor.user.display_name} is {verb[form.cleaned_data['status']]}.")
            return redirect(request.get_full_path())
        errors[mentor.user_id] = form
    status = request.GET.get("status", VettingStatus.PENDING)
    if status not in (*VettingStatus.values, "all"):
        status = VettingStatus.PENDING
    mentors_page = paginate(
        request, selectors.mentors_for_staff(staff=staff, status=None if status == "all" else status), per_page=20
    )
    for mentor in mentors_page:
        mentor.vet_form = errors.get(mentor.user_id)
    tabs = [(s.value, s.label) for s in VettingStatus] + [("all", "All")]
    return render(request, "members/staff_mentors.html", {"mentors_page": mentors_page, "status": status, "tabs": tabs})


# --- clients, as the care team sees them --------------------------------------------------


@page_view(Role.STAFF, Role.CLINICIAN, Role.MENTOR, Role.FAMILY)
def client_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    viewer: Any = request.user
    clients_page = paginate(request, selectors.client_list_for_viewer(viewer=viewer), per_page=25)
    rows = _client_rows(viewer, list(clients_page))
    return render(request, "members/client_list.html", {"clients_page": clients_page, "rows": rows})


def _client_rows(viewer: Any, clients: list[Any]) -> list[dict[str, Any]]:
    """Summary rows for a list of clients; listing them is logged as a "summary" read."""
    extras = summaries_for(viewer, clients)
    access.access_log_record_many(viewer=viewer, clients=clients, resource="summary")
    # Mentors and family open a member's page only while the member shares something with them.
    needs_consent = viewer.role in (Role.MENTOR, Role.FAMILY)
    sharing = access.clients_sharing_with(viewer=viewer, client_ids=[c.pk for c in clients]) if needs_consent else set()
    return [
        client_summary(c, extras.get(c.pk)) | {"goal": _goal_for(viewer, c), "can_open": not needs_consent or c.pk in sharing}
        for c in clients
    ]


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _goal_for(viewer: Any, client: Any) -> str | None:
    # The goal is part of the matching fields every care-team relation except family sees.
    if viewer.role == Role.FAMILY:
        return None
    profile = getattr(client, "client_profile", None)
    return profile.goal if profile else None


@page_view(Role.STAFF, Role.CLINICIAN, Role.MENTOR, Role.FAMILY)
def client_detail_page(request: HttpRequest, client_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
    viewer: Any = request.user
    view = access.client_page_for_viewer(viewer=viewer, client_id=client_id)
    can_manage_team = viewer.role in (Role.STAFF, Role.CLINICIAN)
    team_error = None
    if request.method == "POST":
        if not can_manage_team:
            raise PermissionDenied("Only staff and clinicians change care teams.")
        if request.POST.get("action") == "remove":
            membership = (
                selectors.care_team_for_client(client=view.client).filter(pk=_int_or_none(request.POST.get("membership"))).first()
            )
            if membership is None:
                raise Http404()
            services.care_team_end(actor=viewer, membership=membership)
            messages.success(request, f"{membership.member.display_name} is no longer on {view.client.display_name}'s care team.")
            return redirect("client-detail", client_id=view.client.pk)
        member = selectors.org_user_get(viewer=viewer, user_id=request.POST.get("user", ""))
        # A person joins a care team in their own role (a clinician as clinician, ...).
        role = request.POST.get("role") or (member.role if member is not None else "")
        try:
            if member is None:
                raise Invalid("Choose someone from this program.", field="user")
            services.care_team_add(actor=viewer, client=view.client, member=member, role=role)
        except DomainError as exc:
            team_error = exc.message
        else:
            messages.success(request, f"{member.display_name} is now on {view.client.display_name}'s care team.")
            return redirect("client-detail", client_id=view.client.pk)
    data = client_detail(view)
    candidates = selectors.care_team_candidates(viewer=viewer, client=view.client) if can_manage_team else []
    return render(
        request,
        "members/client_detail.html",
        {
            "view": view,
            "data": data,
            "profile": data["profile"],
            "can_manage_team": can_manage_team,
            "candidates": candidates,
            "team_error": team_error,
        },
    )
