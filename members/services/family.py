"""A member brings her family onto her care team herself (DESIGN.md "Family members' own
recovery"): she invites them by email, choosing at once how they are related and what they see,
and removes them whenever she likes. Staff and clinicians still add family through care_team_add.

An unknown email becomes a family account without a password: the invitation email (members'
"user_invited" event, sent by notifications) carries a signed link that expires
(PASSWORD_RESET_TIMEOUT) and works once, the same set-a-password flow as every invitation. The
membership and the grants are recorded at once, but nothing can be read until the invitee has
chosen a password and signed in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import Conflict, Invalid, NotAllowed, NotVisible

from ..access import all_scopes
from ..choices import CareRole, Relationship, Role
from ..models import CareTeamMember, ConsentGrant, User
from .audit import audit_record

NOT_FAMILY = gettext_lazy(
    "This address can't be invited as family. Ask your program's staff to add this person to your care team."
)


@dataclass(frozen=True)
class FamilyInvitation:
    membership: CareTeamMember
    status: str  # "invited": a new account that has to choose a password; "added": an existing family account


def family_invite(
    *,
    client: User,
    email: str,
    display_name: str,
    relationship: str,
    scopes: list[str],
    purpose: str = "",
) -> FamilyInvitation:
    """The member invites a family member (API.md POST /me/care-team/invite/)."""
    # Imported here: members.services' package __init__ imports this module.
    from . import consent_grant, user_create

    if client.role != Role.CLIENT:
        raise NotAllowed(_("Only members invite their family."))
    if relationship not in Relationship.values:
        raise Invalid(_("Choose parent, partner, child, sibling, friend or other."), field="relationship")
    if not isinstance(scopes, list) or set(scopes) - all_scopes():
        raise Invalid(_("Choose from: ") + ", ".join(sorted(all_scopes())) + ".", field="scopes")
    normalized = User.objects.normalize_email(email or "").strip().lower()
    if not normalized or "@" not in normalized:
        raise Invalid(_("Enter an email address."), field="email")
    name = (display_name or "").strip()
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=normalized).first()
        if existing is not None and existing.pk == client.pk:
            raise Invalid(_("That is your own address."), field="email")
        if existing is not None and existing.organization_id == client.organization_id:
            on_team = CareTeamMember.objects.filter(client=client, member=existing, ended_at__isnull=True).exists()
            if on_team:
                raise Conflict(_("%(name)s is already on your care team.") % {"name": existing.display_name}, field="email")
        # Staff, clinicians, mentors, other members, and anyone of another program: never turned
        # into this member's family, and never told apart from one another.
        if existing is not None and (
            existing.organization_id != client.organization_id or existing.role != Role.FAMILY or not existing.is_active
        ):
            raise Invalid(NOT_FAMILY, field="email")
        if existing is None:
            if not name:
                raise Invalid(_("Say what to call them."), field="display_name")
            if len(name) > 80:
                raise Invalid(_("Keep the name to 80 characters or fewer."), field="display_name")
            # No password: user_create publishes "user_invited" and the invitation email goes out.
            member = user_create(
                organization=client.organization,  # type: ignore[arg-type]
                email=normalized,
                display_name=name,
                role=Role.FAMILY,
                actor=client,
                timezone_name=client.timezone,
            )
            status = "invited"
        else:
            member, status = existing, "added"
        try:
            with transaction.atomic():
                membership = CareTeamMember.objects.create(
                    organization_id=client.org_id,
                    client=client,
                    member=member,
                    role=CareRole.FAMILY,
                    relationship=relationship,
                    added_by=client,
                )
        except IntegrityError:
            raise Conflict(_("%(name)s is already on your care team.") % {"name": member.display_name}, field="email") from None
        audit_record(
            actor=client,
            action="care_team.invite",
            target=membership,
            client=client,
            changes={"member": member.pk, "role": CareRole.FAMILY, "relationship": relationship, "status": status},
        )
        if scopes:
            consent_grant(client=client, grantee=member, scopes=scopes, purpose=purpose)
    return FamilyInvitation(membership=membership, status=status)


def family_membership_get(*, client: User, membership_id: int | str) -> CareTeamMember:
    """One of the member's current family memberships, else 404 (clinicians and the mentor are
    not hers to remove: they are not found here)."""
    try:
        pk = int(membership_id)
    except (TypeError, ValueError, OverflowError):
        raise NotVisible() from None
    membership = (
        CareTeamMember.objects.filter(pk=pk, client=client, role=CareRole.FAMILY, ended_at__isnull=True)
        .select_related("member")
        .first()
    )
    if membership is None:
        raise NotVisible()
    return membership


@transaction.atomic
def family_remove(*, client: User, membership: CareTeamMember) -> CareTeamMember:
    """The member removes a family member: the membership ends and every grant to them is
    revoked, now (API.md DELETE /me/care-team/{id}/)."""
    if membership.client_id != client.pk or membership.role != CareRole.FAMILY:
        raise NotVisible()
    if membership.ended_at is None:
        now = timezone.now()
        membership.ended_at = now
        membership.save(update_fields=["ended_at"])
        revoked = ConsentGrant.objects.filter(client=client, grantee_id=membership.member_id, revoked_at__isnull=True).update(
            revoked_at=now
        )
        audit_record(
            actor=client,
            action="care_team.end",
            target=membership,
            client=client,
            changes={"member": membership.member_id, "role": membership.role, "consents_revoked": revoked},
        )
    return membership


def family_invitation_pending(member: User) -> bool:
    """An invited family member who has not chosen a password yet."""
    return member.last_login is None and not member.has_usable_password()
