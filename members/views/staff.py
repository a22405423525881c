"""Program staff: people and mentor vetting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.pages import add_domain_error, page_view, paginate

from .. import selectors, services
from ..choices import Role, VettingStatus
from ..forms import MentorVetForm, RoleFilterForm, UserAddForm
from ..lockout import INVITATIONS_LIMITED, invitations_allowed


@page_view(Role.STAFF)
def staff_users(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    staff: Any = request.user
    add_form = UserAddForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = UserAddForm(request.POST)
            if add_form.is_valid() and not invitations_allowed(request):
                add_form.add_error(None, INVITATIONS_LIMITED)
                status = 429
            elif add_form.is_valid():
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
                    messages.success(
                        request,
                        _("%(name)s is added. We emailed them an invitation to set a password.") % {"name": new.display_name},
                    )
                    return redirect("staff-users")
        elif action in ("deactivate", "reactivate"):
            person = selectors.user_get_for_staff(staff=staff, user_id=request.POST.get("user", ""))
            try:
                services.user_update_by_staff(staff=staff, user=person, data={"is_active": action == "reactivate"})
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if action == "reactivate":
                    text = _("%(name)s is reactivated.")
                else:
                    text = _("%(name)s is deactivated; they can no longer sign in.")
                messages.success(request, text % {"name": person.display_name})
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
        status=status,
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
            done = {
                "approved": _("%(name)s is approved."),
                "suspended": _("%(name)s is suspended."),
                "pending": _("%(name)s is moved back to pending."),
            }
            messages.success(request, done[form.cleaned_data["status"]] % {"name": mentor.user.display_name})
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
    tabs = [(s.value, s.label) for s in VettingStatus] + [("all", _("All"))]
    return render(request, "members/staff_mentors.html", {"mentors_page": mentors_page, "status": status, "tabs": tabs})
