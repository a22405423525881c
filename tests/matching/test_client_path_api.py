"""The client's path through the API: request → suggestions with reasons → choose → the mentor
accepts or declines → active → ended. Every endpoint: happy path, bad input, outsider → 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from matching.models import Match, MatchRequest, MatchStatus
from matching.services import proposals_expire
from members.models import CareTeamMember, MentorProfile
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- requests -------------------------------------------------------------------------------


def test_client_opens_one_request_and_a_second_is_a_conflict(maya, api):
    response = api(maya).post("/api/v1/match-requests/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "open"
    again = api(maya).post("/api/v1/match-requests/", {}, format="json")
    assert again.status_code == 409
    assert "already" in again.json()["detail"]
    assert MatchRequest.objects.filter(client=maya).count() == 1


def test_request_overrides_are_validated(maya, api):
    response = api(maya).post("/api/v1/match-requests/", {"languages": ["zz"], "formats": ["carrier_pigeon"]}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"languages", "formats"}


def test_only_clients_open_requests(jordan, sam, api):
    assert api(jordan).post("/api/v1/match-requests/", {}, format="json").status_code == 403
    assert api(sam).post("/api/v1/match-requests/", {}, format="json").status_code == 403
    assert api().post("/api/v1/match-requests/", {}, format="json").status_code == 401


# --- suggestions ----------------------------------------------------------------------------


def test_suggestions_best_first_with_reasons(open_request, maya, jordan, mentor_factory, api):
    mentor_factory("Casey", pathways=["twelve_step"], languages=["en"], years_in_recovery=2)
    response = api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/")
    assert response.status_code == 200
    body = response.json()
    assert [s["mentor"]["display_name"] for s in body] == ["Jordan", "Casey"]
    top = body[0]
    assert 0 <= body[1]["score"] < top["score"] <= 100
    assert "Both on a SMART Recovery path" in top["reasons"]
    assert "Free Tuesday and Thursday evenings" in top["reasons"]
    assert "Speaks Spanish" in top["reasons"]
    assert set(top["mentor"]) >= {"id", "display_name", "bio", "pathways", "languages", "years_in_recovery", "formats"}


def test_suggestions_respect_every_hard_constraint(open_request, maya, jordan, mentor_factory, api, priya, other_org):
    from matching.models import MatchRequest as MR

    mentor_factory("NoHarmReduction", supports_harm_reduction=False)  # Maya's goal is moderation
    mentor_factory("Suspended", status="suspended")
    mentor_factory("Pending", status="pending")
    mentor_factory("Full", capacity=0)
    mentor_factory("FrenchOnly", languages=["fr"])
    mentor_factory("InPersonOnly", formats=["in_person"])
    busy = mentor_factory("Busy", capacity=1)
    someone = MR.objects.create(organization=maya.organization, client=priya, status="matched")  # any client row
    Match.objects.create(organization=maya.organization, client=priya, mentor=busy, request=someone, status="active")
    from tests.matching.conftest import make_mentor

    make_mentor(other_org, "Elsewhere")
    names = [
        s["mentor"]["display_name"] for s in api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/?limit=50").json()
    ]
    assert names == ["Jordan"]


def test_required_gender_and_declined_pairs_are_filtered(open_request, maya, jordan, mentor_factory, api):
    from members.models import ClientProfile

    mentor_factory("Rita", gender="woman")
    ClientProfile.objects.filter(user=maya).update(mentor_gender="woman", mentor_gender_required=True)
    names = [s["mentor"]["display_name"] for s in api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/").json()]
    assert names == ["Rita"]
    ClientProfile.objects.filter(user=maya).update(mentor_gender_required=False)
    Match.objects.create(organization=maya.organization, client=maya, mentor=jordan, status=MatchStatus.DECLINED)
    names = [s["mentor"]["display_name"] for s in api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/").json()]
    assert names == ["Rita"]


def test_suggestions_follow_a_mentor_being_suspended(open_request, maya, jordan, sam, api):
    assert len(api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/").json()) == 1
    assert api(sam).patch(f"/api/v1/mentors/{jordan.pk}/", {"status": "suspended"}, format="json").status_code == 200
    assert api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/").json() == []


def test_suggestions_visibility_and_limit(open_request, maya, jordan, sam, omar, priya, dr_reyes, api):
    assert api(sam).get(f"/api/v1/match-requests/{open_request}/suggestions/").status_code == 200
    assert api(omar).get(f"/api/v1/match-requests/{open_request}/suggestions/").status_code == 404
    assert api(priya).get(f"/api/v1/match-requests/{open_request}/suggestions/").status_code == 404
    assert api(dr_reyes).get(f"/api/v1/match-requests/{open_request}/suggestions/").status_code == 403
    assert api(maya).get("/api/v1/match-requests/999999/suggestions/").status_code == 404
    bad = api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/?limit=0")
    assert bad.status_code == 400 and "limit" in bad.json()
    assert api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/?limit=abc").status_code == 400


# --- choose -----------------------------------------------------------------------------------


def test_choose_proposes_and_notifies_the_mentor(open_request, maya, jordan, api):
    response = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": jordan.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "proposed"
    match = Match.objects.get(pk=response.json()["id"])
    assert match.expires_at - match.proposed_at == timedelta(hours=72)
    assert "match_proposed" in kinds(jordan)
    again = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": jordan.pk}, format="json")
    assert again.status_code == 409


def test_choose_bad_input(open_request, maya, jordan, mentor_factory, api, other_org, priya):
    from tests.matching.conftest import make_mentor

    url = f"/api/v1/match-requests/{open_request}/choose/"
    suspended = mentor_factory("Suspended", status="suspended")
    r = api(maya).post(url, {"mentor": suspended.pk}, format="json")
    assert r.status_code == 409 and "not taking new mentees" in r.json()["detail"]
    full = mentor_factory("Full", capacity=1)
    Match.objects.create(organization=maya.organization, client=priya, mentor=full, status="active")
    r = api(maya).post(url, {"mentor": full.pk}, format="json")
    assert r.status_code == 409 and "no room" in r.json()["detail"]
    assert api(maya).post(url, {"mentor": 987654}, format="json").status_code == 404
    elsewhere = make_mentor(other_org, "Elsewhere")
    assert api(maya).post(url, {"mentor": elsewhere.pk}, format="json").status_code == 404
    assert api(maya).post(url, {"mentor": maya.pk}, format="json").status_code == 404  # not a mentor
    missing = api(maya).post(url, {}, format="json")
    assert missing.status_code == 400 and "mentor" in missing.json()
    assert api(maya).post(url, {"mentor": "abc"}, format="json").status_code == 400
    assert api(priya).post(url, {"mentor": jordan.pk}, format="json").status_code == 404  # not her request
    assert not Match.objects.filter(client=maya).exists()


def test_choose_a_mentor_who_does_not_fit_is_refused(open_request, maya, mentor_factory, api):
    no_hr = mentor_factory("Strict", supports_harm_reduction=False)
    r = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": no_hr.pk}, format="json")
    assert r.status_code == 409


# --- accept / decline ----------------------------------------------------------------------


@pytest.fixture
def proposal(open_request, maya, jordan, api):
    r = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": jordan.pk}, format="json")
    return r.json()["id"]


def test_mentor_accepts_and_joins_the_care_team(proposal, maya, jordan, api):
    r = api(jordan).post(f"/api/v1/matches/{proposal}/accept/")
    assert r.status_code == 200 and r.json()["status"] == "active"
    assert "match_accepted" in kinds(maya)
    assert CareTeamMember.objects.filter(client=maya, member=jordan, role="mentor", ended_at__isnull=True).exists()
    assert MatchRequest.objects.get(client=maya).status == "matched"
    assert api(jordan).post(f"/api/v1/matches/{proposal}/accept/").status_code == 409
    # A new request while a mentor is active is refused.
    assert api(maya).post("/api/v1/match-requests/", {}, format="json").status_code == 409


def test_only_the_proposed_mentor_can_answer(proposal, maya, mentor_factory, sam, omar, api):
    other = mentor_factory("Other")
    for user in (other, maya, sam, omar):
        assert api(user).post(f"/api/v1/matches/{proposal}/accept/").status_code == 404
        assert api(user).post(f"/api/v1/matches/{proposal}/decline/").status_code == 404
    assert Match.objects.get(pk=proposal).status == "proposed"


def test_decline_lets_the_client_choose_again(proposal, open_request, maya, jordan, mentor_factory, api):
    r = api(jordan).post(f"/api/v1/matches/{proposal}/decline/")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert "match_declined" in kinds(maya)
    casey = mentor_factory("Casey")
    names = [s["mentor"]["display_name"] for s in api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/").json()]
    assert names == ["Casey"]  # never Jordan again
    again = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": jordan.pk}, format="json")
    assert again.status_code == 409
    ok = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": casey.pk}, format="json")
    assert ok.status_code == 201


def test_unanswered_proposals_expire_after_72_hours(proposal, open_request, maya, jordan, api):
    with time_machine.travel(timezone.now() + timedelta(hours=71)):
        assert proposals_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        assert api(jordan).post(f"/api/v1/matches/{proposal}/accept/").status_code == 409
        assert proposals_expire() == 1
        assert proposals_expire() == 0  # safe twice
    assert Match.objects.get(pk=proposal).status == "expired"
    assert kinds(maya).count("proposal_expired") == 1
    # The request is still open: Maya can choose again (even the same mentor).
    r = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": jordan.pk}, format="json")
    assert r.status_code == 201


def test_beat_schedules_the_expiry_planner():
    from recovery_site.celery import app

    assert any(e["task"] == "matching.tasks.proposals_expire" for e in app.conf.beat_schedule.values())


# --- end ------------------------------------------------------------------------------------


@pytest.fixture
def active(proposal, jordan, api):
    assert api(jordan).post(f"/api/v1/matches/{proposal}/accept/").status_code == 200
    return proposal


def test_end_with_reason_and_rating(active, maya, jordan, api):
    url = f"/api/v1/matches/{active}/end/"
    for bad in ({"reason": "done", "rating": 6}, {"reason": "done", "rating": 0}, {"rating": 4}, {"reason": "", "rating": 3}):
        r = api(maya).post(url, bad, format="json")
        assert r.status_code == 400, bad
    assert "rating" in api(maya).post(url, {"reason": "x", "rating": 9}, format="json").json()
    r = api(maya).post(url, {"reason": "I feel steady now", "rating": 5}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "ended"
    match = Match.objects.get(pk=active)
    assert (match.rating, match.end_reason, match.ended_by_id) == (5, "I feel steady now", maya.pk)
    assert not CareTeamMember.objects.filter(client=maya, member=jordan, ended_at__isnull=True).exists()
    assert api(maya).post(url, {"reason": "again"}, format="json").status_code == 409
    # Maya can look for someone new, and Jordan is not proposed again.
    assert api(maya).post("/api/v1/match-requests/", {}, format="json").status_code == 201


def test_end_permissions(care_team, active, jordan, sam, omar, priya, dr_reyes, api):
    url = f"/api/v1/matches/{active}/end/"
    assert api(omar).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api(priya).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api(dr_reyes).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(sam).post(url, {"reason": "Program closed the match"}, format="json").status_code == 200


def test_mentor_can_end_without_rating(active, jordan, api):
    r = api(jordan).post(f"/api/v1/matches/{active}/end/", {"reason": "Moving away"}, format="json")
    assert r.status_code == 200
    assert Match.objects.get(pk=active).rating is None


def test_ending_a_proposal_is_a_conflict(proposal, maya, api):
    assert api(maya).post(f"/api/v1/matches/{proposal}/end/", {"reason": "x"}, format="json").status_code == 409


# --- list -----------------------------------------------------------------------------------


def test_match_list_by_role(active, maya, jordan, sam, omar, priya, api, django_assert_max_num_queries):
    for user in (maya, jordan, sam):
        body = api(user).get("/api/v1/matches/").json()
        assert [m["id"] for m in body["results"]] == [active]
        assert body["results"][0]["mentor"]["display_name"] == "Jordan"
    for user in (omar, priya):
        assert api(user).get("/api/v1/matches/").json()["results"] == []
    client = api(sam)
    with django_assert_max_num_queries(6):
        client.get("/api/v1/matches/")


def test_mentor_profile_capacity_is_never_exceeded_by_sequential_choices(org, mentor_factory, api):
    from members.choices import Role
    from members.models import ClientProfile
    from tests.factories import UserFactory

    solo = mentor_factory("Solo", capacity=1)
    results = []
    for i in range(3):
        client = UserFactory(email=f"c{i}@example.org", role=Role.CLIENT, organization=org)
        ClientProfile.objects.filter(user=client).update(languages=["en"], goal="abstinence")
        req = api(client).post("/api/v1/match-requests/", {}, format="json").json()["id"]
        results.append(api(client).post(f"/api/v1/match-requests/{req}/choose/", {"mentor": solo.pk}, format="json").status_code)
    assert results == [201, 409, 409]
    assert MentorProfile.objects.get(user=solo).capacity == 1


def test_no_suggestions_once_the_request_is_no_longer_open(open_request, maya, jordan, api):
    chosen = api(maya).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": jordan.pk}, format="json")
    # While the proposal waits the request stays open (a decline or expiry lets Maya choose again).
    assert api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/").status_code == 200
    assert api(jordan).post(f"/api/v1/matches/{chosen.json()['id']}/accept/").status_code == 200
    response = api(maya).get(f"/api/v1/match-requests/{open_request}/suggestions/")
    assert response.status_code == 409
    assert "no longer open" in response.json()["detail"]
