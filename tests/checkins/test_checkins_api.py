"""POST/GET /api/v1/checkins/: one per local day, the streak, bad input, consent-scoped reads."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import IntegrityError

from checkins.models import CheckIn
from members.models import AccessLog, AuditEvent, ClientProfile

from .conftest import NOON, checkin_body

pytestmark = pytest.mark.django_db


def test_first_checkin_of_the_day_is_201_and_a_second_updates_it_200(maya, post_checkin, frozen):
    first = post_checkin(maya, mood=2, craving=6, note="Rough morning")
    assert first.status_code == 201, first.data
    assert first.data["date"] == "2026-11-20"
    assert first.data["mood"] == 2 and first.data["streak"] == 1 and first.data["crisis"] is False
    assert "crisis_resources" not in first.data
    second = post_checkin(maya, mood=4, craving=3, note="Better after a walk")
    assert second.status_code == 200, second.data
    assert second.data["id"] == first.data["id"] and second.data["streak"] == 1
    row = CheckIn.objects.get(client=maya)
    assert (row.mood, row.craving, row.note) == (4, 3, "Better after a walk")
    audit = list(
        AuditEvent.objects.filter(client=maya, target_type="checkin").order_by("pk").values_list("action", "target_id", "actor")
    )
    assert audit == [("checkin.create", row.pk, maya.pk), ("checkin.update", row.pk, maya.pk)]


def test_the_members_time_zone_decides_the_day(maya, post_checkin):
    # 04:30 UTC on the 21st is still 22:30 on the 20th in Chicago.
    with time_machine.travel(datetime(2026, 11, 21, 4, 30, tzinfo=UTC), tick=False):
        late = post_checkin(maya)
    assert late.status_code == 201 and late.data["date"] == "2026-11-20"
    # 06:30 UTC is past midnight in Chicago: a new local day, a new check-in.
    with time_machine.travel(datetime(2026, 11, 21, 6, 30, tzinfo=UTC), tick=False):
        next_day = post_checkin(maya)
    assert next_day.status_code == 201 and next_day.data["date"] == "2026-11-21"
    assert next_day.data["streak"] == 2


def test_the_database_allows_one_checkin_per_client_per_local_day(maya):
    fields = {"organization": maya.organization, "client": maya, "local_date": date(2026, 11, 20), "mood": 3, "craving": 0}
    CheckIn.objects.create(**fields)
    with pytest.raises(IntegrityError):
        CheckIn.objects.create(**fields)


def test_streak_counts_consecutive_checkin_days_and_a_lapse_day_still_counts(maya, post_checkin):
    for day, used in ((16, "no"), (18, "no"), (19, "yes"), (20, "no")):
        with time_machine.travel(datetime(2026, 11, day, 15, tzinfo=UTC), tick=False):
            response = post_checkin(maya, used=used, amount=2 if used == "yes" else None)
            assert response.status_code == 201, response.data
    assert response.data["streak"] == 3  # 18, 19 (a day with use), 20: engagement, not sober days
    # Next morning before checking in, the streak is still alive (it ends yesterday).
    with time_machine.travel(datetime(2026, 11, 21, 15, tzinfo=UTC), tick=False):
        page = post_checkin(maya)
    assert page.data["streak"] == 4


def test_days_since_last_use_only_for_members_who_ask(maya, post_checkin):
    with time_machine.travel(datetime(2026, 11, 17, 15, tzinfo=UTC), tick=False):
        post_checkin(maya, used="yes")
    with time_machine.travel(NOON, tick=False):
        quiet = post_checkin(maya, used="no")
        assert "days_since_last_use" not in quiet.data
        ClientProfile.objects.filter(user=maya).update(show_sober_days=True)
        asked = post_checkin(maya, used="no")
    assert asked.data["days_since_last_use"] == 3


def test_skip_is_always_allowed_and_the_default(maya, api, post_checkin, frozen):
    body = checkin_body()
    del body["used"]
    response = api(maya).post("/api/v1/checkins/", body, format="json")
    assert response.status_code == 201 and response.data["used"] == "skip"
    assert post_checkin(maya, used="skip").status_code == 200


def test_moderation_goal_records_an_amount(maya, post_checkin, frozen):
    response = post_checkin(maya, used="yes", amount="2.5")
    assert response.status_code == 201, response.data
    assert response.data["amount"] == "2.5"


def test_backfilling_yesterday_is_allowed(maya, post_checkin, frozen):
    response = post_checkin(maya, date="2026-11-19")
    assert response.status_code == 201 and response.data["date"] == "2026-11-19"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"mood": 0}, "mood", "Mood (1 very low … 5 very good) is a whole number from 1 to 5."),
        ({"mood": 6}, "mood", "Mood (1 very low … 5 very good) is a whole number from 1 to 5."),
        ({"mood": "great"}, "mood", "Mood (1 very low … 5 very good) is a whole number from 1 to 5."),
        ({"mood": None}, "mood", "Mood (1 very low … 5 very good) is a whole number from 1 to 5."),
        ({"craving": 11}, "craving", "Craving (0 none … 10 strongest) is a whole number from 0 to 10."),
        ({"craving": -1}, "craving", "Craving (0 none … 10 strongest) is a whole number from 0 to 10."),
        ({"used": "sometimes"}, "used", "Answer yes, no, or skip (skip is always fine)."),
        ({"note": "x" * 2001}, "note", "Keep the note to 2000 characters or fewer."),
        ({"date": "2026-11-21"}, "date", "A check-in cannot be for a day that has not happened yet."),
        ({"date": "2026-11-01"}, "date", "You can fill in a missed check-in for up to 7 days back."),
        ({"date": "yesterday"}, "date", None),
        ({"used": "no", "amount": 2}, "amount", "Record an amount only on a day you used."),
        ({"used": "yes", "amount": -1}, "amount", None),
        ({"used": "yes", "amount": "lots"}, "amount", None),
        ({"used": "yes", "amount": 100000}, "amount", None),
    ],
)
def test_bad_input_is_a_400_with_a_clear_message(maya, post_checkin, frozen, overrides, field, message):
    response = post_checkin(maya, **overrides)
    assert response.status_code == 400
    assert field in response.data, response.data
    if message:
        assert response.data[field] == [message]
    assert not CheckIn.objects.exists()


def test_note_of_exactly_2000_characters_is_fine(maya, post_checkin, frozen):
    assert post_checkin(maya, note="x" * 2000).status_code == 201


def test_missing_mood_is_required(maya, api, frozen):
    response = api(maya).post("/api/v1/checkins/", {"craving": 1}, format="json")
    assert response.status_code == 400 and "mood" in response.data


def test_amount_is_for_moderation_goals_only(maya, post_checkin, frozen):
    ClientProfile.objects.filter(user=maya).update(goal="abstinence")
    response = post_checkin(maya, used="yes", amount=1)
    assert response.status_code == 400 and "moderation" in response.data["amount"][0]


def test_a_checkin_for_another_client_is_404(maya, luis, priya, post_checkin, frozen):
    assert post_checkin(maya, client=luis.pk).status_code == 404
    assert post_checkin(maya, client=priya.pk).status_code == 404
    assert post_checkin(maya, client=999999).status_code == 404
    assert not CheckIn.objects.exists()
    assert post_checkin(maya, client=maya.pk).status_code == 201


def test_only_members_check_in(dr_reyes, post_checkin, api, frozen):
    response = post_checkin(dr_reyes)
    assert response.status_code == 403
    assert api().post("/api/v1/checkins/", checkin_body(), format="json").status_code == 401


# --- reads ---------------------------------------------------------------------------------


@pytest.fixture
def history(maya, post_checkin):
    for day in (18, 19, 20):
        with time_machine.travel(datetime(2026, 11, day, 15, tzinfo=UTC), tick=False):
            assert post_checkin(maya, mood=day - 15, craving=1, note=f"day {day}").status_code == 201
    return maya


def test_the_member_reads_their_own_checkins_without_an_access_log_row(history, api, frozen):
    response = api(history).get("/api/v1/checkins/")
    assert response.status_code == 200
    assert [r["date"] for r in response.data["results"]] == ["2026-11-20", "2026-11-19", "2026-11-18"]
    assert response.data["results"][0]["note"] == "day 20" and response.data["streak"] == 3
    assert not AccessLog.objects.exists()


def test_from_and_to_filter_by_local_day(history, api, frozen):
    response = api(history).get("/api/v1/checkins/?from=2026-11-19&to=2026-11-19")
    assert [r["date"] for r in response.data["results"]] == ["2026-11-19"]
    bad = api(history).get("/api/v1/checkins/?from=2026-11-20&to=2026-11-19")
    assert bad.status_code == 400
    assert api(history).get("/api/v1/checkins/?from=soon").status_code == 400


def test_the_treating_clinician_sees_detail_and_the_read_is_logged(history, care_team, dr_reyes, api, frozen):
    response = api(dr_reyes).get(f"/api/v1/checkins/?client={history.pk}")
    assert response.status_code == 200
    assert response.data["results"][0]["mood"] == 5 and response.data["results"][0]["note"] == "day 20"
    log = AccessLog.objects.get()
    assert (log.client, log.actor, log.resource) == (history, dr_reyes, "checkins")


def test_a_clinician_must_say_whose_checkins(dr_reyes, api):
    response = api(dr_reyes).get("/api/v1/checkins/")
    assert response.status_code == 400 and "client" in response.data


def test_mentor_and_family_see_only_what_was_granted(history, care_team, jordan, lee, grant, api, frozen):
    # Nothing granted yet: visible on the team, but not shared → 403, and nothing logged.
    assert api(jordan).get(f"/api/v1/checkins/?client={history.pk}").status_code == 403
    assert not AccessLog.objects.exists()
    grant(history, jordan, "checkin_summary")
    summary = api(jordan).get(f"/api/v1/checkins/?client={history.pk}")
    assert summary.status_code == 200
    assert summary.data["results"][0] == {"date": "2026-11-20", "checked_in": True}
    grant(history, lee, "checkin_detail")
    detail = api(lee).get(f"/api/v1/checkins/?client={history.pk}")
    assert detail.data["results"][0]["note"] == "day 20"
    assert AccessLog.objects.filter(client=history, resource="checkins").count() == 2


def test_staff_see_the_summary_only(history, sam, api, frozen):
    response = api(sam).get(f"/api/v1/checkins/?client={history.pk}")
    assert response.status_code == 200 and "mood" not in response.data["results"][0]


def test_outsiders_get_404(history, omar, dr_kim, priya, luis, api, frozen):
    for outsider in (omar, dr_kim, priya, luis):
        assert api(outsider).get(f"/api/v1/checkins/?client={history.pk}").status_code == 404
    assert not AccessLog.objects.exists()


def test_a_clinician_not_on_the_care_team_gets_404(history, org, api, frozen):
    from tests.factories import UserFactory

    stranger = UserFactory(role="clinician", organization=org)
    assert api(stranger).get(f"/api/v1/checkins/?client={history.pk}").status_code == 404


def test_list_query_count_is_constant(history, api, django_assert_max_num_queries, frozen):
    client = api(history)
    with django_assert_max_num_queries(8):
        client.get("/api/v1/checkins/")


def test_absurd_ids_are_400_or_404_never_500(maya, dr_reyes, post_checkin, api, frozen):
    assert api(dr_reyes).get("/api/v1/checkins/?client=99999999999999999999999").status_code == 400
    assert api(dr_reyes).get("/api/v1/checkins/?client=-3").status_code == 400
    assert post_checkin(maya, client=10**30).status_code == 400
    assert api(dr_reyes).get("/api/v1/risk-flags/?client=99999999999999999999999").status_code == 400
    assert api(maya).post("/api/v1/checkins/", "not json", content_type="application/json").status_code == 400
    assert api(maya).post("/api/v1/checkins/", [1, 2], format="json").status_code == 400


@pytest.mark.parametrize("amount", [None, "2.5", "3"])
def test_the_post_response_matches_the_list_serializer(maya, post_checkin, api, frozen, amount):
    from checkins.serializers import CheckInSerializer

    response = post_checkin(maya, used="yes" if amount else "no", amount=amount, note="same shape")
    row = CheckIn.objects.get(client=maya)
    expected = dict(CheckInSerializer(row).data)
    assert {k: response.data[k] for k in expected} == expected


def test_revoking_consent_ends_the_mentors_reads_at_once(history, care_team, jordan, api, frozen):
    """Through the API as the member would: grant, the mentor reads, revoke, the next read fails."""
    member = api(history)
    granted = member.post("/api/v1/me/consents/", {"grantee": jordan.pk, "scopes": ["checkin_detail"]}, format="json")
    assert granted.status_code == 201, granted.content
    assert api(jordan).get(f"/api/v1/checkins/?client={history.pk}").status_code == 200
    revoked = member.post(f"/api/v1/me/consents/{granted.json()['id']}/revoke/")
    assert revoked.status_code == 200
    assert api(jordan).get(f"/api/v1/checkins/?client={history.pk}").status_code == 403
    reads = member.get("/api/v1/me/access-log/").json()["results"]
    assert [(r["actor"], r["resource"]) for r in reads] == [(jordan.pk, "checkins")]
