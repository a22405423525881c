"""The client summary provider, the data export and erasure."""

import pytest

from checkins import services
from checkins.models import Assessment, CheckIn, FlagKind, RiskFlag
from members.exports import erase_everywhere

pytestmark = pytest.mark.django_db


def test_client_detail_shows_last_checkin_streak_and_open_flags_to_the_clinician(care_team, dr_reyes, post_checkin, api, frozen):
    post_checkin(care_team, need_support=True)
    data = api(dr_reyes).get(f"/api/v1/clients/{care_team.pk}/").data
    assert data["checkin_streak"] == 1 and data["last_checkin_date"].isoformat() == "2026-11-20"
    assert data["flags"] == [FlagKind.CRISIS]


def test_family_with_the_summary_sees_the_streak_but_no_flags(care_team, lee, grant, post_checkin, api, frozen):
    post_checkin(care_team, mood=1)
    services.risk_flag_open(client=care_team, kind=FlagKind.LOW_MOOD, reason="x")
    data = api(lee).get(f"/api/v1/clients/{care_team.pk}/").data
    assert "checkin_streak" not in data and "flags" not in data
    grant(care_team, lee, "checkin_summary")
    data = api(lee).get(f"/api/v1/clients/{care_team.pk}/").data
    assert data["checkin_streak"] == 1 and "flags" not in data


def test_client_list_summaries_take_constant_queries(care_team, org, dr_reyes, post_checkin, api, frozen):
    """The caseload list costs the same number of queries for one member as for six: every
    app's summary provider answers for all listed clients at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.models import CareTeamMember
    from tests.factories import UserFactory

    post_checkin(care_team)
    client = api(dr_reyes)
    client.get("/api/v1/clients/")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/clients/").data["results"]) == 1
    for _ in range(5):
        other = UserFactory(role="client", organization=org)
        CareTeamMember.objects.create(organization=org, client=other, member=dr_reyes, role="clinician")
        post_checkin(other)
    with CaptureQueriesContext(connection) as six:
        response = client.get("/api/v1/clients/")
    assert len(response.data["results"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
    assert all("checkin_streak" in r for r in response.data["results"] if r["id"] == care_team.pk)


def test_export_carries_checkins_assessments_and_flags(maya, post_checkin, api, frozen):
    post_checkin(maya, note="my words", need_support=True)
    api(maya).post("/api/v1/assessments/", {"instrument": "GAD-7", "answers": [0] * 7}, format="json")
    data = api(maya).get("/api/v1/me/export/").data
    assert data["checkins"][0]["note"] == "my words"
    assert data["assessments"][0]["instrument"] == "GAD-7"
    assert data["risk_flags"][0]["kind"] == "crisis"


def test_erasure_removes_checkins_assessments_and_flags(maya, post_checkin, api, frozen):
    post_checkin(maya, need_support=True)
    api(maya).post("/api/v1/assessments/", {"instrument": "GAD-7", "answers": [0] * 7}, format="json")
    erase_everywhere(maya)
    assert not CheckIn.objects.exists() and not Assessment.objects.exists() and not RiskFlag.objects.exists()
