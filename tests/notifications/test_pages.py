"""The in-app inbox page and the reminder settings page."""

from __future__ import annotations

import re
from datetime import time

import pytest

from notifications.models import Notification, NotificationPreference, Priority
from notifications.services import notification_create

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


def note(user, n: int, **kwargs):  # type: ignore[no-untyped-def]
    return notification_create(
        recipient=user, kind="checkin_nudge", title=f"Reminder {n}", body=f"Body {n}", dedupe_key=f"t:{user.pk}:{n}", **kwargs
    )


def test_inbox_shows_my_notifications_newest_first_and_unread_count(client, maya, priya):
    first, second = note(maya, 1), note(maya, 2, url="/home/")
    note(priya, 3)
    client.force_login(maya)
    r = client.get("/notifications/")
    assert r.status_code == 200
    body = text(r)
    assert body.index("Reminder 2") < body.index("Reminder 1")
    assert "Reminder 3" not in body
    assert 'aria-label="2 unread"' in body  # the nav count
    assert "Mark all read" in body
    assert first is not None and second is not None


def test_urgent_notifications_are_marked(client, maya):
    note(maya, 1, priority=Priority.CRITICAL)
    client.force_login(maya)
    assert "Urgent" in text(client.get("/notifications/"))


def test_mark_one_read(client, maya):
    n = note(maya, 1)
    client.force_login(maya)
    assert client.get(f"/notifications/{n.pk}/read/").status_code == 405
    r = client.post(f"/notifications/{n.pk}/read/", {"next": "/notifications/?show=unread"})
    assert r.status_code == 302 and r.url == "/notifications/?show=unread"
    n.refresh_from_db()
    assert n.read_at is not None
    assert "You're all caught up." in text(client.get("/notifications/?show=unread"))


def test_open_marks_read_and_follows_the_link(client, maya):
    n = note(maya, 1, url="/privacy/")
    client.force_login(maya)
    r = client.post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert r.status_code == 302 and r.url == "/privacy/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_refuses_foreign_redirects(client, maya):
    n = note(maya, 1)
    client.force_login(maya)
    r = client.post(f"/notifications/{n.pk}/read/", {"next": "https://evil.example/"})
    assert r.url == "/notifications/"


def test_mark_all_read(client, maya, priya):
    note(maya, 1), note(maya, 2)
    theirs = note(priya, 3)
    client.force_login(maya)
    r = client.post("/notifications/read-all/", follow=True)
    assert "All caught up." in text(r)
    assert not Notification.objects.filter(recipient=maya, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_someone_elses_notification_is_404(client, maya, priya, jordan):
    theirs = note(priya, 1)
    for user in (maya, jordan):
        client.force_login(user)
        assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_paginates(client, maya, settings):
    settings.NOTIFICATION_DAILY_CAP = None  # 55 nudges in a day: this is about paging, not the cap
    for i in range(25):
        note(maya, i)
    client.force_login(maya)
    assert "Page 1 of 2" in text(client.get("/notifications/"))
    assert "Reminder 0" in text(client.get("/notifications/?page=2"))


def test_inbox_needs_sign_in(client):
    assert client.get("/notifications/").url.startswith("/login/")


def test_reminder_settings_save(client, maya):
    client.force_login(maya)
    assert client.get("/settings/reminders/").status_code == 200
    r = client.post(
        "/settings/reminders/",
        {
            "channels": ["email"],
            "checkin_time": "19:30",
            "checkin_days": ["1", "3"],
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
    )
    assert r.status_code == 302
    pref = NotificationPreference.objects.get(user=maya)
    assert pref.channels == ["in_app", "email"] and pref.checkin_time == time(19, 30) and pref.checkin_days == [1, 3]
    assert pref.quiet_start == time(22) and pref.group_reminders is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"channels": ["sms"]}, "Add a phone number to your account before choosing text messages."),
        ({"quiet_start": "22:00"}, "Give both the start and the end of quiet hours, or neither."),
        ({"channels": ["pigeon"]}, "“pigeon” is not a valid choice."),
        ({"checkin_time": "7pm"}, "Time has wrong format."),
        ({"checkin_days": ["9"]}, "“9” is not a valid choice."),
    ],
)
def test_reminder_settings_errors(client, maya, data, message):
    client.force_login(maya)
    r = client.post("/settings/reminders/", data)
    assert r.status_code == 200 and message in text(r)


def test_inbox_query_count_is_constant(client, maya, django_assert_max_num_queries):
    note(maya, 0)
    client.force_login(maya)
    with django_assert_max_num_queries(20) as few:
        client.get("/notifications/")
    for i in range(1, 15):
        note(maya, i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/notifications/")
