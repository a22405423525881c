"""Family members' own recovery and testing results (issue 10): the family check-in, the family
home (exactly what is shared, in plain words), results against the member's own goal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from checkins import services
from checkins.models import CheckIn, FlagKind, RiskFlag, TestingSchedule
from checkins.models import TestResult as Result
from members.choices import Goal
from members.models import AccessLog, ClientProfile
from members.services import consent_grant
from notifications.models import Notification


def share(client, grantee, *scopes):  # type: ignore[no-untyped-def]
    consent_grant(client=client, grantee=grantee, scopes=list(scopes))


# --- the family check-in --------------------------------------------------------------------


@pytest.mark.django_db
def test_family_check_in_first_of_the_day_then_update_with_a_streak(api, lee):
    body = {"mood": 3, "stress": 7, "took_time_for_myself": False}
    first = api(lee).post("/api/v1/family/checkins/", body, format="json")
    assert first.status_code == 201 and first.json()["streak"] == 1
    again = api(lee).post("/api/v1/family/checkins/", {**body, "stress": 4, "took_time_for_myself": True}, format="json")
    assert again.status_code == 200 and again.json()["stress"] == 4
    listed = api(lee).get("/api/v1/family/checkins/").json()
    assert listed["count"] == 1 and listed["streak"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"mood": 0, "stress": 3},
        {"mood": 6, "stress": 3},
        {"mood": 3, "stress": 11},
        {"mood": 3, "stress": -1},
        {"mood": "3", "stress": 3},
        {"mood": 3, "stress": 3, "took_time_for_myself": "yes"},
        {"stress": 3},
    ],
)
def test_family_check_in_values_out_of_range_are_400(api, lee, body):
    assert api(lee).post("/api/v1/family/checkins/", body, format="json").status_code == 400


@pytest.mark.django_db
def test_only_family_check_in_here(api, maya, omar):
    body = {"mood": 3, "stress": 3}
    assert api(maya).post("/api/v1/family/checkins/", body, format="json").status_code == 403
    assert api(omar).get("/api/v1/family/checkins/").status_code == 403
    assert api().get("/api/v1/family/checkins/").status_code == 401


# --- the family home ------------------------------------------------------------------------


@pytest.mark.django_db
def test_family_home_shows_exactly_what_is_shared_in_plain_words(api, care_team, lee):
    maya = care_team
    maya.pronouns = "she/her"
    maya.save()
    today = services.local_today(maya)
    for n in range(5):
        CheckIn.objects.create(
            organization=maya.organization, client=maya, local_date=today - timedelta(days=n), mood=4, craving=2
        )
    share(maya, lee, "checkin_summary")
    rows = api(lee).get("/api/v1/family/shared/").json()
    assert [r["client"]["display_name"] for r in rows] == ["Maya"]
    assert rows[0]["scopes"] == ["checkin_summary"]
    summary = rows[0]["summary"]
    assert set(summary) == {"checkins"}  # no attendance, no tests, no mood: not shared
    assert summary["checkins"]["days_checked_in_7d"] == 5 and summary["checkins"]["streak"] == 5
    assert "Her check-in streak is 5 days." in summary["checkins"]["plain"]
    assert "mood_7d" not in summary["checkins"]
    browser = Client()
    browser.force_login(lee)
    page = browser.get("/family/").content.decode()
    assert "Maya checked in on 5 of the last 7 days." in page
    assert "Her check-in streak is 5 days." in page
    assert "Using less, more safely" not in page and "moderation" not in page  # never the goal
    assert AccessLog.objects.filter(client=maya, actor=lee, resource="checkins").exists()


@pytest.mark.django_db
def test_family_home_of_a_member_who_shares_nothing_says_so_calmly(care_team, lee):
    browser = Client()
    browser.force_login(lee)
    page = browser.get("/family/").content.decode()
    assert "isn&#x27;t sharing anything with you right now" in page or "isn't sharing anything" in page
    assert "checked in on" not in page


@pytest.mark.django_db
def test_family_home_query_count_is_constant(api, care_team, lee, org, django_assert_max_num_queries):
    from members.choices import CareRole, Role
    from members.models import CareTeamMember
    from tests.factories import UserFactory

    share(care_team, lee, "checkin_summary", "checkin_detail", "attendance", "test_results", "plan")
    for i in range(3):
        other = UserFactory(role=Role.CLIENT, organization=org, display_name=f"Member {i}")
        CareTeamMember.objects.create(organization=org, client=other, member=lee, role=CareRole.FAMILY)
        share(other, lee, "checkin_summary", "attendance", "test_results")
    # her circle, the check-ins, one row of figures per member, the access log
    with django_assert_max_num_queries(4):
        from dashboard.selectors.family import family_shared

        rows = family_shared(viewer=lee)
    assert len(rows) == 4


@pytest.mark.django_db
def test_family_home_reads_her_tests_against_her_own_moderation_limit(api, care_team, lee):
    maya = care_team  # a moderation goal
    TestingSchedule.objects.create(organization=maya.organization, client=maya, days=[1], time="08:00", limit=Decimal("0.020"))
    now = timezone.now()
    for hours, result, value in (
        (80, "negative", None),
        (60, "positive", Decimal("0.015")),  # within her limit
        (40, "positive", Decimal("0.050")),  # over it
        (20, "missed", None),
        (24 * 40, "negative", None),  # older than 30 days: not counted
    ):
        Result.objects.create(
            organization=maya.organization,
            client=maya,
            taken_at=now - timedelta(hours=hours),
            kind="breath",
            result=result,
            value=value,
        )
    Result.objects.create(
        organization=maya.organization,
        client=maya,
        taken_at=now - timedelta(hours=2),
        kind="breath",
        result="positive",
        value=Decimal("0.010"),
    )
    maya.pronouns = "she/her"
    maya.save(update_fields=["pronouns"])
    share(maya, lee, "test_results")
    tests = api(lee).get("/api/v1/family/shared/").json()[0]["summary"]["test_results"]
    assert (tests["tests_30d"], tests["within_goal_30d"], tests["missed_30d"]) == (4, 3, 1)
    assert tests["latest"]["result"] == "positive" and tests["latest"]["within_goal"] is True
    assert "Maya took 4 tests in the last 30 days; 3 were within the goal she chose." in tests["plain"]
    assert "1 test was missed." in tests["plain"]


@pytest.mark.django_db
def test_counting_results_within_goal_in_sql_agrees_with_within_goal_in_every_case(maya):
    """The family home counts in SQL what each result's within_goal says one by one."""
    profile = ClientProfile.objects.get(user=maya)
    now = timezone.now()
    for goal in [*Goal.values, ""]:
        for limit in (None, Decimal("0.020")):
            ClientProfile.objects.filter(pk=profile.pk).update(goal=goal)
            TestingSchedule.objects.update_or_create(
                client=maya, defaults={"organization": maya.organization, "days": [1], "time": "08:00", "limit": limit}
            )
            Result.objects.filter(client=maya).delete()
            for result in ("negative", "positive", "invalid", "missed"):
                for value in (None, Decimal("0.010"), Decimal("0.020"), Decimal("0.030")):
                    Result.objects.create(
                        organization=maya.organization, client=maya, taken_at=now, kind="breath", result=result, value=value
                    )
            expected = [
                r.pk
                for r in Result.objects.filter(client=maya)
                if services.within_goal(goal=goal or None, result=r.result, value=r.value, limit=limit) is True
            ]
            counted = Result.objects.filter(client=maya).filter(services.within_goal_condition())
            assert sorted(counted.values_list("pk", flat=True)) == sorted(expected), (goal, limit)


