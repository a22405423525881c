"""Who may do what in matching is decided by the services and selectors, not by the API views or
pages: each one called with the wrong person is refused (NotAllowed or NotVisible). And what a
viewer reads of a member here (her mentor, the last contact, a proposal) follows members.access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from common.errors import Conflict, NotAllowed, NotVisible
from matching import selectors, services
from matching.models import ContactLog, Match, MatchRequest
from members.choices import CareRole, Role
from members.models import AccessLog, CareTeamMember, ConsentGrant
from tests.factories import UserFactory
from tests.matching.conftest import make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(maya_ready):
    return MatchRequest.objects.create(organization=maya_ready.organization, client=maya_ready)


@pytest.fixture
def mentor(org):
    return make_mentor(org, "Jordan", pathways=["smart", "harm_reduction"], languages=["en", "es"])


@pytest.fixture
def proposal(request_, mentor):
    return Match.objects.create(organization=request_.organization, client=request_.client, mentor=mentor, request=request_)


@pytest.fixture
def active(care_team, jordan):
    """Maya and Jordan (on her care team as her mentor, no grant), an active match."""
    return Match.objects.create(organization=care_team.organization, client=care_team, mentor=jordan, status="active")


def log_contact(match: Match, *, hours_ago: int = 2, mentor=None) -> ContactLog:
    return ContactLog.objects.create(
        organization_id=match.organization_id,
        match=match,
        client=match.client,
        mentor=mentor or match.mentor,
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        mode="call",
        duration_minutes=20,
    )


# --- each service or selector with the wrong person -------------------------------------------


def test_only_a_member_asks_for_a_mentor(jordan, sam):
    for someone in (jordan, sam):
        with pytest.raises(NotAllowed):
            services.match_request_create(client=someone)


def test_a_request_and_its_suggestions_are_the_clients_and_staffs(request_, mentor, sam, dr_reyes, omar, org):
    assert selectors.request_get_for_viewer(viewer=request_.client, request_id=request_.pk) == request_
    assert selectors.request_get_for_viewer(viewer=sam, request_id=request_.pk) == request_
    another = UserFactory(role=Role.CLIENT, organization=org)
    for someone in (another, mentor, dr_reyes, omar):
        with pytest.raises(NotVisible):
            selectors.request_get_for_viewer(viewer=someone, request_id=request_.pk)


def test_only_the_client_chooses_for_her_request(request_, mentor, org):
    another = UserFactory(role=Role.CLIENT, organization=org)
    with pytest.raises(NotVisible):
        services.match_choose(client=another, request=request_, mentor_id=mentor.pk)
    assert not Match.objects.exists()


def test_only_the_proposed_mentor_answers(proposal, org, sam):
    other = make_mentor(org, "Other")
    for answer in (services.match_accept, services.match_decline):
        for someone in (other, sam, proposal.client):
            with pytest.raises(NotVisible):
                answer(mentor=someone, match=proposal)
        with pytest.raises(NotVisible):
            selectors.match_get_for_mentor(mentor=other, match_id=proposal.pk)
    assert Match.objects.get().status == "proposed"


def test_only_the_pair_or_their_programs_staff_end_a_match(active, dr_reyes, lee, omar):
    for someone in (dr_reyes, lee):
        with pytest.raises(NotAllowed):
            services.match_end(actor=someone, match=active, reason="x")
    with pytest.raises(NotVisible):  # staff of another program do not see it at all
        services.match_end(actor=omar, match=active, reason="x")
    assert Match.objects.get().status == "active"


def test_only_staff_run_batch_matching(maya, jordan, dr_reyes):
    for someone in (maya, jordan, dr_reyes):
        with pytest.raises(NotAllowed):
            services.batch_run(staff=someone, dry_run=True)


def test_only_the_active_mentor_writes_the_contact_log(active, maya, dr_reyes, sam, org):
    when = timezone.now() - timedelta(hours=1)
    for someone in (maya, dr_reyes, sam, make_mentor(org, "Other")):
        with pytest.raises(NotAllowed):
            services.contact_record(mentor=someone, match=active, occurred_at=when, mode="call", duration_minutes=10)
    services.match_end(actor=maya, match=active, reason="Moving on")
    active.refresh_from_db()
    with pytest.raises(Conflict):  # the ex-mentor: the match has ended
        services.contact_record(mentor=active.mentor, match=active, occurred_at=when, mode="call", duration_minutes=10)
    assert not ContactLog.objects.exists()


def test_the_contact_log_is_read_by_consent_and_not_by_the_ex_mentor(active, maya, jordan, lee, api):
    log_contact(active)
    url = f"/api/v1/matches/{active.pk}/contacts/"
    assert api(jordan).get(url).status_code == 200  # her own log while the match is active
    with pytest.raises(NotAllowed):  # family without the contact_log scope
        selectors.contacts_for_match(viewer=lee, match=active)
    services.match_end(actor=maya, match=active, reason="Moving on")
    assert api(jordan).get(url).status_code == 404
    assert (
        api(jordan).post(url, {"occurred_at": timezone.now().isoformat(), "mode": "call", "duration_minutes": 5}).status_code
        == 404
    )
    with pytest.raises(NotVisible):
        selectors.match_get_for_contacts(viewer=jordan, match_id=active.pk)
    with pytest.raises(NotVisible):
        selectors.contacts_for_match(viewer=jordan, match=Match.objects.get(pk=active.pk))
    assert api(maya).get(url).status_code == 200  # the member still reads her record


# --- the summary provider (mentor and last contact) through members.access --------------------


def test_staff_and_treating_clinician_see_mentor_and_last_contact(active, maya, jordan, dr_reyes, sam):
    at = log_contact(active).occurred_at
    for viewer in (dr_reyes, sam):
        assert selectors.match_summaries(viewer, [maya]) == {
            maya.pk: {"mentor": {"id": jordan.pk, "display_name": "Jordan"}, "last_contact_at": at}
        }


def test_family_see_nothing_even_with_a_contact_log_grant(active, maya, lee):
    log_contact(active)
    assert selectors.match_summaries(lee, [maya]) == {}
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=lee, scopes=["contact_log"])
    assert selectors.match_summaries(lee, [maya]) == {}


def test_the_mentor_sees_herself_and_her_own_last_contact_without_a_grant(active, maya, jordan, org):
    mine = log_contact(active, hours_ago=5).occurred_at
    # A later contact by someone else (a previous mentor's record) stays behind consent.
    log_contact(active, hours_ago=1, mentor=make_mentor(org, "Earlier"))
    row = selectors.match_summaries(jordan, [maya])[maya.pk]
    assert row == {"mentor": {"id": jordan.pk, "display_name": "Jordan"}, "last_contact_at": mine}
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=jordan, scopes=["contact_log"])
    assert selectors.match_summaries(jordan, [maya])[maya.pk]["last_contact_at"] > mine


def test_another_mentor_on_the_team_needs_a_grant_to_see_who_the_mentor_is(active, maya, jordan, org):
    log_contact(active)
    peer = make_mentor(org, "Peer")
    CareTeamMember.objects.create(organization=org, client=maya, member=peer, role=CareRole.MENTOR)
    assert selectors.match_summaries(peer, [maya]) == {}
    ConsentGrant.objects.create(organization=org, client=maya, grantee=peer, scopes=["checkin_summary"])
    assert selectors.match_summaries(peer, [maya])[maya.pk] == {
        "mentor": {"id": jordan.pk, "display_name": "Jordan"},
        "last_contact_at": None,  # the time needs the contact_log scope
    }


def test_outsiders_get_nothing(active, maya, omar, dr_kim, org):
    log_contact(active)
    stranger = UserFactory(role=Role.CLINICIAN, organization=org)  # same program, not on her team
    for viewer in (omar, dr_kim, stranger):
        assert selectors.match_summaries(viewer, [maya]) == {}


# --- the proposals page shows members' own words: the read is logged ---------------------------


def test_proposals_page_logs_the_read_of_the_members_profile(proposal, mentor):
    c = Client()
    c.force_login(mentor)
    assert c.get("/proposals/").status_code == 200
    logged = AccessLog.objects.filter(client=proposal.client, actor=mentor, resource="matching_profile")
    assert logged.count() == 1
    # Nothing shown, nothing logged.
    Match.objects.filter(pk=proposal.pk).update(status="declined")
    c.get("/proposals/")
    assert logged.count() == 1


def test_a_clinician_without_treatment_consent_sees_the_mentor_not_the_contact_time(active, maya, jordan, dr_reyes):
    from members.models import ClientProfile

    log_contact(active)
    ClientProfile.objects.filter(user=maya).update(treatment_consent_at=None)
    maya.refresh_from_db()
    assert selectors.match_summaries(dr_reyes, [maya])[maya.pk] == {
        "mentor": {"id": jordan.pk, "display_name": "Jordan"},
        "last_contact_at": None,
    }


def test_the_ex_mentors_contact_page_post_is_not_found(active, maya, jordan):
    services.match_end(actor=maya, match=active, reason="Moving on")
    c = Client()
    c.force_login(jordan)
    r = c.post(f"/mentees/{active.pk}/contacts/", {"occurred_at": "2026-11-01T18:30", "mode": "video", "duration_minutes": 5})
    assert r.status_code == 404
    assert not ContactLog.objects.exists()


def test_matching_registers_its_own_vocabulary():
    from members.access import all_scopes, kind_visible
    from notifications.kinds import kind_info, kind_known

    for kind in ("match_proposed", "match_accepted", "match_declined", "proposal_expired"):
        assert kind_known(kind) and not kind_info(kind).capped
    assert "contact_log" in all_scopes()
    assert kind_visible("contact_log", "mentor", frozenset({"contact_log"}))
    assert not kind_visible("contact_log", "staff", frozenset())
