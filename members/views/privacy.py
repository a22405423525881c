"""Who can see my data: the member's consents and her access log."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError, Invalid
from common.pages import add_domain_error, page_view, paginate

from .. import selectors, services
from ..choices import Role
from ..forms import ConsentGrantForm, FamilyInviteForm


def _end_of_day(day: Any, zone: str) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone))


@page_view(Role.CLIENT)
def privacy(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    team = list(selectors.care_team_for_client(client=user))
    form = ConsentGrantForm(team=team)
    invite_form = FamilyInviteForm(prefix="invite")
    if request.method == "POST" and request.POST.get("action") == "invite":
        invite_form = FamilyInviteForm(request.POST, prefix="invite")
        if invite_form.is_valid():
            data = invite_form.cleaned_data
            try:
                invitation = services.family_invite(
                    client=user,
                    email=data["email"],
                    display_name=data["display_name"],
                    relationship=data["relationship"],
                    scopes=list(data["scopes"]),
                )
            except DomainError as exc:
                add_domain_error(invite_form, exc)
            else:
                name = invitation.membership.member.display_name
                if invitation.status == "invited":
                    messages.success(request, _("We emailed %(name)s an invitation to join you on Kinship.") % {"name": name})
                else:
                    messages.success(request, _("%(name)s is now on your care team.") % {"name": name})
                return redirect("privacy")
    elif request.method == "POST":
        form = ConsentGrantForm(request.POST, team=team)
        if form.is_valid():
            data = form.cleaned_data
            grantee = selectors.org_user_get(viewer=user, user_id=data["grantee"])
            expires = _end_of_day(data["expires_at"], user.timezone) if data.get("expires_at") else None
            try:
                if grantee is None:
                    raise Invalid(_("Choose someone on your care team."), field="grantee")
                services.consent_grant(
                    client=user,
                    grantee=grantee,
                    scopes=data["scopes"],
                    expires_at=expires,
                    purpose=data.get("purpose", ""),
                    expiry_event=data.get("expiry_event", ""),
                    signature=data["signature"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s can now see what you chose.") % {"name": grantee.display_name})
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
        "invite_form": invite_form,
        "family": [m for m in selectors.my_care_team(client=user) if m["role"] == "family"],
        "active": [g for g in consents if g.is_active()],
        "past": [g for g in consents if not g.is_active()],
        "log_page": log_page,
        # 42 CFR § 2.24: the accounting of disclosures, three years back.
        "disclosures": selectors.disclosures_for_client(client=user)[:50],
        "profile": selectors.client_profile_get(user=user),
    }
    return render(request, "members/privacy.html", context)


@require_POST
@page_view(Role.CLIENT)
def privacy_revoke(request: HttpRequest, consent_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
    grant = selectors.consent_get_for_client(client=request.user, consent_id=consent_id)  # type: ignore[arg-type]
    services.consent_revoke(client=request.user, grant=grant)  # type: ignore[arg-type]
    messages.success(request, _("Done. %(name)s can no longer see it.") % {"name": grant.grantee.display_name})
    return redirect("privacy")


@require_POST
@page_view(Role.CLIENT)
def privacy_family_remove(request: HttpRequest, membership_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
    """The member removes a family member from her care team: what she shared with them ends now."""
    membership = services.family_membership_get(client=request.user, membership_id=membership_id)  # type: ignore[arg-type]
    services.family_remove(client=request.user, membership=membership)  # type: ignore[arg-type]
    messages.success(
        request,
        _("%(name)s is no longer on your care team and sees nothing of yours.") % {"name": membership.member.display_name},
    )
    return redirect("privacy")
