"""No input, however malformed, is a 500."""

from __future__ import annotations

import pytest

from groups.models import Session
from tests.groups.conftest import group_data

pytestmark = pytest.mark.django_db

BAD_GROUP_BODIES = [
    {"capacity": "many"},
    {"capacity": 10**12},
    {"duration_minutes": 10**12},
    {"duration_minutes": "ninety"},
    {"facilitators": ["x"]},
    {"facilitators": "everyone"},
    {"start_local": "2026-13-01T10:00"},
    {"start_local": "2026-10-06T19:00+02:00"},
    {"start_local": "0001-01-01T00:00"},
    {"rrule": "FREQ=WEEKLY;BYDAY=TU\u0000"},
    {"rrule": "FREQ=WEEKLY;BYDAY=TU;BYDAY=WE"},
    {"rrule": "FREQ=YEARLY;BYMONTH=13"},
    {"rrule": "x" * 600},
    {"timezone": ""},
    {"timezone": "../../etc/passwd"},
    {"meeting_types": "O"},
    {"conference_url": "javascript:alert(1)"},
    {"name": ""},
]


@pytest.mark.parametrize("overrides", BAD_GROUP_BODIES)
def test_bad_group_bodies_are_400(frozen, api, dr_reyes, overrides):
    response = api(dr_reyes).post("/api/v1/groups/", group_data(**overrides), format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    "query",
    [
        "?from=2026-10-01T10:00:00+99:00",
        "?from=2026-10-01&to=2026-09-01",
        "?to=9999-12-31",
        "?from=%00",
        "?from=2026-01-01&to=2027-06-01",
    ],
)
def test_bad_session_ranges_are_400(frozen, api, maya, make_group, query):
    group = make_group()
    assert api(maya).get(f"/api/v1/groups/{group.pk}/sessions/{query}").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        [{"member": 10**30, "status": "excused"}],
        [{"member": "me", "status": "excused"}],
        [None],
        "present",
        [{"status": "excused"}],
    ],
)
def test_bad_attendance_bodies_are_400(frozen, api, dr_reyes, make_group, body):
    group = make_group()
    session = Session.objects.filter(group=group).first()
    assert api(dr_reyes).post(f"/api/v1/sessions/{session.pk}/attendance/", body, format="json").status_code == 400


@pytest.mark.parametrize("body", [{"starts_at": "9999-12-31T23:59:00+00:00"}, {"starts_at": "soon"}, {}])
def test_bad_moves_are_400(frozen, api, dr_reyes, make_group, body):
    group = make_group()
    session = Session.objects.filter(group=group).first()
    assert api(dr_reyes).post(f"/api/v1/sessions/{session.pk}/move/", body, format="json").status_code == 400


def test_unknown_ids_are_404(frozen, api, maya):
    assert api(maya).get("/api/v1/groups/999999999/").status_code == 404
    assert api(maya).get("/api/v1/groups/9999999999999999999999/").status_code == 404
    assert api(maya).post("/api/v1/sessions/999999999/cancel/", {}, format="json").status_code == 404
