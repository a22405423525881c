"""The members app's part of a member's data export (GET /api/v1/me/export/)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.forms.models import model_to_dict

from .models import AccessLog, AuditEvent, CareTeamMember, ClientProfile, ConsentGrant, MentorProfile, User


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def account(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "pronouns": user.pronouns,
        "phone": user.phone,
        "role": user.role,
        "organization": user.organization.slug if user.organization else None,
        "timezone": user.timezone,
        "date_joined": _iso(user.date_joined),
    }


def profile(user: User) -> dict[str, Any] | None:
    for model in (ClientProfile, MentorProfile):
        obj = model.objects.filter(user=user).first()
        if obj is not None:
            data = model_to_dict(obj, exclude=["user", "organization", "status_changed_by"])
            return {k: _iso(v) for k, v in data.items()}
    return None


def care_team(user: User) -> list[dict[str, Any]]:
    rows = CareTeamMember.objects.filter(client=user) | CareTeamMember.objects.filter(member=user)
    return [
        {
            "client": m.client_id,
            "member": m.member_id,
            "member_name": m.member.display_name,
            "role": m.role,
            "started_at": _iso(m.started_at),
            "ended_at": _iso(m.ended_at),
        }
        for m in rows.select_related("member").order_by("started_at")
    ]


def consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": g.pk,
            "client": g.client_id,
            "grantee": g.grantee_id,
            "scopes": g.scopes,
            "created_at": _iso(g.created_at),
            "expires_at": _iso(g.expires_at),
            "revoked_at": _iso(g.revoked_at),
        }
        for g in (ConsentGrant.objects.filter(client=user) | ConsentGrant.objects.filter(grantee=user)).order_by("created_at")
    ]


def access_log(user: User) -> list[dict[str, Any]]:
    return [
        {"actor": a.actor_id, "actor_name": a.actor.display_name if a.actor else None, "resource": a.resource, "at": _iso(a.at)}
        for a in AccessLog.objects.filter(client=user).select_related("actor").order_by("at")
    ]


def audit(user: User) -> list[dict[str, Any]]:
    """Changes I made, and changes others made to my account or my record."""
    about_me = Q(actor=user) | Q(client=user) | Q(target_type="user", target_id=user.pk)
    return [
        {
            "action": e.action,
            "actor": e.actor_id,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "at": _iso(e.at),
            "changes": e.changes,
        }
        for e in AuditEvent.objects.filter(about_me).order_by("at", "pk")
    ]
