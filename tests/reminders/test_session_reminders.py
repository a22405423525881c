"""Group session reminders: 24 h and 1 h ahead, once each, at the member's local time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from groups import services
from groups.models import Enrollment, Session
from notifications.models import Channel, Delivery, Notification
from notifications.services import preference_update
from tests.groups.conftest import NOW

pytestmark = pytest.mark.django_db

TONIGHT = datetime(2026, 10, 21, 0, 0, tzinfo=UTC)  # Tue 20 Oct, 7 pm in Chicago


def reminders(user=None):  # type: ignore[no-untyped-def]
    qs = Notification.objects.filter(kind="session_reminder").order_by("pk")
    return list(qs.filter(recipient=user) if user is not None else qs)


def tonight(group):  # type: ignore[no-untyped-def]
    return Session.objects.get(group=group, starts_at=TONIGHT)


def test_24h_and_1h_reminders_once_each(frozen, make_group, maya):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    assert services.session_reminders_plan() == 1  # tonight is 9 h away: the 24 h reminder
    assert services.session_reminders_plan() == 0
    [first] = reminders(maya)
    assert first.title == "Coming up: Tuesday SMART Recovery, Tuesday October 20 at 7 PM (CDT)"
    assert "412 Main St" in first.body
    frozen.move_to(TONIGHT - timedelta(minutes=50))
    assert services.session_reminders_plan() == 1
    assert services.session_reminders_plan() == 0
    second = reminders(maya)[-1]
    assert second.title.startswith("In an hour: ") and second.payload["offset"] == "1h"
    frozen.move_to(TONIGHT + timedelta(minutes=5))  # started: nothing more
    assert services.session_reminders_plan() == 0
    assert len(reminders()) == 2


def test_title_in_member_time_zone_and_online_link(frozen, make_group, maya):
    maya.timezone = "America/New_York"
    maya.save(update_fields=["timezone"])
    group = make_group(attendance_mode="online", location="", conference_url="https://meet.example.org/smart")
    services.enrollment_join(actor=maya, group=group, member=maya)
    services.session_reminders_plan()
    [reminder] = reminders(maya)
    assert "8 PM" in reminder.title and "EDT" in reminder.title
    assert "https://meet.example.org/smart" in reminder.body


def test_missed_run_catches_up_with_only_the_reminder_still_due(frozen, make_group, maya):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    frozen.move_to(TONIGHT - timedelta(minutes=30))  # beat was down all day
    assert services.session_reminders_plan() == 1
    assert [n.payload["offset"] for n in reminders(maya)] == ["1h"]


def test_cancelled_session_sends_no_reminder(frozen, make_group, maya, dr_reyes):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    services.session_cancel(actor=dr_reyes, session=tonight(group), reason="Snow")
    assert services.session_reminders_plan() == 0
    frozen.move_to(TONIGHT - timedelta(minutes=30))
    assert services.session_reminders_plan() == 0
    assert reminders() == []


def test_moved_session_reminds_at_its_new_time(frozen, make_group, maya, dr_reyes):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    assert services.session_reminders_plan() == 1  # 24 h reminder for 7 pm tonight
    session = tonight(group)
    services.session_move(actor=dr_reyes, session=session, starts_at=TONIGHT + timedelta(days=1))  # Wednesday 7 pm
    frozen.move_to(TONIGHT - timedelta(minutes=30))
    assert services.session_reminders_plan() == 0  # nothing at the old time
    frozen.move_to(TONIGHT + timedelta(hours=10))  # Wednesday 10:00: the new 24 h window
    assert services.session_reminders_plan() == 1
    assert "Wednesday October 21 at 7 PM" in reminders(maya)[-1].title
    frozen.move_to(TONIGHT + timedelta(days=1, minutes=-30))
    assert services.session_reminders_plan() == 1
    assert services.session_reminders_plan() == 0
    assert len(reminders(maya)) == 3


def test_opt_out_and_waitlist_and_left_members_get_nothing(frozen, make_group, maya, clients):
    group = make_group(capacity=3)
    a, b, c, d = clients(4)
    for person in (maya, a, b, c, d):
        services.enrollment_join(actor=person, group=group, member=person)  # c and d are waitlisted
    preference_update(user=a, actor=a, data={"group_reminders": False})
    services.enrollment_leave(actor=b, group=group, member=b)  # c takes b's seat
    services.session_reminders_plan()
    assert {n.recipient_id for n in reminders()} == {maya.pk, c.pk}


def test_quiet_hours_hold_the_reminder_until_they_end(frozen, make_group, maya):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    preference_update(user=maya, actor=maya, data={"quiet_start": time(22, 0), "quiet_end": time(8, 0)})
    frozen.move_to(NOW - timedelta(hours=4))  # 06:00 in Chicago, inside quiet hours
    assert services.session_reminders_plan() == 1
    [reminder] = reminders(maya)
    email = Delivery.objects.get(notification=reminder, channel=Channel.EMAIL)
    assert email.status == "pending"
    assert email.scheduled_for == datetime(2026, 10, 20, 13, 0, tzinfo=UTC)  # 08:00 in Chicago


def test_outsiders_are_never_reminded_of_another_programs_session(frozen, make_group, maya, priya):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    # A stray row tying Harbor's Priya to a Riverbend group (the services refuse to make one).
    Enrollment.objects.create(organization=group.organization, group=group, member=priya, status="enrolled")
    services.session_reminders_plan()
    assert {n.recipient_id for n in reminders()} == {maya.pk}


def test_a_rerun_costs_a_constant_number_of_queries(frozen, make_group, maya, clients, django_assert_max_num_queries):
    group = make_group(capacity=None)
    for person in [maya, *clients(25)]:
        services.enrollment_join(actor=person, group=group, member=person)
    assert services.session_reminders_plan() == 26
    with django_assert_max_num_queries(5):
        assert services.session_reminders_plan() == 0


def test_a_reminder_quiet_hours_would_deliver_after_the_start_stays_in_the_inbox(frozen, make_group, maya):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    preference_update(user=maya, actor=maya, data={"quiet_start": time(18, 0), "quiet_end": time(22, 0)})
    frozen.move_to(TONIGHT - timedelta(minutes=30))  # 18:30 in Chicago: quiet until 22:00, session at 19:00
    assert services.session_reminders_plan() == 1
    [reminder] = reminders(maya)
    assert reminder.payload["offset"] == "1h"
    assert not Delivery.objects.filter(notification=reminder).exists()  # no email at 22:00 for a 19:00 session
