"""Who changes a member's care team is a rule of the services (care_team_add, care_team_end),
whichever way they are called: program staff of her organization and a clinician who treats
her; a mentor joins and leaves through her match (matching registers that rule). Everyone else
is refused and nothing changes."""

from __future__ import annotations

import pytest

from common.errors import NotAllowed, NotVisible
from members import services
from members.choices import CareRole, Role
from members.models import AuditEvent, CareTeamMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = (NotAllowed, NotVisible)


@pytest.fixture
def rosa(org):  # type: ignore[no-untyped-def]
    """Family of the organization, not yet on anyone's team."""
    return UserFactory(display_name="Rosa", role=Role.FAMILY, organization=org)


@pytest.fixture
def dr_off_team(org):  # type: ignore[no-untyped-def]
    return UserFactory(display_name="Dr. Lin", role=Role.CLINICIAN, organization=org)


@pytest.mark.parametrize("actor", ["jordan", "lee", "omar", "dr_off_team", "care_team"])
def test_care_team_add_refuses_a_wrong_actor(request, care_team, rosa, actor):
    who = request.getfixturevalue(actor)
    with pytest.raises(REFUSED):
        services.care_team_add(actor=who, client=care_team, member=rosa, role=CareRole.FAMILY)
    assert not CareTeamMember.objects.filter(client=care_team, member=rosa).exists()
    assert not AuditEvent.objects.filter(action="care_team.add").exists()


@pytest.mark.parametrize("actor", ["jordan", "lee", "omar", "dr_off_team", "care_team"])
def test_care_team_end_refuses_a_wrong_actor(request, care_team, lee, actor):
    who = request.getfixturevalue(actor)
    membership = CareTeamMember.objects.get(client=care_team, member=lee)
    with pytest.raises(REFUSED):
        services.care_team_end(actor=who, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_at is None


def test_outsiders_and_clinicians_off_the_team_cannot_even_see_the_member(care_team, rosa, omar, dr_off_team):
    for who in (omar, dr_off_team):
        with pytest.raises(NotVisible):
            services.care_team_add(actor=who, client=care_team, member=rosa, role=CareRole.FAMILY)


def test_staff_and_the_treating_clinician_change_the_team(care_team, rosa, sam, dr_reyes, dr_off_team):
    added = services.care_team_add(actor=dr_reyes, client=care_team, member=rosa, role=CareRole.FAMILY)
    services.care_team_end(actor=sam, membership=added)
    assert CareTeamMember.objects.get(pk=added.pk).ended_at is not None
    services.care_team_add(actor=sam, client=care_team, member=dr_off_team, role=CareRole.CLINICIAN)
    assert services.care_team_may_change(actor=dr_off_team, client=care_team)  # she treats Maya now


def test_may_change_answers_the_pages_question(care_team, sam, dr_reyes, jordan, lee, omar):
    assert services.care_team_may_change(actor=sam, client=care_team)
    assert services.care_team_may_change(actor=dr_reyes, client=care_team)
    for who in (jordan, lee, omar, care_team):
        assert not services.care_team_may_change(actor=who, client=care_team)


def test_a_mentor_joins_only_through_an_accepted_match_and_leaves_when_it_ends(maya, jordan, org):
    from matching.models import Match, MatchStatus

    with pytest.raises(REFUSED):  # putting herself on a member's team is not a match
        services.care_team_add(actor=jordan, client=maya, member=jordan, role=CareRole.MENTOR)
    match = Match.objects.create(organization=org, client=maya, mentor=jordan, status=MatchStatus.ACTIVE)
    membership = services.care_team_add(actor=jordan, client=maya, member=jordan, role=CareRole.MENTOR)
    other = UserFactory(role=Role.FAMILY, organization=org)
    with pytest.raises(NotAllowed):  # the match lets her join as mentor, nothing more
        services.care_team_add(actor=jordan, client=maya, member=other, role=CareRole.FAMILY)
    with pytest.raises(NotAllowed):  # while the match is active, neither ends her place alone
        services.care_team_end(actor=maya, membership=membership)
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.ENDED)
    services.care_team_end(actor=maya, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_at is not None
