"""The groups API through the eyes of its users: Dr. Reyes runs groups, Jordan facilitates,
Maya joins, Sam (staff) manages the program, Omar (another program) sees nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from groups.models import Attendance, Enrollment, RecoveryGroup, Session
from notifications.models import Notification
from tests.groups.conftest import NOW, group_data

pytestmark = pytest.mark.django_db


def post_group(api, user, **overrides):  # type: ignore[no-untyped-def]
    return api(user).post("/api/v1/groups/", group_data(**overrides), format="json")


# --- create / update ----------------------------------------------------------------------


def test_clinician_creates_a_group_with_sessions_and_a_readable_schedule(frozen, api, dr_reyes, jordan):
    response = post_group(api, dr_reyes, facilitators=[jordan.pk], meeting_types=["O", "D"], rrule="FREQ=WEEKLY;BYDAY=TU,TH")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["schedule"] == "Every Tuesday and Thursday at 7 pm"
    assert body["start_local"] == "2026-10-06T19:00"
    assert body["facilitators"] == [{"id": jordan.pk, "display_name": "Jordan"}]
    assert body["meeting_types"] == ["D", "O"]
    assert body["next_sessions"][0]["starts_at"] == "2026-10-20T19:00:00-05:00"
    assert Session.objects.filter(group_id=body["id"]).count() == 26


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rrule": "FREQ=WEEKLY;BYDAY=FUNDAY"}, "rrule"),
        ({"rrule": "every tuesday"}, "rrule"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"capacity": -1}, "capacity"),
        ({"start_local": "next tuesday"}, "start_local"),
        ({"kind": "book_club"}, "kind"),
        ({"attendance_mode": "online", "conference_url": ""}, "conference_url"),
        ({"meeting_types": ["NOPE"]}, "meeting_types"),
        ({"facilitators": [999999]}, "facilitators"),
    ],
)
def test_bad_group_input_is_a_400_with_a_field_message(frozen, api, dr_reyes, overrides, field):
    response = post_group(api, dr_reyes, **overrides)
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)
    assert not RecoveryGroup.objects.exists()


def test_members_cannot_create_or_change_groups(frozen, api, maya, make_group):
    assert post_group(api, maya).status_code == 403
    group = make_group()
    assert api(maya).patch(f"/api/v1/groups/{group.pk}/", {"capacity": 1}, format="json").status_code == 403


def test_patch_schedule_moves_future_sessions(frozen, api, sam, make_group):
    group = make_group()
    response = api(sam).patch(f"/api/v1/groups/{group.pk}/", {"rrule": "FREQ=WEEKLY;BYDAY=WE"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["schedule"] == "Every Wednesday at 7 pm"
    assert response.json()["next_sessions"][0]["starts_at"] == "2026-10-21T19:00:00-05:00"
    assert api(sam).patch(f"/api/v1/groups/{group.pk}/", {"timezone": "Nowhere/Land"}, format="json").status_code == 400


# --- visibility ------------------------------------------------------------------------------


def test_outsiders_get_404_everywhere(frozen, api, omar, priya, make_group):
    group = make_group()
    session = Session.objects.filter(group=group).first()
    for user in (omar, priya):
        client = api(user)
        assert client.get(f"/api/v1/groups/{group.pk}/").status_code == 404
        assert client.patch(f"/api/v1/groups/{group.pk}/", {"capacity": 3}, format="json").status_code == 404
        assert client.get(f"/api/v1/groups/{group.pk}/sessions/").status_code == 404
        assert client.post(f"/api/v1/groups/{group.pk}/enroll/", {}, format="json").status_code == 404
        assert client.post(f"/api/v1/groups/{group.pk}/leave/", {}, format="json").status_code == 404
        assert client.get(f"/api/v1/groups/{group.pk}/roster/").status_code == 404
        assert client.post(f"/api/v1/sessions/{session.pk}/attendance/", [], format="json").status_code == 404
        assert client.post(f"/api/v1/sessions/{session.pk}/cancel/", {}, format="json").status_code == 404
        assert client.get("/api/v1/groups/").json()["results"] == []


def test_list_filters_by_kind_mode_and_day(frozen, api, maya, make_group):
    make_group(name="Tuesday SMART")
    make_group(
        name="Online family circle", kind="family", attendance_mode="online", conference_url="https://meet.example.org/fam",
        location="", rrule="FREQ=WEEKLY;BYDAY=MO,WE",
    )  # fmt: skip
    make_group(name="Closed IOP", kind="clinical_therapy", visibility="closed")
    client = api(maya)

    def names(query=""):  # type: ignore[no-untyped-def]
        response = client.get("/api/v1/groups/" + query)
        assert response.status_code == 200
        return [g["name"] for g in response.json()["results"]]

    assert names() == ["Online family circle", "Tuesday SMART"]  # the closed group is invisible
    assert names("?kind=family") == ["Online family circle"]
    assert names("?attendance_mode=in_person") == ["Tuesday SMART"]
    assert names("?day=2") == ["Tuesday SMART"]
    assert names("?day=3") == ["Online family circle"]
    assert names("?day=0") == []
    assert client.get("/api/v1/groups/?day=9").status_code == 400
    assert client.get("/api/v1/groups/?kind=knitting").status_code == 400


# --- enrollment and waitlist -------------------------------------------------------------------


def test_join_then_409_when_already_in(frozen, api, maya, make_group):
    group = make_group()
    response = api(maya).post(f"/api/v1/groups/{group.pk}/enroll/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "enrolled"
    again = api(maya).post(f"/api/v1/groups/{group.pk}/enroll/", {}, format="json")
    assert again.status_code == 409 and again.json()["detail"]


def test_joining_a_closed_group_one_cannot_see_is_404_but_staff_can_enroll_them(frozen, api, maya, sam, make_group):
    group = make_group(visibility="closed")
    assert api(maya).post(f"/api/v1/groups/{group.pk}/enroll/", {}, format="json").status_code == 404
    response = api(sam).post(f"/api/v1/groups/{group.pk}/enroll/", {"member": maya.pk}, format="json")
    assert response.status_code == 201
    # Now she is in it, she sees it.
    assert api(maya).get(f"/api/v1/groups/{group.pk}/").json()["my_status"] == "enrolled"
    assert api(sam).post(f"/api/v1/groups/{group.pk}/enroll/", {"member": 999999}, format="json").status_code == 400


def test_full_group_waitlists_in_order_and_leaving_promotes_the_head_with_a_notification(frozen, api, maya, clients, make_group):
    group = make_group(capacity=1)
    first, second = clients(2)
    assert api(maya).post(f"/api/v1/groups/{group.pk}/enroll/", {}, format="json").json()["status"] == "enrolled"
    r1 = api(first).post(f"/api/v1/groups/{group.pk}/enroll/", {}, format="json").json()
    r2 = api(second).post(f"/api/v1/groups/{group.pk}/enroll/", {}, format="json").json()
    assert (r1["status"], r1["position"]) == ("waitlisted", 1)
    assert (r2["status"], r2["position"]) == ("waitlisted", 2)

    assert api(maya).post(f"/api/v1/groups/{group.pk}/leave/", {}, format="json").status_code == 200
    statuses = dict(Enrollment.objects.filter(group=group).values_list("member_id", "status"))
    assert statuses == {maya.pk: "left", first.pk: "enrolled", second.pk: "waitlisted"}
    note = Notification.objects.get(recipient=first, kind="waitlist_promoted")
    assert group.name in note.title
    assert not Notification.objects.filter(recipient=second).exists()
    assert api(second).get(f"/api/v1/groups/{group.pk}/").json()["my_status"] == "waitlisted"
    assert api(maya).post(f"/api/v1/groups/{group.pk}/leave/", {}, format="json").status_code == 409


def test_staff_removing_a_member_promotes_and_capacity_increase_promotes(frozen, api, sam, clients, make_group):
    group = make_group(capacity=1)
    a, b, c = clients(3)
    for person in (a, b, c):
        api(sam).post(f"/api/v1/groups/{group.pk}/enroll/", {"member": person.pk}, format="json")
    assert api(sam).post(f"/api/v1/groups/{group.pk}/leave/", {"member": a.pk}, format="json").status_code == 200
    assert Enrollment.objects.get(group=group, member=b).status == "enrolled"
    api(sam).patch(f"/api/v1/groups/{group.pk}/", {"capacity": 5}, format="json")
    assert Enrollment.objects.get(group=group, member=c).status == "enrolled"
    assert Notification.objects.filter(kind="waitlist_promoted").count() == 2


def test_a_member_cannot_enroll_someone_else(frozen, api, maya, clients, make_group):
    group = make_group()
    other = clients(1)[0]
    assert api(maya).post(f"/api/v1/groups/{group.pk}/enroll/", {"member": other.pk}, format="json").status_code == 403


# --- roster, sessions, attendance ---------------------------------------------------------------


@pytest.fixture
def running_group(frozen, make_group, clients, maya):  # type: ignore[no-untyped-def]
    """A group with Maya and two others, three weeks on: three past sessions."""
    from groups import services

    group = make_group()
    people = [maya, *clients(2)]
    for person in people:
        services.enrollment_join(actor=person, group=group, member=person)
    frozen.move_to(NOW + timedelta(days=21))
    return group, people


def past_sessions(group):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return list(Session.objects.filter(group=group, starts_at__lt=timezone.now()).order_by("starts_at"))


def test_facilitator_records_attendance_in_one_request_idempotently(running_group, api, jordan, clients):
    group, (maya, b, c) = running_group
    session = past_sessions(group)[0]
    payload = [
        {"member": maya.pk, "status": "present"},
        {"member": b.pk, "status": "late", "note": "bus"},
        {"member": c.pk, "status": "absent"},
    ]
    url = f"/api/v1/sessions/{session.pk}/attendance/"
    first = api(jordan).post(url, payload, format="json")
    assert first.status_code == 200, first.json()
    second = api(jordan).post(url, payload, format="json")
    assert second.json() == first.json()
    assert Attendance.objects.filter(session=session).count() == 3
    # Change one, clear one.
    api(jordan).post(url, [{"member": c.pk, "status": "excused"}, {"member": b.pk, "status": "not_recorded"}], format="json")
    assert dict(Attendance.objects.filter(session=session).values_list("member_id", "status")) == {
        maya.pk: "present",
        c.pk: "excused",
    }
    sheet = api(jordan).get(url).json()
    assert {row["member"]: row["status"] for row in sheet} == {maya.pk: "present", b.pk: "not_recorded", c.pk: "excused"}


def test_attendance_errors(running_group, api, jordan, maya, clients, dr_reyes):
    group, people = running_group
    past = past_sessions(group)[0]
    future = Session.objects.filter(group=group, starts_at__gt=past.starts_at + timedelta(days=30)).first()
    stranger = clients(1)[0]
    url = f"/api/v1/sessions/{past.pk}/attendance/"
    not_enrolled = api(jordan).post(url, [{"member": stranger.pk, "status": "present"}], format="json")
    assert not_enrolled.status_code == 400 and not_enrolled.json()["member"]
    assert api(jordan).post(url, [{"member": maya.pk, "status": "asleep"}], format="json").status_code == 400
    assert api(jordan).post(url, {"member": maya.pk}, format="json").status_code == 400
    dup = [{"member": maya.pk, "status": "present"}, {"member": maya.pk, "status": "absent"}]
    assert api(jordan).post(url, dup, format="json").status_code == 400
    ahead = f"/api/v1/sessions/{future.pk}/attendance/"
    early = api(jordan).post(ahead, [{"member": maya.pk, "status": "present"}], format="json")
    assert early.status_code == 400 and early.json()["status"]
    assert api(dr_reyes).post(ahead, [{"member": maya.pk, "status": "excused"}], format="json").status_code == 200
    # Maya can see the group but is not its facilitator.
    assert api(maya).post(url, [{"member": maya.pk, "status": "present"}], format="json").status_code == 403


def test_roster_shows_members_waitlist_and_attendance_rate(running_group, api, jordan, maya, sam, clients):
    from groups import services

    group, (m, b, c) = running_group
    sessions = past_sessions(group)
    marks = [("present", "absent", "excused"), ("late", "absent", "present"), ("absent", "present", "present")]
    for session, (s1, s2, s3) in zip(sessions, marks, strict=True):
        services.attendance_record(
            actor=jordan,
            session=session,
            entries=[{"member": m.pk, "status": s1}, {"member": b.pk, "status": s2}, {"member": c.pk, "status": s3}],
        )
    services.group_update(actor=sam, group=group, data={"capacity": 3})
    waiting = clients(1)[0]
    services.enrollment_join(actor=waiting, group=group, member=waiting)
    response = api(sam).get(f"/api/v1/groups/{group.pk}/roster/")  # staff read attendance program-wide
    assert response.status_code == 200
    rows = {row["member"]["id"]: row for row in response.json()["results"]}
    assert rows[m.pk]["attendance_rate"] == pytest.approx(2 / 3, abs=0.001)  # present, late, absent
    assert rows[b.pk]["attendance_rate"] == pytest.approx(1 / 3, abs=0.001)
    assert rows[c.pk]["attendance_rate"] == 1.0  # excused is not counted
    assert rows[waiting.pk]["status"] == "waitlisted" and rows[waiting.pk]["position"] == 1
    assert rows[waiting.pk]["attendance_rate"] is None
    assert api(maya).get(f"/api/v1/groups/{group.pk}/roster/").status_code == 403
    # Jordan facilitates: he sees who is in (and the waitlist), not their attendance history.
    facilitator = {row["member"]["id"]: row for row in api(jordan).get(f"/api/v1/groups/{group.pk}/roster/").json()["results"]}
    assert set(facilitator) == set(rows) and facilitator[waiting.pk]["position"] == 1
    assert all(r["attendance_rate"] is None and r["present"] is None and not r["attendance_shared"] for r in facilitator.values())


def test_sessions_list_with_range_and_bad_range(running_group, api, maya):
    group, _ = running_group
    url = f"/api/v1/groups/{group.pk}/sessions/"
    body = api(maya).get(url + "?from=2026-10-01&to=2026-11-30").json()
    starts = [s["starts_at"] for s in body["results"]]
    assert starts[0] == "2026-10-06T19:00:00-05:00" or starts[0] == "2026-10-20T19:00:00-05:00"
    assert "2026-11-03T19:00:00-06:00" in starts  # after the fall-back: still 7 pm
    assert all(s["status"] == "scheduled" for s in body["results"])
    assert api(maya).get(url + "?from=yesterday").status_code == 400
    assert api(maya).get(url + "?from=2026-11-01&to=2026-10-01").status_code == 400


def test_cancel_notifies_enrolled_members_once(running_group, api, jordan, maya, sam):
    group, people = running_group
    from django.utils import timezone

    session = Session.objects.filter(group=group, starts_at__gt=timezone.now()).order_by("starts_at").first()
    response = api(jordan).post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "Room flooded"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    notes = Notification.objects.filter(kind="session_cancelled")
    assert {n.recipient_id for n in notes} == {p.pk for p in people}
    assert all(n.body == "Room flooded" for n in notes)
    assert api(sam).post(f"/api/v1/sessions/{session.pk}/cancel/", {}, format="json").status_code == 409
    assert api(maya).post(f"/api/v1/sessions/{session.pk}/cancel/", {}, format="json").status_code == 403
    past = past_sessions(group)[0]
    assert api(jordan).post(f"/api/v1/sessions/{past.pk}/cancel/", {}, format="json").status_code == 400


def test_calendar_url_is_secret_and_rotates(frozen, api, maya):
    first = api(maya).get("/api/v1/me/calendar/").json()["url"]
    assert first == api(maya).get("/api/v1/me/calendar/").json()["url"]
    assert first.startswith("http://testserver/calendar/") and first.endswith(".ics")
    rotated = api(maya).post("/api/v1/me/calendar/").json()["url"]
    assert rotated != first
    assert api().get(first.replace("http://testserver", "")).status_code == 404
    assert api().get(rotated.replace("http://testserver", "")).status_code == 200
    assert api().get("/api/v1/me/calendar/").status_code in (401, 403)


def test_only_clinicians_and_staff_enroll_or_remove_others_even_through_the_service(make_group, maya, jordan, lee):
    """The rule lives in the service, so every caller (API, pages, tasks) keeps it."""
    from common.errors import NotAllowed
    from groups import services as group_services

    group = make_group()
    with pytest.raises(NotAllowed):
        group_services.enrollment_join(actor=jordan, group=group, member=maya)
    group_services.enrollment_join(actor=maya, group=group, member=maya)
    with pytest.raises(NotAllowed):
        group_services.enrollment_leave(actor=lee, group=group, member=maya)