@pytest.mark.django_db
def test_family_shared_is_family_only(api, maya, jordan, omar):
    for person in (maya, jordan, omar):
        assert api(person).get("/api/v1/family/shared/").status_code == 403


# --- testing results ------------------------------------------------------------------------


def post_result(api, user, **body):  # type: ignore[no-untyped-def]
    data = {"taken_at": (timezone.now() - timedelta(minutes=5)).isoformat(), "kind": "breath", "result": "negative"}
    return api(user).post("/api/v1/test-results/", {**data, **body}, format="json")


@pytest.mark.django_db
def test_a_positive_breath_test_within_her_moderation_limit_is_within_goal(api, maya):
    TestingSchedule.objects.create(organization=maya.organization, client=maya, days=[1], time="08:00", limit=Decimal("0.020"))
    within = post_result(api, maya, result="positive", value=0.015)
    assert within.status_code == 201 and within.json()["within_goal"] is True
    over = post_result(api, maya, result="positive", value=0.05)
    assert over.json()["within_goal"] is False and over.json()["support"] == []
    results = api(maya).get("/api/v1/test-results/").json()["results"]
    assert [r["within_goal"] for r in results] == [False, True]


@pytest.mark.django_db
def test_a_positive_result_on_an_abstinence_goal_opens_gentle_support(api, maya):
    ClientProfile.objects.filter(user=maya).update(goal=Goal.ABSTINENCE)
    maya.refresh_from_db()
    response = post_result(api, maya, result="positive", kind="urine", substance="alcohol")
    body = response.json()
    assert response.status_code == 201 and body["within_goal"] is False
    kinds = [s["kind"] for s in body["support"]]
    assert "reach_mentor" in kinds and "crisis" in kinds
    text = " ".join(s["text"] for s in body["support"]).lower()
    for word in ("fail", "relapse", "reset", "shame"):
        assert word not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"taken_at": "2099-01-01T08:00:00Z"},
        {"kind": "blood"},
        {"result": "maybe"},
        {"value": -1},
        {"taken_at": "yesterday"},
    ],
)
def test_bad_results_are_400(api, maya, body):
    assert post_result(api, maya, **body).status_code == 400
    assert not Result.objects.exists()


