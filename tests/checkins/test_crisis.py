"""The crisis path: resources at once, a crisis flag, one critical alert per person per day."""

from datetime import UTC, datetime, time

import pytest
import time_machine

from checkins.models import FlagKind, RiskFlag
from members.models import CareTeamMember
from notifications.models import Delivery, Notification, Priority
from notifications.services import preference_update

from .conftest import NOON

pytestmark = pytest.mark.django_db

PHQ9_ITEM9 = [1, 1, 1, 1, 0, 0, 0, 0, 2]


def assert_crisis_resources(resources, org_text=None):
    text = " ".join(f"{r['name']} {r['how']} {r['call']} {r['text']}" for r in resources)
    assert "988" in text and "tel:988" in text and "sms:988" in text
    assert "1-800-662-4357" in text
    assert "911" in text and "tel:911" in text
    if org_text:
        assert org_text in text


@pytest.fixture
def org_line(org):
    org.crisis_resources = "Riverbend after-hours line: 555-0100"
    org.save()
    return org.crisis_resources


def test_need_support_shows_resources_opens_a_flag_and_alerts_clinician_and_mentor(
    care_team, dr_reyes, jordan, lee, org_line, post_checkin, frozen
):
    response = post_checkin(care_team, need_support=True, mood=1)
    assert response.status_code == 201
    assert response.data["crisis"] is True
    assert_crisis_resources(response.data["crisis_resources"], org_line)
    flag = RiskFlag.objects.get(client=care_team)
    assert flag.kind == FlagKind.CRISIS and flag.resolved_at is None and "Asked for support" in flag.reason
    alerts = Notification.objects.filter(kind="crisis_alert")
    assert sorted(a.recipient_id for a in alerts) == sorted([dr_reyes.pk, jordan.pk])  # not family
    assert all(a.priority == Priority.CRITICAL for a in alerts)
    assert all(a.url == f"/clients/{care_team.pk}/checkins/" for a in alerts)


def test_a_resent_checkin_alerts_exactly_once(care_team, dr_reyes, jordan, post_checkin, frozen):
    for _ in range(3):
        response = post_checkin(care_team, need_support=True)
        assert response.data["crisis_resources"]  # resources every time she asks
    assert Notification.objects.filter(kind="crisis_alert", recipient=dr_reyes).count() == 1
    assert Notification.objects.filter(kind="crisis_alert", recipient=jordan).count() == 1
    assert RiskFlag.objects.filter(client=care_team, kind=FlagKind.CRISIS).count() == 1


def test_a_new_cry_for_help_on_a_later_day_alerts_again(care_team, dr_reyes, post_checkin):
    with time_machine.travel(NOON, tick=False):
        post_checkin(care_team, need_support=True)
    with time_machine.travel(datetime(2026, 11, 21, 15, tzinfo=UTC), tick=False):
        post_checkin(care_team, need_support=True)
    assert Notification.objects.filter(kind="crisis_alert", recipient=dr_reyes).count() == 2
    assert RiskFlag.objects.filter(client=care_team, kind=FlagKind.CRISIS, resolved_at__isnull=True).count() == 1


def test_asking_again_after_the_flag_was_resolved_alerts_again_the_same_day(care_team, dr_reyes, post_checkin, frozen):
    post_checkin(care_team, need_support=True)
    flag = RiskFlag.objects.get(client=care_team, kind=FlagKind.CRISIS)
    from checkins.services import risk_flag_resolve

    risk_flag_resolve(actor=dr_reyes, flag=flag, note="Called; safety plan reviewed.")
    post_checkin(care_team, need_support=True)
    assert Notification.objects.filter(kind="crisis_alert", recipient=dr_reyes).count() == 2
    assert RiskFlag.objects.filter(client=care_team, kind=FlagKind.CRISIS).count() == 2


def test_the_alert_ignores_quiet_hours_and_goes_out_at_once(
    care_team, dr_reyes, post_checkin, django_capture_on_commit_callbacks
):
    # 03:00 in Chicago, inside Dr. Reyes's quiet hours.
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
        preference_update(user=dr_reyes, actor=dr_reyes, data={"quiet_start": time(22, 0), "quiet_end": time(7, 0)})
        with django_capture_on_commit_callbacks(execute=True):
            post_checkin(care_team, need_support=True)
        delivery = Delivery.objects.get(notification__recipient=dr_reyes, channel="email")
        assert delivery.scheduled_for == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
        assert delivery.status == "sent"


def test_without_a_clinician_on_the_team_program_staff_are_alerted(maya, sam, post_checkin, frozen):
    post_checkin(maya, need_support=True)
    assert Notification.objects.filter(kind="crisis_alert", recipient=sam).count() == 1


def test_no_crisis_without_need_support(care_team, post_checkin, frozen):
    response = post_checkin(care_team, mood=1, craving=0)
    assert response.data["crisis"] is False and "crisis_resources" not in response.data
    assert not Notification.objects.filter(kind="crisis_alert").exists()


def test_phq9_item9_above_zero_is_a_crisis(care_team, dr_reyes, jordan, api, frozen):
    response = api(care_team).post("/api/v1/assessments/", {"instrument": "PHQ-9", "answers": PHQ9_ITEM9}, format="json")
    assert response.status_code == 201
    assert "phq9_item9" in response.data["flags"]
    assert_crisis_resources(response.data["crisis_resources"])
    kinds = set(RiskFlag.objects.filter(client=care_team, resolved_at__isnull=True).values_list("kind", flat=True))
    assert kinds == {FlagKind.CRISIS, FlagKind.PHQ9_ITEM9}
    assert Notification.objects.filter(kind="crisis_alert", priority=Priority.CRITICAL).count() == 2
    # Sent again the same day: no second alert, no second flag.
    api(care_team).post("/api/v1/assessments/", {"instrument": "PHQ-9", "answers": PHQ9_ITEM9}, format="json")
    assert Notification.objects.filter(kind="crisis_alert").count() == 2
    assert RiskFlag.objects.filter(client=care_team).count() == 2


def test_phq9_item9_zero_is_no_crisis(care_team, api, frozen):
    response = api(care_team).post("/api/v1/assessments/", {"instrument": "PHQ-9", "answers": [3] * 8 + [0]}, format="json")
    assert response.status_code == 201 and "crisis_resources" not in response.data
    assert not RiskFlag.objects.exists()


def test_ended_care_team_members_are_not_alerted(care_team, jordan, post_checkin, frozen):
    CareTeamMember.objects.filter(member=jordan).update(ended_at=NOON)
    post_checkin(care_team, need_support=True)
    assert not Notification.objects.filter(kind="crisis_alert", recipient=jordan).exists()


def test_the_checkin_page_shows_crisis_resources_when_asking_for_support(care_team, client, frozen):
    client.force_login(care_team)
    page = client.get("/checkin/")
    assert page.status_code == 200 and b"I need support right now" in page.content
    response = client.post("/checkin/", {"mood": "2", "craving": "5", "used": "skip", "need_support": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "You don&#x27;t have to go through this alone" in html or "You don't have to go through this alone" in html
    assert 'href="tel:988"' in html and 'href="sms:988"' in html and "1-800-662-4357" in html and 'href="tel:911"' in html
    assert "Your care team has been told" in html
    assert RiskFlag.objects.filter(client=care_team, kind=FlagKind.CRISIS).exists()
