"""Reads of members' own data. What a viewer may see of a member is decided in members/access.py
(`client_get_for_viewer`, `clients_visible_to`): the selectors here take a member that has
already passed that checkpoint, or the viewer's own organization."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import NotAllowed, NotVisible

from .access import ClientView, access_log_record_many, care_team_visible, clients_visible_to
from .choices import Role
from .models import AccessLog, AuditEvent, CareTeamMember, ClientProfile, ConsentGrant, MentorProfile, User


def client_list_for_viewer(*, viewer: User) -> QuerySet[User]:
    return (
        clients_visible_to(viewer=viewer)
        .select_related("client_profile")
        .prefetch_related("care_team__member")
        .order_by("display_name", "pk")
    )


def care_team_for_client(*, client: User) -> QuerySet[CareTeamMember]:
    return (
        CareTeamMember.objects.filter(client=client, ended_at__isnull=True)
        .select_related("member")
        .order_by("role", "member__display_name")
    )


def my_care_team(*, client: User) -> list[dict[str, Any]]:
    """GET /me/care-team/ and the member's pages: who is on her care team, how related, since when,
    and whether an invited family member is still to set a password (one query)."""
    return [
        {
            "id": m.pk,
            "user": {"id": m.member_id, "display_name": m.member.display_name, "role": m.member.role},
            "role": m.role,
            "relationship": m.relationship,
            "since": m.started_at,
            "invited": m.member.last_login is None and not m.member.has_usable_password(),
            "membership": m,
        }
        for m in care_team_for_client(client=client)
    ]


def care_team_for_viewer(*, view: ClientView) -> QuerySet[CareTeamMember]:
    """A member's current care team as the viewer of `view` may read it (the read is logged):
    who treats a member is part of her record (members.access.care_team_visible)."""
    if not care_team_visible(view):
        raise NotAllowed(_("Only the member, their clinicians, mentor and program staff see the care team."))
    access_log_record_many(viewer=view.viewer, clients=[view.client], resource="care_team")
    return care_team_for_client(client=view.client)


def care_team_membership_get(*, client: User, membership_id: int | str | None) -> CareTeamMember:
    """One current membership of `client`'s care team, or NotVisible."""
    try:
        pk = int(membership_id)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise NotVisible() from None
    membership = care_team_for_client(client=client).filter(pk=pk).first()
    if membership is None:
        raise NotVisible()
    return membership


def consents_for_client(*, client: User) -> QuerySet[ConsentGrant]:
    return ConsentGrant.objects.filter(client=client).select_related("grantee").order_by("-created_at", "-pk")


def consent_get_for_client(*, client: User, consent_id: int | str) -> ConsentGrant:
    try:
        return consents_for_client(client=client).get(pk=int(consent_id))
    except (ConsentGrant.DoesNotExist, TypeError, ValueError):
        raise NotVisible() from None


def access_log_for_client(*, client: User) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(client=client).select_related("actor").order_by("-at", "-pk")


def users_for_staff(*, staff: User, role: str | None = None) -> QuerySet[User]:
    qs = User.objects.filter(organization_id=staff.organization_id).order_by("display_name", "pk")
    if role:
        qs = qs.filter(role=role)
    return qs


