"""The per-member daily cap on routine nudges and reminders (settings.NOTIFICATION_DAILY_CAP)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from groups import services as groups
from notifications.models import Notification, Priority
from notifications.services import notification_create

pytestmark = pytest.mark.django_db


def nudge(user, key, kind="session_reminder", **extra):  # type: ignore[no-untyped-def]
    return notification_create(recipient=user, kind=kind, title="Reminder", dedupe_key=key, **extra)


def test_routine_reminders_stop_at_the_cap_for_the_local_day(frozen, maya, settings):
    settings.NOTIFICATION_DAILY_CAP = 2
    assert nudge(maya, "a") is not None
    assert nudge(maya, "b", kind="checkin_nudge") is not None
    assert nudge(maya, "c") is None
    assert nudge(maya, "d", kind="checkin_nudge") is None
    # Never capped: a crisis alert, account and one-off event messages.
    assert nudge(maya, "e", kind="crisis_alert", priority=Priority.CRITICAL) is not None
    assert nudge(maya, "f", kind="mentor_status") is not None  # an account message
    assert nudge(maya, "g", kind="session_cancelled") is not None
    # The dedupe key of a capped reminder stays free for later.
    frozen.move_to(datetime(2026, 10, 21, 5, 1, tzinfo=UTC))  # just past midnight in Chicago
    assert nudge(maya, "c") is not None
    assert Notification.objects.filter(recipient=maya).count() == 6


def test_default_cap_is_six(frozen, maya):
    created = [nudge(maya, f"k{i}") for i in range(8)]
    assert sum(n is not None for n in created) == 6


def test_cap_applies_to_the_session_reminder_planner(frozen, make_group, maya, settings):
    settings.NOTIFICATION_DAILY_CAP = 2
    for name, hour in (("Morning circle", "13"), ("Afternoon circle", "15"), ("Evening circle", "19")):
        group = make_group(name=name, start_local=f"2026-10-06T{hour}:00")
        groups.enrollment_join(actor=maya, group=group, member=maya)
    assert groups.session_reminders_plan() == 2
    assert groups.session_reminders_plan() == 0
    frozen.move_to(datetime(2026, 10, 20, 17, 30, tzinfo=UTC))  # 12:30 in Chicago: the 1 pm one's 1 h reminder is due
    assert groups.session_reminders_plan() == 0  # still capped today


def test_cap_can_be_turned_off(frozen, maya, settings):
    settings.NOTIFICATION_DAILY_CAP = None
    assert all(nudge(maya, f"k{i}") is not None for i in range(8))
