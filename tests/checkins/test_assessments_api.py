"""POST/GET /api/v1/assessments/ and the suggestions (BARC-10 monthly, PHQ-9/GAD-7 fortnightly)."""

from datetime import UTC, datetime

import pytest
import time_machine

from checkins.models import Assessment
from members.models import AccessLog

pytestmark = pytest.mark.django_db


def submit(api, user, instrument, answers):
    return api(user).post("/api/v1/assessments/", {"instrument": instrument, "answers": answers}, format="json")


def test_a_questionnaire_is_scored_at_once(maya, api):
    response = submit(api, maya, "GAD-7", [2, 2, 2, 1, 1, 1, 1])
    assert response.status_code == 201, response.data
    assert (response.data["score"], response.data["band"], response.data["flags"]) == (10, "moderate", ["gad7_evaluate"])
    assert "conversation with your clinician" in response.data["result"]
    barc = submit(api, maya, "BARC-10", [5] * 10)
    assert (barc.data["score"], barc.data["band"]) == (50, "strong")
    bam = submit(api, maya, "BAM", [1] * 17)
    assert bam.data["subscores"] == {"use": 3, "risk": 6, "protective": 6}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "PHQ-9", "answers": [0] * 8}, "answers"),
        ({"instrument": "PHQ-9", "answers": [0] * 10}, "answers"),
        ({"instrument": "PHQ-9", "answers": [0] * 8 + [4]}, "answers"),
        ({"instrument": "BARC-10", "answers": [0] * 10}, "answers"),
        ({"instrument": "BAM", "answers": [0] * 16 + [-1]}, "answers"),
        ({"instrument": "GAD-7", "answers": ["a"] * 7}, "answers"),
        ({"instrument": "GAD-7", "answers": [None] * 7}, "answers"),
        ({"instrument": "GAD-7", "answers": 3}, "answers"),
        ({"instrument": "GAD-7", "answers": []}, "answers"),
        ({"instrument": "GAD-7"}, "answers"),
        ({"instrument": "AUDIT", "answers": [0] * 10}, "instrument"),
        ({"answers": [0] * 7}, "instrument"),
    ],
)
def test_wrong_answers_are_400(maya, api, body, field):
    response = api(maya).post("/api/v1/assessments/", body, format="json")
    assert response.status_code == 400 and field in response.data, response.data
    assert not Assessment.objects.exists()


def test_only_members_fill_in_questionnaires(dr_reyes, api):
    assert submit(api, dr_reyes, "GAD-7", [0] * 7).status_code == 403


def test_reads_follow_the_assessments_consent(care_team, dr_reyes, jordan, lee, omar, grant, api):
    submit(api, care_team, "PHQ-9", [1] * 8 + [0])
    own = api(care_team).get("/api/v1/assessments/")
    assert own.status_code == 200 and own.data["results"][0]["score"] == 8
    clinician = api(dr_reyes).get(f"/api/v1/assessments/?client={care_team.pk}")
    assert clinician.status_code == 200 and clinician.data["results"][0]["band"] == "mild"
    assert api(jordan).get(f"/api/v1/assessments/?client={care_team.pk}").status_code == 403
    grant(care_team, jordan, "assessments")
    assert api(jordan).get(f"/api/v1/assessments/?client={care_team.pk}&instrument=PHQ-9").data["results"][0]["score"] == 8
    assert api(jordan).get(f"/api/v1/assessments/?client={care_team.pk}&instrument=GAD-7").data["results"] == []
    assert api(omar).get(f"/api/v1/assessments/?client={care_team.pk}").status_code == 404
    assert api(dr_reyes).get("/api/v1/assessments/").status_code == 400
    assert sorted(AccessLog.objects.filter(resource="assessments").values_list("actor__display_name", flat=True)) == [
        "Dr. Ana Reyes",
        "Jordan",
        "Jordan",
    ]


def test_suggestions_barc10_monthly_phq9_and_gad7_every_two_weeks(maya, api):
    with time_machine.travel(datetime(2026, 11, 1, 15, tzinfo=UTC), tick=False):
        assert [d["instrument"] for d in api(maya).get("/api/v1/assessments/due/").data] == ["BARC-10", "PHQ-9", "GAD-7"]
        for instrument, answers in (("BARC-10", [4] * 10), ("PHQ-9", [0] * 9), ("GAD-7", [0] * 7)):
            submit(api, maya, instrument, answers)
        assert api(maya).get("/api/v1/assessments/due/").data == []
    with time_machine.travel(datetime(2026, 11, 15, 15, tzinfo=UTC), tick=False):
        assert [d["instrument"] for d in api(maya).get("/api/v1/assessments/due/").data] == ["PHQ-9", "GAD-7"]
    with time_machine.travel(datetime(2026, 12, 1, 15, tzinfo=UTC), tick=False):
        assert [d["instrument"] for d in api(maya).get("/api/v1/assessments/due/").data] == ["BARC-10", "PHQ-9", "GAD-7"]
