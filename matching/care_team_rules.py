"""Matching owns the mentor's place on a member's care team: she joins it when she accepts the
member's match and leaves it when the match ends. members.services.care_team_add/_end ask these
rules (registered in apps.py) for the changes only matching may make."""

from __future__ import annotations

from members.choices import CareRole
from members.models import CareTeamMember, User

from .models import Match, MatchStatus


def mentor_joins_through_match(actor: User, client: User, member: User, role: str) -> bool:
    """The mentor herself joins, as mentor, once she has accepted this member's match."""
    return (
        role == CareRole.MENTOR
        and actor.pk == member.pk
        and Match.objects.filter(client=client, mentor=member, status=MatchStatus.ACTIVE).exists()
    )


def mentor_leaves_when_the_match_ends(actor: User, membership: CareTeamMember) -> bool:
    """The member or the mentor ended their match: the mentor's place on the team ends with it."""
    if membership.role != CareRole.MENTOR or actor.pk not in (membership.client_id, membership.member_id):
        return False
    pair = Match.objects.filter(client_id=membership.client_id, mentor_id=membership.member_id)
    return pair.filter(status=MatchStatus.ENDED).exists() and not pair.filter(status=MatchStatus.ACTIVE).exists()
