"""Risk flags: opened by the rules, never duplicated while open, resolved by clinicians with a
note; the planners (no check-in for 3 days, the nudge) and the missed-sessions service."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from checkins import services
from checkins.models import CheckIn, FlagKind, RiskFlag
from members.models import AccessLog, User
from notifications.models import Kind, Notification
from notifications.services import preference_update
from tests.factories import UserFactory

from .conftest import NOON

pytestmark = pytest.mark.django_db


def on_day(day, post, user, **fields):
    with time_machine.travel(datetime(2026, 11, day, 15, tzinfo=UTC), tick=False):
        response = post(user, **fields)
        assert response.status_code in (200, 201), response.data
        return response


def open_kinds(client):
    return sorted(RiskFlag.objects.filter(client=client, resolved_at__isnull=True).values_list("kind", flat=True))


def test_craving_of_7_on_2_of_the_last_3_checkins_opens_high_craving(care_team, jordan, grant, post_checkin):
    grant(care_team, jordan, "checkin_detail")  # she shares how she is doing with her mentor
    on_day(17, post_checkin, care_team, craving=7)
    on_day(18, post_checkin, care_team, craving=2)
    assert open_kinds(care_team) == []
    on_day(19, post_checkin, care_team, craving=9)
    assert open_kinds(care_team) == ["high_craving"]
    flag = RiskFlag.objects.get(client=care_team)
    assert flag.reason == "Craving of 7 or more on 2 of the last 3 check-ins."
    # The mentor hears about it once per episode, without the numbers.
    note = Notification.objects.get(recipient=jordan, kind=Kind.DISENGAGEMENT)
    assert "craving" not in note.body.lower() and note.title == f"Check in with {care_team.display_name}"
    on_day(20, post_checkin, care_team, craving=8)
    assert RiskFlag.objects.filter(client=care_team, kind="high_craving").count() == 1
    assert Notification.objects.filter(recipient=jordan, kind=Kind.DISENGAGEMENT).count() == 1


def test_craving_6_is_below_the_line(maya, post_checkin):
    for day in (18, 19, 20):
        on_day(day, post_checkin, maya, craving=6)
    assert open_kinds(maya) == []


def test_mood_of_2_or_less_three_days_running_opens_low_mood(maya, post_checkin):
    on_day(17, post_checkin, maya, mood=2)
    on_day(18, post_checkin, maya, mood=1)
    assert open_kinds(maya) == []
    on_day(19, post_checkin, maya, mood=2)
    assert open_kinds(maya) == ["low_mood"]


def test_low_mood_needs_consecutive_days(maya, post_checkin):
    on_day(15, post_checkin, maya, mood=1)
    on_day(17, post_checkin, maya, mood=1)
    on_day(18, post_checkin, maya, mood=2)
    assert open_kinds(maya) == []
    on_day(19, post_checkin, maya, mood=3)
    assert open_kinds(maya) == []


def test_a_flag_is_never_duplicated_while_open_and_reopens_after_resolution(care_team, dr_reyes):
    maya = care_team
    flag, opened = services.risk_flag_open(client=maya, kind=FlagKind.LOW_MOOD, reason="test")
    again, opened_again = services.risk_flag_open(client=maya, kind=FlagKind.LOW_MOOD, reason="test")
    assert opened and not opened_again and again.pk == flag.pk
    services.risk_flag_resolve(actor=dr_reyes, flag=flag, note="Called her; she is ok.")
    _, reopened = services.risk_flag_open(client=maya, kind=FlagKind.LOW_MOOD, reason="test")
    assert reopened and RiskFlag.objects.filter(client=maya).count() == 2


def test_the_database_refuses_a_second_open_flag_of_a_kind(maya):
    from django.db import IntegrityError

    RiskFlag.objects.create(organization=maya.organization, client=maya, kind="crisis", reason="a")
    with pytest.raises(IntegrityError):
        RiskFlag.objects.create(organization=maya.organization, client=maya, kind="crisis", reason="b")


# --- API: list and resolve -----------------------------------------------------------------


@pytest.fixture
def flag(care_team):
    return services.risk_flag_open(
        client=care_team, kind=FlagKind.HIGH_CRAVING, reason="Craving of 7 or more on 2 of the last 3 check-ins."
    )[0]


def test_the_clinician_resolves_a_flag_with_a_note(flag, dr_reyes, api):
    response = api(dr_reyes).post(
        f"/api/v1/risk-flags/{flag.pk}/resolve/", {"note": "Met on Tuesday; plan updated."}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["open"] is False and response.data["resolved_by"]["id"] == dr_reyes.pk
    flag.refresh_from_db()
    assert flag.resolution_note == "Met on Tuesday; plan updated." and flag.resolved_by == dr_reyes
    again = api(dr_reyes).post(f"/api/v1/risk-flags/{flag.pk}/resolve/", {"note": "again"}, format="json")
    assert again.status_code == 409


def test_resolving_needs_a_note(flag, dr_reyes, api):
    for body in ({}, {"note": ""}, {"note": "x" * 2001}):
        response = api(dr_reyes).post(f"/api/v1/risk-flags/{flag.pk}/resolve/", body, format="json")
        assert response.status_code == 400 and "note" in response.data


def test_mentors_see_flags_with_detail_but_do_not_resolve(flag, jordan, grant, api):
    assert api(jordan).post(f"/api/v1/risk-flags/{flag.pk}/resolve/", {"note": "x"}, format="json").status_code == 404
    grant(flag.client, jordan, "checkin_detail")
    assert api(jordan).post(f"/api/v1/risk-flags/{flag.pk}/resolve/", {"note": "x"}, format="json").status_code == 403
    listed = api(jordan).get(f"/api/v1/risk-flags/?client={flag.client_id}")
    assert listed.status_code == 200 and [f["kind"] for f in listed.data["results"]] == ["high_craving"]


def test_outsiders_get_404_for_flags(flag, omar, dr_kim, api):
    for outsider in (omar, dr_kim):
        assert api(outsider).post(f"/api/v1/risk-flags/{flag.pk}/resolve/", {"note": "x"}, format="json").status_code == 404
        assert api(outsider).get(f"/api/v1/risk-flags/?client={flag.client_id}").status_code == 404
        assert api(outsider).get("/api/v1/risk-flags/").data["results"] == []


def test_clinician_lists_flags_of_the_caseload_and_the_read_is_logged(flag, dr_reyes, lee, api):
    everyone = api(dr_reyes).get("/api/v1/risk-flags/")
    assert [f["id"] for f in everyone.data["results"]] == [flag.pk]
    assert AccessLog.objects.filter(actor=dr_reyes, client=flag.client, resource="risk_flags").count() == 1
    one = api(dr_reyes).get(f"/api/v1/risk-flags/?client={flag.client_id}")
    assert one.status_code == 200 and one.data["results"][0]["reason"].startswith("Craving")
    assert AccessLog.objects.filter(actor=dr_reyes, resource="risk_flags").count() == 2
    # Family without check-in detail: visible person, not shared.
    assert api(lee).get(f"/api/v1/risk-flags/?client={flag.client_id}").status_code == 403
    assert api(lee).get("/api/v1/risk-flags/").data["results"] == []


def test_bad_flag_query_is_400(dr_reyes, api):
    assert api(dr_reyes).get("/api/v1/risk-flags/?client=abc").status_code == 400
    assert api(dr_reyes).get("/api/v1/risk-flags/?open=perhaps").status_code == 400


def test_members_do_not_list_risk_flags(maya, api):
    assert api(maya).get("/api/v1/risk-flags/").status_code == 403


# --- missed sessions (the groups feature supplies the ids) ---------------------------------


def test_missed_two_sessions_opens_one_flag_per_client_and_ignores_other_programs(care_team, jordan, priya, org, grant):
    grant(care_team, jordan, "checkin_detail")
    opened = services.risk_flags_open_for_missed_sessions(organization_id=org.pk, client_ids={care_team.pk, priya.pk})
    assert opened == 1 and open_kinds(care_team) == ["missed_2_sessions"] and open_kinds(priya) == []
    assert services.risk_flags_open_for_missed_sessions(organization_id=org.pk, client_ids={care_team.pk}) == 0
    assert Notification.objects.filter(recipient=jordan, kind=Kind.DISENGAGEMENT).count() == 1
    assert services.risk_flags_resolve_for_attendance(organization_id=org.pk, client_ids={care_team.pk}) == 1
    assert open_kinds(care_team) == []


# --- planners ------------------------------------------------------------------------------


def test_no_checkin_for_3_local_days_opens_a_flag_once_and_a_checkin_closes_it(care_team, jordan, grant, post_checkin):
    grant(care_team, jordan, "checkin_detail")
    User.objects.filter(pk=care_team.pk).update(date_joined=NOON - timedelta(days=30))
    on_day(16, post_checkin, care_team)
    # Nov 20 in Chicago: no check-in on the 18th, 19th or 20th.
    with time_machine.travel(datetime(2026, 11, 20, 23, tzinfo=UTC), tick=False):
        assert services.no_checkin_flags_plan() == 1
        assert services.no_checkin_flags_plan() == 0
    assert open_kinds(care_team) == ["no_checkin_3d"]
    assert Notification.objects.filter(recipient=jordan, kind=Kind.DISENGAGEMENT).count() == 1
    on_day(21, post_checkin, care_team)
    assert open_kinds(care_team) == []


def test_no_flag_for_someone_who_checked_in_within_3_days_or_just_joined(maya, post_checkin):
    User.objects.filter(pk=maya.pk).update(date_joined=NOON - timedelta(days=30))
    on_day(18, post_checkin, maya)
    newcomer = UserFactory(role="client", organization=maya.organization)
    with time_machine.travel(datetime(2026, 11, 20, 23, tzinfo=UTC), tick=False):
        User.objects.filter(pk=newcomer.pk).update(date_joined=datetime(2026, 11, 19, tzinfo=UTC))
        assert services.no_checkin_flags_plan() == 0


def test_the_nudge_comes_at_the_chosen_local_time_only_if_not_checked_in(maya, luis, post_checkin):
    for person in (maya, luis):
        preference_update(user=person, data={"checkin_time": time(18, 0), "checkin_days": [0, 1, 2, 3, 4, 5, 6]})
    with time_machine.travel(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), tick=False):  # 17:30 Chicago
        assert services.checkin_nudges_plan() == 0
    on_day(20, post_checkin, luis)
    with time_machine.travel(datetime(2026, 11, 21, 0, 5, tzinfo=UTC), tick=False):  # 18:05 Chicago, Nov 20
        assert services.checkin_nudges_plan() == 1
        assert services.checkin_nudges_plan() == 0  # a second beat sends nothing twice
    nudge = Notification.objects.get(kind=Kind.CHECKIN_NUDGE)
    assert nudge.recipient == maya and nudge.url == "/checkin/"


def test_no_nudge_on_days_the_member_did_not_choose(maya):
    # Nov 20 2026 is a Friday (5).
    preference_update(user=maya, data={"checkin_time": time(8, 0), "checkin_days": [1, 2, 3, 4]})
    with time_machine.travel(NOON, tick=False):
        assert services.checkin_nudges_plan() == 0


def test_planner_tasks_run(maya):
    from checkins import tasks

    with time_machine.travel(NOON, tick=False):
        assert tasks.no_checkin_flags_plan.delay().get() == 0
        assert tasks.checkin_nudges_plan.delay().get() == 0
    assert CheckIn.objects.count() == 0
