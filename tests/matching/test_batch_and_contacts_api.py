"""Staff batch matching (POST /api/v1/matching/runs/) and the mentor's contact log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matching.models import ContactLog, Match, MatchRequest
from members.choices import Role
from members.models import AccessLog, ClientProfile, ConsentGrant
from notifications.models import Notification
from tests.factories import UserFactory
from tests.matching.conftest import make_mentor

pytestmark = pytest.mark.django_db


def client_with_request(org, name, **profile):
    user = UserFactory(email=f"{name.lower()}@example.org", display_name=name, role=Role.CLIENT, organization=org)
    prefs = {"languages": ["en"], "goal": "abstinence", "formats": ["video"], "pathways": ["smart"]}
    prefs.update(profile)
    ClientProfile.objects.filter(user=user).update(**prefs)
    MatchRequest.objects.create(organization=org, client=user)
    return user


# --- batch runs -----------------------------------------------------------------------------


def test_dry_run_shows_an_optimal_plan_and_writes_nothing(org, sam, api):
    # Greedy would give Ana her favourite (Jo) and leave Ben, who only speaks Spanish, alone.
    jo = make_mentor(org, "Jo", capacity=1, languages=["en", "es"], pathways=["smart"], years_in_recovery=5)
    make_mentor(org, "Kim", capacity=1, languages=["en"], pathways=["twelve_step"], years_in_recovery=1)
    client_with_request(org, "Ana")
    client_with_request(org, "Ben", languages=["es"])
    client_with_request(org, "Cy", languages=["fr"])
    r = api(sam).post("/api/v1/matching/runs/", {"dry_run": True}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["dry_run"] is True
    assert (body["matched"], body["unmatched"]) == (2, 1)
    by_client = {a["client"]["display_name"]: a for a in body["assignments"]}
    assert by_client["Ben"]["mentor"] == jo.pk
    assert body["objective"] == sum(a["score"] for a in body["assignments"])
    assert body["certified_optimal"] is True
    assert body["unmatched_requests"][0]["client"]["display_name"] == "Cy"
    assert "language" in body["unmatched_requests"][0]["reason"]
    assert isinstance(body["duration_ms"], float)
    assert not Match.objects.exists()


def test_propose_all_creates_proposals_and_notifies_mentors(org, sam, api, django_capture_on_commit_callbacks):
    jo = make_mentor(org, "Jo", capacity=2)
    client_with_request(org, "Ana")
    client_with_request(org, "Ben")
    with django_capture_on_commit_callbacks(execute=True):
        r = api(sam).post("/api/v1/matching/runs/", {"dry_run": False}, format="json")
    assert r.status_code == 200
    assert r.json()["matched"] == 2
    assert Match.objects.filter(mentor=jo, status="proposed", source="batch").count() == 2
    assert Notification.objects.filter(recipient=jo, kind="match_proposed").count() == 2
    # A second run proposes nothing new: those clients now have a proposal.
    again = api(sam).post("/api/v1/matching/runs/", {"dry_run": False}, format="json").json()
    assert again["matched"] == 0 and again["unmatched"] == 0


def test_runs_never_move_matched_people_and_respect_taken_places(org, sam, api):
    jo = make_mentor(org, "Jo", capacity=1)
    kim = make_mentor(org, "Kim", capacity=2)
    settled = client_with_request(org, "Settled")
    Match.objects.create(organization=org, client=settled, mentor=kim, status="active")
    client_with_request(org, "Ana")
    client_with_request(org, "Ben")
    body = api(sam).post("/api/v1/matching/runs/", {"dry_run": True}, format="json").json()
    assert {a["client"]["display_name"] for a in body["assignments"]} == {"Ana", "Ben"}
    assert sorted(a["mentor"] for a in body["assignments"]) == sorted([jo.pk, kim.pk])


def test_runs_are_staff_only_and_scoped_to_the_organization(org, sam, omar, maya, jordan, api):
    client_with_request(org, "Ana")
    make_mentor(org, "Jo")
    assert api(maya).post("/api/v1/matching/runs/", {"dry_run": True}, format="json").status_code == 403
    assert api(jordan).post("/api/v1/matching/runs/", {"dry_run": True}, format="json").status_code == 403
    outsider = api(omar).post("/api/v1/matching/runs/", {"dry_run": False}, format="json").json()
    assert outsider["matched"] == 0 and outsider["assignments"] == []
    assert not Match.objects.exists()
    assert api(sam).post("/api/v1/matching/runs/", {"dry_run": "maybe"}, format="json").status_code == 400


# --- contact log ------------------------------------------------------------------------------


@pytest.fixture
def active_match(care_team, maya, jordan):
    return Match.objects.create(organization=maya.organization, client=maya, mentor=jordan, status="active")


def contact(**extra):
    data = {
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "mode": "call",
        "duration_minutes": 25,
        "note": "Talked about work stress",
    }
    data.update(extra)
    return data


def test_mentor_logs_and_reads_contacts(active_match, jordan, api):
    url = f"/api/v1/matches/{active_match.pk}/contacts/"
    r = api(jordan).post(url, contact(), format="json")
    assert r.status_code == 201, r.content
    assert r.json()["mode"] == "call"
    listed = api(jordan).get(url).json()["results"]
    assert [c["note"] for c in listed] == ["Talked about work stress"]


def test_contact_validation(active_match, jordan, maya, api):
    url = f"/api/v1/matches/{active_match.pk}/contacts/"
    r = api(jordan).post(url, contact(mode="carrier_pigeon", duration_minutes=0), format="json")
    assert r.status_code == 400 and {"mode", "duration_minutes"} <= set(r.json())
    future = api(jordan).post(url, contact(occurred_at=(timezone.now() + timedelta(days=1)).isoformat()), format="json")
    assert future.status_code == 400 and "occurred_at" in future.json()
    assert api(jordan).post(url, {}, format="json").status_code == 400
    assert api(maya).post(url, contact(), format="json").status_code == 403  # the client does not write the mentor's log
    assert not ContactLog.objects.exists()


def test_care_team_reads_contacts_under_consent_and_it_is_logged(active_match, jordan, dr_reyes, lee, maya, api):
    url = f"/api/v1/matches/{active_match.pk}/contacts/"
    api(jordan).post(url, contact(), format="json")
    # Dr. Reyes treats Maya (treatment consent): she reads it, and Maya sees that she did.
    assert api(dr_reyes).get(url).status_code == 200
    assert AccessLog.objects.filter(client=maya, actor=dr_reyes, resource="contact_log").exists()
    # Lee (family) needs a grant.
    assert api(lee).get(url).status_code == 403
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=lee, scopes=["contact_log"])
    assert api(lee).get(url).status_code == 200
    assert api(maya).get(url).status_code == 200


def test_contacts_outsiders_get_404(active_match, omar, priya, dr_kim, mentor_factory, api):
    url = f"/api/v1/matches/{active_match.pk}/contacts/"
    stranger = mentor_factory("Stranger")
    for user in (omar, priya, dr_kim, stranger):
        assert api(user).get(url).status_code == 404
        assert api(user).post(url, contact(), format="json").status_code == 404
    assert api(omar).get("/api/v1/matches/99999999/contacts/").status_code == 404


def test_staff_sees_the_match_but_not_the_log_without_consent(active_match, sam, api):
    assert api(sam).get(f"/api/v1/matches/{active_match.pk}/contacts/").status_code == 403


# --- client record and personal data ---------------------------------------------------------


def test_client_summary_shows_mentor_and_last_contact(active_match, jordan, dr_reyes, maya, api):
    api(jordan).post(f"/api/v1/matches/{active_match.pk}/contacts/", contact(), format="json")
    body = api(dr_reyes).get(f"/api/v1/clients/{maya.pk}/").json()
    assert body["mentor"]["display_name"] == "Jordan"
    assert body["last_contact_at"] is not None


def test_export_and_erasure(active_match, jordan, maya, api):
    from members.exports import erase_everywhere

    api(jordan).post(f"/api/v1/matches/{active_match.pk}/contacts/", contact(), format="json")
    exported = api(maya).get("/api/v1/me/export/").json()["matching"]
    assert exported["matches"][0]["mentor_id"] == jordan.pk
    assert exported["contacts"][0]["note"] == "Talked about work stress"
    erase_everywhere(maya)
    assert ContactLog.objects.get().note == ""


def test_family_does_not_see_mentor_contact_times(active_match, jordan, lee, maya, api):
    from members.client_records import summaries_for

    api(jordan).post(f"/api/v1/matches/{active_match.pk}/contacts/", contact(), format="json")
    assert "last_contact_at" not in summaries_for(lee, [maya])[maya.pk]
    assert summaries_for(jordan, [maya])[maya.pk]["last_contact_at"] is not None
