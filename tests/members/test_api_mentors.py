"""GET /api/v1/mentors/ and PATCH /api/v1/mentors/{id}/ (staff vetting), served by members."""

import pytest

from members.choices import Role, VettingStatus
from members.models import AuditEvent, MentorProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(org):
    return UserFactory(organization=org, role=Role.MENTOR, display_name="Tyler", profile__status=VettingStatus.PENDING)


def test_staff_list_mentors_and_filter_by_status(api, sam, jordan, pending, omar, other_org):
    UserFactory(organization=other_org, role=Role.MENTOR)
    r = api(sam).get("/api/v1/mentors/")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert {m["id"] for m in rows} == {jordan.pk, pending.pk}
    assert {"id", "display_name", "status", "capacity", "pathways", "languages", "bio"} <= set(rows[0])
    r = api(sam).get("/api/v1/mentors/?status=pending")
    assert [m["id"] for m in r.json()["results"]] == [pending.pk]
    assert api(sam).get("/api/v1/mentors/?status=retired").status_code == 400


def test_staff_approve_and_set_capacity_with_an_audit_record(api, sam, pending):
    r = api(sam).patch(f"/api/v1/mentors/{pending.pk}/", {"status": "approved", "capacity": 5}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved" and r.json()["capacity"] == 5
    profile = MentorProfile.objects.get(user=pending)
    assert profile.status_changed_by == sam
    event = AuditEvent.objects.get(action="mentor.vet")
    assert event.actor == sam and event.changes == {"status": ["pending", "approved"], "capacity": [3, 5]}


@pytest.mark.parametrize(
    "body,field",
    [
        ({"status": "fired"}, "status"),
        ({"status": None}, "status"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 31}, "capacity"),
        ({"capacity": "5"}, "capacity"),
    ],
)
def test_vetting_validation(api, sam, pending, body, field):
    r = api(sam).patch(f"/api/v1/mentors/{pending.pk}/", body, format="json")
    assert r.status_code == 400 and field in r.json()


@pytest.mark.parametrize("persona", ["maya", "jordan", "dr_reyes", "lee"])
def test_only_staff_vet_mentors(api, persona, request, pending):
    user = request.getfixturevalue(persona)
    assert api(user).get("/api/v1/mentors/").status_code == 403
    assert api(user).patch(f"/api/v1/mentors/{pending.pk}/", {"status": "approved"}, format="json").status_code == 403


def test_outsider_staff_get_404_for_our_mentors(api, omar, pending):
    assert api(omar).get(f"/api/v1/mentors/{pending.pk}/").status_code == 404
    assert api(omar).patch(f"/api/v1/mentors/{pending.pk}/", {"status": "approved"}, format="json").status_code == 404
    assert MentorProfile.objects.get(user=pending).status == VettingStatus.PENDING
    assert pending.pk not in {m["id"] for m in api(omar).get("/api/v1/mentors/").json()["results"]}


def test_a_client_id_is_not_a_mentor(api, sam, maya):
    assert api(sam).patch(f"/api/v1/mentors/{maya.pk}/", {"status": "approved"}, format="json").status_code == 404
