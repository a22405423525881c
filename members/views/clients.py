"""The members' pages as their care team sees them. What a viewer sees of a member comes from
members.access and members.client_records (the same checkpoint and the same records as
GET /api/v1/clients/...), and who may change a care team from members.services: the pages
only show the answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.errors import Conflict, Invalid
from common.pages import page_view, paginate

from .. import access, selectors, services
from ..choices import Role
from ..client_records import client_detail, client_rows


@page_view(Role.STAFF, Role.CLINICIAN, Role.MENTOR, Role.FAMILY)
def client_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    viewer: Any = request.user
    clients_page = paginate(request, selectors.client_list_for_viewer(viewer=viewer), per_page=25)
    rows = client_rows(viewer=viewer, clients=list(clients_page))
    return render(request, "members/client_list.html", {"clients_page": clients_page, "rows": rows})


@page_view(Role.STAFF, Role.CLINICIAN, Role.MENTOR, Role.FAMILY)
def client_detail_page(request: HttpRequest, client_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
    viewer: Any = request.user
    view = access.client_page_for_viewer(viewer=viewer, client_id=client_id)
    team_error = None
    if request.method == "POST":
        # Refused before anything else (403), as the API does: the form's answers say nothing then.
        services.care_team_change_check(actor=viewer, client=view.client)
        if request.POST.get("action") == "remove":
            membership = selectors.care_team_membership_get(client=view.client, membership_id=request.POST.get("membership"))
            services.care_team_end(actor=viewer, membership=membership)
            messages.success(
                request,
                _("%(name)s is no longer on %(client)s's care team.")
                % {"name": membership.member.display_name, "client": view.client.display_name},
            )
            return redirect("client-detail", client_id=view.client.pk)
        member = selectors.org_user_get(viewer=viewer, user_id=request.POST.get("user", ""))
        # A person joins a care team in their own role (a clinician as clinician, ...).
        role = request.POST.get("role") or (member.role if member is not None else "")
        try:
            if member is None:
                raise Invalid(_("Choose someone from this program."), field="user")
            services.care_team_add(actor=viewer, client=view.client, member=member, role=role)
        except (Invalid, Conflict) as exc:
            team_error = exc.message
        else:
            messages.success(
                request,
                _("%(name)s is now on %(client)s's care team.")
                % {"name": member.display_name, "client": view.client.display_name},
            )
            return redirect("client-detail", client_id=view.client.pk)
    data = client_detail(view)
    can_manage_team = services.care_team_may_change(actor=viewer, client=view.client)
    return render(
        request,
        "members/client_detail.html",
        {
            "view": view,
            "data": data,
            "profile": data["profile"],
            "team_visible": access.care_team_visible(view),
            "can_manage_team": can_manage_team,
            "candidates": selectors.care_team_candidates(viewer=viewer, client=view.client) if can_manage_team else [],
            "team_error": team_error,
        },
    )
