"""API.md: GET /api/v1/notifications/, POST /api/v1/notifications/{id}/read/ (plus read-all), and
GET/PUT /api/v1/me/reminders/."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from members.models import AuditEvent
from notifications import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def notify(user, key, kind="checkin_nudge", title="How are you today?", minutes_ago=0):
    n = services.notification_create(
        recipient=user, kind=kind, title=title, body="Tap to check in.", dedupe_key=key, url="/checkin/"
    )
    if minutes_ago:
        Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return n


# --- GET /api/v1/notifications/ --------------------------------------------------------------


def test_inbox_lists_my_notifications_newest_first_with_contract_fields(api, maya, jordan):
    older = notify(maya, "a", minutes_ago=10)
    newer = notify(maya, "b", kind="match_accepted", title="Jordan accepted")
    notify(jordan, "c")
    r = api(maya).get("/api/v1/notifications/")
    assert r.status_code == 200
    body = r.json()
    assert [n["id"] for n in body["results"]] == [newer.pk, older.pk]
    assert body["next"] is None
    first = body["results"][0]
    assert {"id", "kind", "title", "body", "created_at", "read"} <= set(first)
    assert first["kind"] == "match_accepted" and first["title"] == "Jordan accepted" and first["read"] is False
    assert datetime.fromisoformat(first["created_at"]).tzinfo is not None  # ISO 8601 with an offset


def test_inbox_unread_filter(api, maya):
    read = notify(maya, "a")
    unread = notify(maya, "b")
    api(maya).post(f"/api/v1/notifications/{read.pk}/read/")
    r = api(maya).get("/api/v1/notifications/?unread=true")
    assert [n["id"] for n in r.json()["results"]] == [unread.pk]
    assert len(api(maya).get("/api/v1/notifications/?unread=false").json()["results"]) == 2


def test_inbox_bad_filter_is_400(api, maya):
    r = api(maya).get("/api/v1/notifications/?unread=sometimes")
    assert r.status_code == 400 and "unread" in r.json()


def test_inbox_paginates(api, maya, settings):
    settings.NOTIFICATION_DAILY_CAP = None  # 55 nudges in a day: this is about paging, not the cap
    for i in range(55):
        notify(maya, f"k{i}")
    r = api(maya).get("/api/v1/notifications/")
    assert len(r.json()["results"]) == 50 and r.json()["next"]
    assert len(api(maya).get(r.json()["next"]).json()["results"]) == 5


def test_inbox_query_count_does_not_grow_with_size(api, maya, django_assert_max_num_queries):
    for i in range(30):
        notify(maya, f"q{i}")
    client = api(maya)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/notifications/").status_code == 200


def test_inbox_needs_authentication(api):
    assert api().get("/api/v1/notifications/").status_code == 401


@pytest.mark.parametrize("persona", ["jordan", "dr_reyes", "sam", "lee"])
def test_every_role_has_an_inbox(api, persona, request):
    user = request.getfixturevalue(persona)
    notify(user, f"x-{persona}")
    assert len(api(user).get("/api/v1/notifications/").json()["results"]) == 1


# --- POST /api/v1/notifications/{id}/read/ and /read-all/ ------------------------------------


def test_mark_read(api, maya):
    n = notify(maya, "a")
    r = api(maya).post(f"/api/v1/notifications/{n.pk}/read/")
    assert r.status_code == 200
    assert r.json()["id"] == n.pk and r.json()["read"] is True
    n.refresh_from_db()
    first_read = n.read_at
    assert first_read is not None
    # Twice is fine and keeps the first time.
    assert api(maya).post(f"/api/v1/notifications/{n.pk}/read/").status_code == 200
    n.refresh_from_db()
    assert n.read_at == first_read


def test_nobody_marks_someone_elses_notification(api, maya, jordan, omar):
    n = notify(maya, "a")
    assert api(jordan).post(f"/api/v1/notifications/{n.pk}/read/").status_code == 404
    assert api(omar).post(f"/api/v1/notifications/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_unknown_and_huge_notification_ids_are_404(api, maya):
    assert api(maya).post("/api/v1/notifications/123456789/read/").status_code == 404
    r = api(maya).post(f"/api/v1/notifications/{'9' * 30}/read/")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"


def test_mark_read_needs_authentication(api, maya):
    n = notify(maya, "a")
    assert api().post(f"/api/v1/notifications/{n.pk}/read/").status_code == 401


def test_read_all_marks_only_mine(api, maya, jordan):
    notify(maya, "a")
    notify(maya, "b")
    theirs = notify(jordan, "c")
    r = api(maya).post("/api/v1/notifications/read-all/")
    assert r.status_code == 200 and r.json() == {"marked": 2}
    assert api(maya).get("/api/v1/notifications/?unread=true").json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- GET, PUT /api/v1/me/reminders/ ----------------------------------------------------------


def test_reminders_defaults(api, maya):
    r = api(maya).get("/api/v1/me/reminders/")
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"checkin_time", "checkin_days", "channels", "quiet_start", "quiet_end", "group_reminders"}
    assert "in_app" in body["channels"] and body["checkin_days"] == [0, 1, 2, 3, 4, 5, 6]


def test_reminders_roundtrip_and_audit(api, maya):
    maya.phone = "+15551234567"
    maya.save()
    body = {
        "checkin_time": "19:30",
        "checkin_days": [5, 1, 1, 3],
        "channels": ["sms", "email"],
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "group_reminders": False,
    }
    r = api(maya).put("/api/v1/me/reminders/", body, format="json")
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["checkin_time"] == "19:30" and got["checkin_days"] == [1, 3, 5]
    assert set(got["channels"]) == {"in_app", "sms", "email"}  # the inbox always gets everything
    assert got["quiet_start"] == "22:00" and got["quiet_end"] == "07:00" and got["group_reminders"] is False
    assert api(maya).get("/api/v1/me/reminders/").json() == got
    assert AuditEvent.objects.filter(action="notification_preference.update", actor=maya).exists()


def test_quiet_hours_can_be_cleared_together(api, maya):
    api(maya).put("/api/v1/me/reminders/", {"quiet_start": "22:00", "quiet_end": "07:00"}, format="json")
    r = api(maya).put("/api/v1/me/reminders/", {"quiet_start": None, "quiet_end": None}, format="json")
    assert r.status_code == 200 and r.json()["quiet_start"] is None


@pytest.mark.parametrize(
    "body,field",
    [
        ({"checkin_time": "25:00"}, "checkin_time"),
        ({"checkin_time": "7pm"}, "checkin_time"),
        ({"checkin_time": 730}, "checkin_time"),
        ({"checkin_days": [7]}, "checkin_days"),
        ({"checkin_days": ["monday"]}, "checkin_days"),
        ({"checkin_days": 1}, "checkin_days"),
        ({"checkin_days": None}, "checkin_days"),
        ({"checkin_days": [0, 1, 2, 3, 4, 5, 6, 0]}, "checkin_days"),
        ({"channels": ["fax"]}, "channels"),
        ({"channels": "email"}, "channels"),
        ({"channels": ["sms"]}, "channels"),  # no phone number on the account
        ({"quiet_start": "22:00"}, "quiet_end"),
        ({"quiet_start": "22:00", "quiet_end": "late"}, "quiet_end"),
        ({"group_reminders": "often"}, "group_reminders"),
        ({"group_reminders": None}, "group_reminders"),
    ],
)
def test_reminders_validation(api, maya, body, field):
    before = api(maya).get("/api/v1/me/reminders/").json()
    r = api(maya).put("/api/v1/me/reminders/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert api(maya).get("/api/v1/me/reminders/").json() == before


def test_reminders_need_authentication(api):
    assert api().get("/api/v1/me/reminders/").status_code == 401
    assert api().put("/api/v1/me/reminders/", {"group_reminders": True}, format="json").status_code == 401
