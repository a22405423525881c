"""Family peer mentors (issue 10): a family member asks for one and is offered only mentors
with lived experience as a family member; members are never offered them; batch runs handle
both kinds without mixing them."""

from __future__ import annotations

import pytest

from matching.models import Match
from members.choices import VettingStatus
from members.models import CareTeamMember, MentorProfile
from tests.matching.conftest import make_mentor


@pytest.fixture
def mentors(org):  # type: ignore[no-untyped-def]
    peer = make_mentor(org, "Dana", family_peer=True, status=VettingStatus.APPROVED)
    regular = make_mentor(org, "Chris", status=VettingStatus.APPROVED)
    return peer, regular


@pytest.mark.django_db
def test_a_family_member_gets_only_family_peers_and_the_match_works_like_a_members(api, lee, maya, mentors):
    peer, regular = mentors
    req = api(lee).post("/api/v1/match-requests/", {}, format="json")
    assert req.status_code == 201
    suggestions = api(lee).get(f"/api/v1/match-requests/{req.json()['id']}/suggestions/").json()
    assert [s["mentor"]["display_name"] for s in suggestions] == ["Dana"]
    # Choosing a mentor who is not a family peer is refused.
    refused = api(lee).post(f"/api/v1/match-requests/{req.json()['id']}/choose/", {"mentor": regular.pk}, format="json")
    assert refused.status_code == 409
    chosen = api(lee).post(f"/api/v1/match-requests/{req.json()['id']}/choose/", {"mentor": peer.pk}, format="json")
    assert chosen.status_code == 201
    accepted = api(peer).post(f"/api/v1/matches/{chosen.json()['id']}/accept/", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert api(lee).get("/api/v1/matches/").json()["count"] == 1
    # Members are offered the other mentors only.
    member_req = api(maya).post("/api/v1/match-requests/", {}, format="json").json()
    names = [s["mentor"]["display_name"] for s in api(maya).get(f"/api/v1/match-requests/{member_req['id']}/suggestions/").json()]
    assert "Dana" not in names


@pytest.mark.django_db
def test_batch_runs_handle_both_kinds_without_mixing(api, lee, maya, sam, mentors):
    peer, regular = mentors
    api(lee).post("/api/v1/match-requests/", {}, format="json")
    api(maya).post("/api/v1/match-requests/", {}, format="json")
    run = api(sam).post("/api/v1/matching/runs/", {"dry_run": False}, format="json")
    assert run.status_code == 200, run.content
    pairs = set(Match.objects.values_list("client__display_name", "mentor__display_name"))
    assert pairs == {("Lee", "Dana"), ("Maya", "Chris")}


@pytest.mark.django_db
def test_mentors_mark_family_peer_on_their_profile(api, org):
    mentor = make_mentor(org, "Robin")
    response = api(mentor).patch("/api/v1/me/profile/", {"family_peer": True}, format="json")
    assert response.status_code == 200 and response.json()["family_peer"] is True
    assert MentorProfile.objects.get(user=mentor).family_peer is True
    assert not CareTeamMember.objects.exists()
