"""Who is on a member's care team, and who may change it. The rule lives here, not in the API
or the pages: program staff of her organization and a clinician who treats her change it;
memberships a feature owns (matching: the mentor's) follow the rules that feature registers."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, Invalid, NotAllowed, NotVisible

from .. import access
from ..choices import CareRole, Role
from ..models import CareTeamMember, ConsentGrant, User
from .audit import audit_record

ROLE_FOR_CARE_ROLE = {CareRole.CLINICIAN: Role.CLINICIAN, CareRole.MENTOR: Role.MENTOR, CareRole.FAMILY: Role.FAMILY}

# Memberships a feature owns (matching: the mentor joins when she accepts the member's match and
# leaves when it ends) are allowed by rules that feature registers, so members names no feature.
CareTeamAddRule = Callable[[User, User, User, str], bool]  # (actor, client, member, role) -> allowed
CareTeamEndRule = Callable[[User, CareTeamMember], bool]  # (actor, membership) -> allowed
_care_team_add_rules: list[CareTeamAddRule] = []
_care_team_end_rules: list[CareTeamEndRule] = []


def care_team_rule_register(*, may_add: CareTeamAddRule | None = None, may_end: CareTeamEndRule | None = None) -> None:
    """Let a feature allow the care-team changes it owns (idempotent)."""
    if may_add is not None and may_add not in _care_team_add_rules:
        _care_team_add_rules.append(may_add)
    if may_end is not None and may_end not in _care_team_end_rules:
        _care_team_end_rules.append(may_end)


def care_team_change_check(*, actor: User, client: User) -> None:
    """Who changes a member's care team: program staff of her organization, and a clinician who
    treats her (who sees her through members.access). Anyone else who can see her gets NotAllowed,
    anyone who cannot NotVisible. The member's own family invitations are a flow of their own."""
    view = access.client_get_for_viewer(viewer=actor, client_id=client.pk)
    if view.relation not in ("staff", CareRole.CLINICIAN.value):
        raise NotAllowed(_("Only staff and clinicians change care teams."))


def care_team_may_change(*, actor: User, client: User) -> bool:
    try:
        care_team_change_check(actor=actor, client=client)
    except (NotAllowed, NotVisible):
        return False
    return True


def _care_team_change_allowed(*, actor: User, client: User, feature_allows: Callable[[], bool]) -> None:
    try:
        care_team_change_check(actor=actor, client=client)
    except (NotAllowed, NotVisible):
        # Another organization's people never reach a feature's rule.
        if actor.organization_id != client.organization_id or not feature_allows():
            raise


@transaction.atomic
def care_team_add(*, actor: User, client: User, member: User, role: str) -> CareTeamMember:
    _care_team_change_allowed(
        actor=actor,
        client=client,
        feature_allows=lambda: any(rule(actor, client, member, role) for rule in _care_team_add_rules),
    )
    if role not in ROLE_FOR_CARE_ROLE:
        raise Invalid(_("Unknown care-team role “%(role)s”.") % {"role": role}, field="role")
    if member.organization_id != client.organization_id or member.role != ROLE_FOR_CARE_ROLE[CareRole(role)]:
        wanted = {
            Role.CLINICIAN: _("Choose a clinician from this program."),
            Role.MENTOR: _("Choose a mentor from this program."),
            Role.FAMILY: _("Choose a family member from this program."),
        }
        raise Invalid(wanted[ROLE_FOR_CARE_ROLE[CareRole(role)]], field="user")
    if CareTeamMember.objects.filter(client=client, member=member, ended_at__isnull=True).exists():
        raise Conflict(_("%(name)s is already on this care team.") % {"name": member.display_name})
    try:
        with transaction.atomic():
            membership = CareTeamMember.objects.create(
                organization_id=client.org_id, client=client, member=member, role=role, added_by=actor
            )
    except IntegrityError:
        raise Conflict(_("%(name)s is already on this care team.") % {"name": member.display_name}) from None
    audit_record(
        actor=actor, action="care_team.add", target=membership, client=client, changes={"member": member.pk, "role": role}
    )
    return membership


@transaction.atomic
def care_team_end(*, actor: User, membership: CareTeamMember) -> CareTeamMember:
    _care_team_change_allowed(
        actor=actor,
        client=membership.client,
        feature_allows=lambda: any(rule(actor, membership) for rule in _care_team_end_rules),
    )
    if membership.ended_at is None:
        now = timezone.now()
        membership.ended_at = now
        membership.save(update_fields=["ended_at"])
        # Leaving the team ends what the client shared with this person: being added back
        # later must not silently bring old consents back to life.
        revoked = ConsentGrant.objects.filter(
            client_id=membership.client_id, grantee_id=membership.member_id, revoked_at__isnull=True
        ).update(revoked_at=now)
        audit_record(
            actor=actor,
            action="care_team.end",
            target=membership,
            client=membership.client,
            changes={"member": membership.member_id, "role": membership.role, "consents_revoked": revoked},
        )
    return membership