def user_get_for_staff(*, staff: User, user_id: int | str) -> User:
    try:
        return users_for_staff(staff=staff).get(pk=int(user_id))
    except (User.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotVisible() from None


def org_user_get(*, viewer: User, user_id: int | str, roles: Iterable[str] | None = None) -> User | None:
    """A user of the viewer's organization, or None (for body references: 400, not 404)."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    qs = User.objects.filter(pk=pk, organization_id=viewer.organization_id, is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs.first()


def mentors_for_staff(*, staff: User, status: str | None = None) -> QuerySet[MentorProfile]:
    qs = MentorProfile.objects.filter(organization_id=staff.org_id, user__is_active=True).select_related("user")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "user__display_name", "pk")


def mentor_get_for_staff(*, staff: User, mentor_id: int | str) -> MentorProfile:
    try:
        return mentors_for_staff(staff=staff).get(user_id=int(mentor_id))
    except (MentorProfile.DoesNotExist, TypeError, ValueError):
        raise NotVisible() from None


def client_profile_get(*, user: User) -> ClientProfile:
    profile = ClientProfile.objects.filter(user=user).first()
    if profile is None:
        raise NotVisible(_("This account has no member profile."))
    return profile


def onboarding_resume_step(*, user: User) -> int | None:
    """Where a member who left onboarding half-way picks it up (None once she finished it):
    the first step whose answers are still missing."""
    profile = ClientProfile.objects.filter(user=user).only("onboarded_at", "languages", "formats").first()
    if profile is None or profile.onboarded_at is not None:
        return None
    if not profile.languages:
        return 1
    if not profile.formats:
        return 3
    return 4


def mentor_profile_get(*, user: User) -> MentorProfile:
    profile = MentorProfile.objects.filter(user=user).first()
    if profile is None:
        raise NotVisible(_("This account has no mentor profile."))
    return profile


def audit_for_staff(*, staff: User, client_id: int | None = None, actor_id: int | None = None) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(organization_id=staff.org_id).select_related("actor", "client")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-at", "-pk")


def access_log_for_staff(*, staff: User, client_id: int | None = None, actor_id: int | None = None) -> QuerySet[AccessLog]:
    qs = AccessLog.objects.filter(organization_id=staff.org_id).select_related("actor", "client")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-at", "-pk")


# --- added for the HTML pages (ui branch) -------------------------------------------------


def people_counts_for_staff(*, staff: User) -> dict[str, int]:
    """Active people of the staff member's organization by role, and mentors awaiting vetting."""
    rows = (
        User.objects.filter(organization_id=staff.org_id, is_active=True).values("role").annotate(n=Count("pk")).order_by("role")
    )
    counts = {row["role"]: row["n"] for row in rows}
    counts["mentors_pending"] = MentorProfile.objects.filter(
        organization_id=staff.org_id, status="pending", user__is_active=True
    ).count()
    return counts


def care_team_candidates(*, viewer: User, client: User) -> list[User]:
    """Clinicians, mentors and family of the organization who could join `client`'s care team
    (not already on it)."""
    on_team = CareTeamMember.objects.filter(client=client, ended_at__isnull=True).values("member_id")
    return list(
        User.objects.filter(organization_id=viewer.org_id, is_active=True, role__in=[Role.CLINICIAN, Role.MENTOR, Role.FAMILY])
        .exclude(pk__in=on_team)
        .order_by("role", "display_name", "pk")
    )


def audit_entries_for_staff(
    *, staff: User, client_id: int | None = None, actor_id: int | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """The audit trail (changes) and the access log (reads) of the organization as one list,
    newest first."""
    entries = [
        {
            "type": "change",
            "at": e.at,
            "actor": e.actor_id,
            "actor_name": e.actor.display_name if e.actor else None,
            "client": e.client_id,
            "action": e.action,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "changes": e.changes,
        }
        for e in audit_for_staff(staff=staff, client_id=client_id, actor_id=actor_id)[:limit]
    ] + [
        {
            "type": "read",
            "at": a.at,
            "actor": a.actor_id,
            "actor_name": a.actor.display_name if a.actor else None,
            "client": a.client_id,
            "action": f"read.{a.resource}",
            "target_type": "client",
            "target_id": a.client_id,
            "changes": {},
        }
        for a in access_log_for_staff(staff=staff, client_id=client_id, actor_id=actor_id)[:limit]
    ]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


# 42 CFR § 2.24: a member may ask for an accounting of disclosures up to three years back.
DISCLOSURES_YEARS_BACK = 3


def disclosures_for_client(
    *, client: User, date_from: datetime | None = None, date_to: datetime | None = None
) -> list[dict[str, Any]]:
    """One row per recipient and consent: who read her records, under which consent and why,
    which records, first and last time and how often. Computed in the database."""
    now = timezone.now()
    earliest = now - relativedelta(years=DISCLOSURES_YEARS_BACK)
    start = max(date_from, earliest) if date_from else earliest
    qs = AccessLog.objects.filter(client=client, at__gte=start, actor__isnull=False).exclude(actor_id=client.pk)
    if date_to is not None:
        qs = qs.filter(at__lte=date_to)
    groups = list(
        qs.values("actor_id", "consent_id")
        .annotate(first_at=Min("at"), last_at=Max("at"), count=Count("pk"))
        .order_by("-last_at", "actor_id", "consent_id")
    )
    if not groups:
        return []
    resources: dict[tuple[int, int | None], set[str]] = {}
    purposes: dict[tuple[int, int | None], str] = {}
    for actor_id, consent_id, resource, purpose in qs.values_list("actor_id", "consent_id", "resource", "purpose").distinct():
        resources.setdefault((actor_id, consent_id), set()).add(resource)
        purposes.setdefault((actor_id, consent_id), purpose)
    actors = {u.pk: u for u in User.objects.filter(pk__in={g["actor_id"] for g in groups}).only("pk", "display_name", "role")}
    consents = {
        c.pk: c for c in ConsentGrant.objects.filter(pk__in={g["consent_id"] for g in groups if g["consent_id"]}, client=client)
    }
    rows = []
    for g in groups:
        key = (g["actor_id"], g["consent_id"])
        actor, consent = actors.get(g["actor_id"]), consents.get(g["consent_id"]) if g["consent_id"] else None
        rows.append(
            {
                "recipient": {
                    "id": g["actor_id"],
                    "display_name": actor.display_name if actor else _("Former user"),
                    "role": actor.role if actor else None,
                },
                "consent": consent.pk if consent else None,
                "purpose": consent.purpose if consent else purposes.get(key, ""),
                "resources": sorted(resources.get(key, set())),
                "first_at": g["first_at"],
                "last_at": g["last_at"],
                "count": g["count"],
            }
        )
    return rows


def clients_by_ids(*, organization_id: int, ids: Iterable[int]) -> list[User]:
    """Members of one organization by id (one query), for access-logging a page of reads."""
    wanted = set(ids)
    if not wanted:
        return []
    return list(User.objects.filter(organization_id=organization_id, role=Role.CLIENT, pk__in=wanted))