@pytest.mark.django_db
def test_who_records_and_reads_results(api, care_team, jordan, lee, dr_reyes, sam, omar, dr_kim):
    maya = care_team
    assert post_result(api, dr_reyes, client=maya.pk).status_code == 201
    assert post_result(api, sam, client=maya.pk).status_code == 201
    assert post_result(api, jordan, client=maya.pk).status_code == 403
    assert post_result(api, lee, client=maya.pk).status_code == 403
    assert post_result(api, dr_kim, client=maya.pk).status_code == 404
    assert post_result(api, omar, client=maya.pk).status_code == 404
    url = f"/api/v1/test-results/?client={maya.pk}"
    assert api(lee).get(url).status_code == 403  # not shared yet
    share(maya, lee, "test_results")
    assert api(lee).get(url).json()["count"] == 2
    assert api(dr_reyes).get(url).status_code == 200
    assert api(omar).get(url).status_code == 404
    assert AccessLog.objects.filter(client=maya, actor=lee, resource="test_results").exists()


@pytest.mark.django_db
def test_the_schedule_reminds_15_minutes_before_and_flags_a_missed_test_2_hours_after(api, maya):
    # Maya is in America/Chicago (the org's zone, the factory's default?): use her zone explicitly.
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(maya.timezone)
    monday_7_50 = timezone.datetime(2026, 11, 2, 7, 50, tzinfo=zone)  # a Monday
    with time_machine.travel(monday_7_50, tick=False):
        response = api(maya).put("/api/v1/me/testing/", {"days": [1, 3, 5], "time": "08:00"}, format="json")
        assert response.status_code == 200 and response.json()["days"] == [1, 3, 5]
        assert services.test_reminders_plan() == 1
        assert services.test_reminders_plan() == 0  # idempotent
    assert Notification.objects.filter(recipient=maya, kind="test_reminder").count() == 1
    with time_machine.travel(monday_7_50 + timedelta(hours=1), tick=False):
        assert services.missed_test_flags_plan() == 0  # not yet 2 hours after
    with time_machine.travel(monday_7_50 + timedelta(hours=2, minutes=15), tick=False):
        assert services.missed_test_flags_plan() == 1
        assert services.missed_test_flags_plan() == 0
        assert RiskFlag.objects.filter(client=maya, kind=FlagKind.MISSED_TEST, resolved_at__isnull=True).exists()
        post_result(api, maya)
    assert not RiskFlag.objects.filter(client=maya, kind=FlagKind.MISSED_TEST, resolved_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_result_on_time_means_no_missed_flag(api, maya):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(maya.timezone)
    monday_8 = timezone.datetime(2026, 11, 2, 8, 5, tzinfo=zone)
    with time_machine.travel(monday_8, tick=False):
        api(maya).put("/api/v1/me/testing/", {"days": [1], "time": "08:00"}, format="json")
        post_result(api, maya)
    with time_machine.travel(monday_8 + timedelta(hours=3), tick=False):
        assert services.missed_test_flags_plan() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [{"days": [7], "time": "08:00"}, {"days": [1], "time": "25:00"}, {"days": "mon", "time": "08:00"}]
)
def test_bad_schedules_are_400(api, maya, body):
    assert api(maya).put("/api/v1/me/testing/", body, format="json").status_code == 400


@pytest.mark.django_db
def test_testing_and_family_pages_render(maya, lee):
    browser = Client()
    browser.force_login(maya)
    assert browser.get("/testing/").status_code == 200
    response = browser.post(
        "/testing/", {"kind": "breath", "result": "negative", "taken_on": "2020-01-01", "taken_time": "08:00"}
    )
    assert response.status_code == 200 and b"Saved." in response.content
    family = Client()
    family.force_login(lee)
    assert family.get("/family/checkin/").status_code == 200
    done = family.post("/family/checkin/", {"mood": "4", "stress": "3", "took_time_for_myself": "on"})
    assert b"Thanks for checking in" in done.content


@pytest.mark.django_db
def test_the_family_home_shows_plan_progress_only_when_she_shares_her_plan(maya, lee, client):
    """Issue 10 (2): "plan progress if shared": counts in plain words, never the goals themselves."""
    from members.choices import CareRole
    from members.models import CareTeamMember, ConsentGrant
    from plans.models import Goal, Step

    CareTeamMember.objects.get_or_create(
        organization=maya.organization, client=maya, member=lee, defaults={"role": CareRole.FAMILY}
    )
    goal = Goal.objects.create(organization=maya.organization, client=maya, title="Finish my GED", domain="human")
    Step.objects.create(goal=goal, title="Sign up", done_at=timezone.now())
    Step.objects.create(goal=goal, title="Study", done_at=None)
    client.force_login(lee)
    page = client.get("/family/").content.decode()
    assert "steps are done" not in page and "Finish my GED" not in page
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=lee, scopes=["plan"])
    page = client.get("/family/").content.decode()
    assert "Maya is working on 1 goal in the plan; 0 done." in page and "1 of 2 steps are done." in page
    assert "Finish my GED" not in page
