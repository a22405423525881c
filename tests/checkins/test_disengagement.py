"""Disengagement (DESIGN.md "Reminders and nudges"): no check-in for 3 days → a gentle note to
the member, and once per episode a note to her clinician and, with her consent, her mentor.
Email and SMS carry only the bare line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from checkins import services
from members.models import User
from notifications.models import Notification

from .conftest import NOON
from .test_risk_flags import on_day

pytestmark = pytest.mark.django_db

NOV_20_EVENING = datetime(2026, 11, 20, 23, tzinfo=UTC)  # Nov 20 in Chicago: no check-in 18th–20th


def lapse(member, post_checkin):
    User.objects.filter(pk=member.pk).update(date_joined=NOON - timedelta(days=30))
    on_day(16, post_checkin, member)
    mail.outbox.clear()


def test_she_her_clinician_and_her_consented_mentor_each_hear_once(
    care_team, jordan, dr_reyes, lee, grant, post_checkin, django_capture_on_commit_callbacks
):
    grant(care_team, jordan, "checkin_detail")
    lapse(care_team, post_checkin)
    with time_machine.travel(NOV_20_EVENING, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.no_checkin_flags_plan() == 1
        assert services.no_checkin_flags_plan() == 0
    note = Notification.objects.get(recipient=care_team, kind="checkin_paused")
    assert "missed you" in note.title and note.url == "/checkin/"
    assert "streak" not in note.body.lower() and "fail" not in note.body.lower()
    assert Notification.objects.filter(recipient=dr_reyes, kind="disengagement").count() == 1
    assert Notification.objects.filter(recipient=jordan, kind="disengagement").count() == 1
    assert not Notification.objects.filter(recipient=lee).exists()  # family are not told
    # Nothing in any email says what happened.
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        assert "check" not in message.subject.lower() and "3 days" not in text and "few days" not in text


def test_a_mentor_without_her_consent_hears_nothing(care_team, jordan, dr_reyes, post_checkin):
    lapse(care_team, post_checkin)
    with time_machine.travel(NOV_20_EVENING, tick=False):
        assert services.no_checkin_flags_plan() == 1
    assert not Notification.objects.filter(recipient=jordan).exists()
    assert Notification.objects.filter(recipient=dr_reyes, kind="disengagement").count() == 1
    assert Notification.objects.filter(recipient=care_team, kind="checkin_paused").count() == 1


def test_a_new_episode_tells_them_again(care_team, dr_reyes, post_checkin):
    lapse(care_team, post_checkin)
    with time_machine.travel(NOV_20_EVENING, tick=False):
        services.no_checkin_flags_plan()
    on_day(21, post_checkin, care_team)  # she is back: the flag closes
    with time_machine.travel(NOV_20_EVENING + timedelta(days=4), tick=False):
        assert services.no_checkin_flags_plan() == 1
    assert Notification.objects.filter(recipient=dr_reyes, kind="disengagement").count() == 2
    assert Notification.objects.filter(recipient=care_team, kind="checkin_paused").count() == 2
