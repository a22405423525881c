"""notifications_create_many: what planners call. The same rules as one row (dedupe, cap,
quiet hours, opt-outs, inactive recipients), in a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core import mail

from members.choices import Role
from notifications import services
from notifications.models import Delivery, DeliveryStatus, EmailOptOut, Notification, NotificationPreference, Priority
from notifications.services import NotificationSpec, notifications_create_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def spec(user, key, kind="checkin_nudge", **kwargs):
    return NotificationSpec(
        recipient_id=user.pk, kind=kind, title="How are you today?", dedupe_key=key, url="/checkin/", **kwargs
    )


def test_a_batch_creates_each_row_once_with_its_email(maya, org, django_capture_on_commit_callbacks):
    others = [UserFactory(role=Role.CLIENT, organization=org) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        created = notifications_create_many([spec(u, f"n:{u.pk}") for u in [maya, *others]] + [spec(maya, f"n:{maya.pk}")])
    assert len(created) == 5
    assert Notification.objects.count() == 5
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(mail.outbox) == 5
    # A re-run with the same keys creates and sends nothing.
    assert notifications_create_many([spec(u, f"n:{u.pk}") for u in [maya, *others]]) == {}
    assert len(mail.outbox) == 5


def test_the_query_count_does_not_grow_with_the_batch(org, django_assert_max_num_queries):
    people = [UserFactory(role=Role.CLIENT, organization=org) for _ in range(40)]
    # SQLite runs the lookups in chunks of 500; 40 fits in one.
    with django_assert_max_num_queries(12):
        assert len(notifications_create_many([spec(u, f"n:{u.pk}") for u in people])) == 40


def test_the_daily_cap_holds_within_one_batch(maya, settings):
    settings.NOTIFICATION_DAILY_CAP = 3
    created = notifications_create_many([spec(maya, f"n:{i}") for i in range(5)])
    assert len(created) == 3
    # Crisis alerts are never capped.
    alert = spec(maya, "crisis:1", kind="crisis_alert", priority=Priority.CRITICAL)
    assert len(notifications_create_many([alert])) == 1


def test_the_cap_counts_her_local_day(maya, settings):
    settings.NOTIFICATION_DAILY_CAP = 1
    maya.timezone = "America/Chicago"
    maya.save()
    with time_machine.travel(datetime(2026, 3, 10, 4, 30, tzinfo=UTC)):  # 23:30 in Chicago (CDT)
        assert len(notifications_create_many([spec(maya, "a")])) == 1
        assert notifications_create_many([spec(maya, "b")]) == {}
    with time_machine.travel(datetime(2026, 3, 10, 5, 30, tzinfo=UTC)):  # 00:30: a new local day
        assert len(notifications_create_many([spec(maya, "b")])) == 1


def test_quiet_hours_hold_the_email_not_the_inbox(maya):
    NotificationPreference.objects.create(
        user=maya, channels=["in_app", "email"], quiet_start=time(21, 0), quiet_end=time(8, 0), checkin_days=[]
    )
    maya.timezone = "America/New_York"
    maya.save()
    with time_machine.travel(datetime(2026, 3, 10, 3, 0, tzinfo=UTC)):  # 23:00 in New York
        notifications_create_many([spec(maya, "late")])
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.scheduled_for == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 8:00 local
    assert len(mail.outbox) == 0


def test_an_inactive_recipient_gets_nothing(maya):
    maya.is_active = False
    maya.save()
    assert notifications_create_many([spec(maya, "x")]) == {}
    assert not Notification.objects.exists()


def test_an_unsubscribed_kind_lands_in_the_inbox_without_email(maya):
    EmailOptOut.objects.create(user=maya, kind="checkin_nudge")
    assert len(notifications_create_many([spec(maya, "x")])) == 1
    assert Notification.objects.filter(recipient=maya).count() == 1
    assert not Delivery.objects.exists()
    # Crisis alerts cannot be unsubscribed: an opt-out row for them changes nothing.
    EmailOptOut.objects.create(user=maya, kind="crisis_alert")
    notifications_create_many([spec(maya, "c", kind="crisis_alert", priority=Priority.CRITICAL)])
    assert Delivery.objects.filter(notification__kind="crisis_alert", channel="email").exists()


def test_an_unknown_kind_is_a_programming_error(maya):
    with pytest.raises(ValueError):
        notifications_create_many([spec(maya, "x", kind="no_such_kind")])


def test_the_single_row_call_still_works_and_shares_the_rules(maya, settings):
    settings.NOTIFICATION_DAILY_CAP = 1
    first = services.notification_create(recipient=maya, kind="checkin_nudge", title="t", dedupe_key="one")
    assert first is not None and first.recipient_id == maya.pk
    assert services.notification_create(recipient=maya, kind="checkin_nudge", title="t", dedupe_key="two") is None
