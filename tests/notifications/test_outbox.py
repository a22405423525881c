"""The outbox: one send per notification and channel, quiet hours, retries, the sweeper."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from notifications import services
from notifications.models import Delivery, DeliveryStatus, Notification, Priority

pytestmark = pytest.mark.django_db


def nudge(user, key="nudge:1", **kwargs):
    return services.notification_create(
        recipient=user, kind="checkin_nudge", title="How are you today?", dedupe_key=key, url="/home/", **kwargs
    )


def test_every_notification_lands_in_the_inbox_and_email_goes_out_once(maya, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = nudge(maya)
    assert notification is not None
    assert Notification.objects.filter(recipient=maya).count() == 1
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.channel == "email" and delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # Nothing of the inbox item leaves Kinship: the email says there is something to see, and links to it.
    assert message.to == ["maya@example.org"] and message.subject == "Your daily check-in is waiting in Kinship."
    assert "How are you today?" not in message.body and "How are you today?" not in message.alternatives[0][0]
    assert "/home/" in message.body and message.alternatives[0][1] == "text/html"
    # A second delivery attempt of the same row is not claimed: no second email.
    assert services.delivery_attempt(delivery_id=delivery.pk) == "not-claimed"
    assert len(mail.outbox) == 1


def test_same_dedupe_key_twice_creates_nothing_the_second_time(maya):
    assert nudge(maya) is not None
    assert nudge(maya) is None
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 1


def test_sms_only_when_chosen_and_a_phone_is_on_file(maya):
    # Texts can only be chosen with a phone on file (preference_update), but the phone can be
    # removed afterwards: the outbox checks again at send time.
    maya.phone = "+15551230000"
    maya.save()
    services.preference_update(user=maya, actor=maya, data={"channels": ["in_app", "sms"]})
    maya.phone = ""
    maya.save()
    n = nudge(maya, key="k1")
    assert not n.deliveries.exists()  # no phone: inbox only
    maya.phone = "+15551230000"
    maya.save()
    n = nudge(maya, key="k2")
    assert list(n.deliveries.values_list("channel", flat=True)) == ["sms"]


def test_in_app_only_preference_sends_no_email(maya):
    services.preference_update(user=maya, actor=maya, data={"channels": ["in_app"]})
    n = nudge(maya)
    assert n is not None and not n.deliveries.exists()


def test_quiet_hours_hold_normal_messages_until_morning_local_time(maya):
    # Maya is in Chicago; quiet 22:00-07:00. 23:30 Chicago on 2026-11-20 is 05:30 UTC on the 21st.
    services.preference_update(user=maya, actor=maya, data={"quiet_start": time(22, 0), "quiet_end": time(7, 0)})
    with time_machine.travel(datetime(2026, 11, 21, 5, 30, tzinfo=UTC), tick=False):
        n = nudge(maya)
        delivery = n.deliveries.get()
        # 07:00 Chicago (CST, UTC-6) = 13:00 UTC
        assert delivery.scheduled_for == datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
        assert services.delivery_attempt(delivery_id=delivery.pk) == "not-claimed"
        assert mail.outbox == []
    with time_machine.travel(datetime(2026, 11, 21, 13, 0, 1, tzinfo=UTC), tick=False):
        assert services.deliveries_due() == [delivery.pk]
        assert services.delivery_attempt(delivery_id=delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_crisis_alerts_ignore_quiet_hours_and_go_out_on_every_channel(dr_reyes):
    dr_reyes.phone = "+15557654321"
    dr_reyes.save()
    services.preference_update(
        user=dr_reyes, actor=dr_reyes, data={"channels": ["in_app"], "quiet_start": time(0, 0), "quiet_end": time(23, 59)}
    )
    with time_machine.travel(datetime(2026, 11, 21, 12, 0, tzinfo=UTC), tick=False):
        n = services.notification_create(
            recipient=dr_reyes,
            kind="crisis_alert",
            title="Maya asked for support",
            dedupe_key="crisis:1",
            priority=Priority.CRITICAL,
        )
        channels = {d.channel: d.scheduled_for for d in n.deliveries.all()}
    assert set(channels) == {"email", "sms"}
    assert all(at == datetime(2026, 11, 21, 12, 0, tzinfo=UTC) for at in channels.values())


def test_a_failed_send_is_retried_with_backoff_and_never_dropped(maya, settings):
    settings.SMS_BACKEND = "tests.support.sms.FailingSmsBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    maya.phone = "+15551230000"
    maya.save()
    start = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        n = nudge(maya, force_channels=["sms"])
        delivery = n.deliveries.get()
        assert services.delivery_attempt(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "503" in delivery.last_error
    assert delivery.scheduled_for == start + timedelta(seconds=30)
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert services.delivery_attempt(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.scheduled_for == start + timedelta(seconds=31 + 60)
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        assert services.delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    # Kept, with its error, for an operator to see — not silently gone.
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3 and delivery.last_error


def test_the_provider_recovering_delivers_on_the_next_attempt(maya, settings, tmp_path):
    settings.SMS_BACKEND = "tests.support.sms.FailingSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path)
    maya.phone = "+15551230000"
    maya.save()
    n = nudge(maya, force_channels=["sms"])
    delivery = n.deliveries.get()
    assert services.delivery_attempt(delivery_id=delivery.pk) == "retry"
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    with time_machine.travel(delivery.scheduled_for + timedelta(minutes=2), tick=False):
        assert services.deliveries_dispatch_due() == 1  # tasks are eager in unit tests
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_sweeper_returns_rows_left_in_sending_by_a_dead_worker(maya):
    n = nudge(maya)
    delivery = n.deliveries.get()
    # A worker claimed it and died before sending.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=datetime(2026, 1, 1, tzinfo=UTC), attempts=1
    )
    assert services.deliveries_sweep_stuck() == 1  # re-queued and (eagerly) delivered
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert len(mail.outbox) == 1


def test_sweeper_leaves_a_recent_claim_alone(maya):
    n = nudge(maya)
    delivery = n.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=datetime.now(UTC))
    assert services.deliveries_sweep_stuck() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING


def test_deactivated_recipients_are_skipped_not_sent(maya):
    n = nudge(maya)
    delivery = n.deliveries.get()
    maya.is_active = False
    maya.save()
    assert services.delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert mail.outbox == []
    assert nudge(maya, key="later") is None


def test_email_and_sms_carry_only_the_bare_line_never_the_inbox_text(
    maya, django_capture_on_commit_callbacks, settings, tmp_path
):
    """Non-negotiable 8 and M8: a therapy group's name, a reason or a note never leaves by email or text."""
    import json

    from notifications.services import notification_create, preference_update

    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path)

    maya.phone = "+13125550100"
    maya.save()
    preference_update(user=maya, actor=maya, data={"channels": ["email", "sms", "in_app"]})
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(
            recipient=maya, kind="session_reminder", title="Reminder: Trauma therapy group (IOP), tonight 7 pm",
            body="Room 4, Riverside clinic", url="/groups/mine/", dedupe_key="t-1",
        )  # fmt: skip
    email = mail.outbox[-1]
    texts = [json.loads(p.read_text())["body"] for p in tmp_path.glob("*.json")]
    assert len(texts) == 1 and "/groups/mine/" in texts[0]
    everything = email.subject + email.body + email.alternatives[0][0] + " ".join(texts)
    assert "Trauma" not in everything and "IOP" not in everything and "Room 4" not in everything
    assert email.subject == "Reminder: you have a group session coming up. The details are in Kinship."
    assert "/groups/mine/" in email.body
