"""The groups pages, driven through Django's test client like a browser would."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import services
from groups.models import Attendance, CalendarFeed, Enrollment, RecoveryGroup, Session
from tests.groups.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):  # type: ignore[no-untyped-def]
    def login(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return login


def test_directory_filters_and_join_and_waitlist(frozen, as_user, maya, clients, make_group):
    make_group(name="Tuesday SMART", capacity=1)
    make_group(name="Family circle", kind="family", rrule="FREQ=WEEKLY;BYDAY=SA")
    web = as_user(maya)
    page = web.get("/groups/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tuesday SMART" in html and "Every Tuesday at 7 pm" in html and "Family circle" in html
    filtered = web.get("/groups/?kind=family&day=6").content.decode()
    assert "Family circle" in filtered and "Tuesday SMART" not in filtered
    assert web.get("/groups/?day=banana&kind=nope").status_code == 200  # bad filters are ignored, not a 500
    group = RecoveryGroup.objects.get(name="Tuesday SMART")
    response = web.post(f"/groups/{group.pk}/join/", follow=True)
    assert "You joined Tuesday SMART" in response.content.decode()
    other = clients(1)[0]
    waitlisted = as_user(other).post(f"/groups/{group.pk}/join/", follow=True).content.decode()
    assert "number 1 on the waitlist" in waitlisted
    assert Enrollment.objects.get(member=other).status == "waitlisted"


def test_my_groups_shows_next_sessions_in_my_zone_and_the_calendar_link(frozen, as_user, maya, make_group):
    maya.timezone = "America/New_York"
    maya.save()
    group = make_group(name="Tuesday SMART")
    services.enrollment_join(actor=maya, group=group, member=maya)
    html = as_user(maya).get("/groups/mine/").content.decode()
    assert "Tuesday SMART" in html
    assert "Tuesday 20 Oct, 8:00 p.m." in html  # 7 pm Chicago is 8 pm in New York
    token = CalendarFeed.objects.get(user=maya).token
    assert f"/calendar/{token}.ics" in html
    as_user(maya).post("/groups/mine/calendar/rotate/")
    assert CalendarFeed.objects.get(user=maya).token != token
    as_user(maya).post(f"/groups/{group.pk}/leave/")
    assert Enrollment.objects.get(member=maya).status == "left"


def test_schedule_picker_creates_the_rrule(frozen, as_user, dr_reyes, jordan):
    web = as_user(dr_reyes)
    assert web.get("/groups/manage/new/").status_code == 200
    form = {
        "name": "Evening skills",
        "kind": "skills",
        "visibility": "organization",
        "attendance_mode": "in_person",
        "address": "12 Elm St",
        "capacity": "10",
        "days": ["2", "4"],
        "at": "18:30",
        "repeat": "1",
        "start_date": "2026-10-20",
        "duration_minutes": "60",
        "timezone": "America/Chicago",
        "facilitators": [str(jordan.pk)],
    }
    response = web.post("/groups/manage/new/", form)
    assert response.status_code == 302
    group = RecoveryGroup.objects.get(name="Evening skills")
    assert group.rrule == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert group.start_time.strftime("%H:%M") == "18:30"
    assert list(group.facilitators.all()) == [jordan]
    roster = web.get(response["Location"]).content.decode()
    assert "Every Tuesday and Thursday at 6:30 pm" in roster
    edit = web.get(f"/groups/manage/{group.pk}/edit/").content.decode()
    checked = set(re.findall(r'name="days" value="(\d)"[^>]*checked', edit))
    assert checked == {"2", "4"}
    assert 'value="18:30"' in edit


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": []}, "Pick at least one day"),
        ({"capacity": "-3"}, "greater than or equal to 0"),
        ({"custom_rrule": "FREQ=SOMETIMES"}, "FREQ must be"),
        ({"attendance_mode": "online", "conference_url": ""}, "need a link"),
        ({"duration_minutes": "0"}, "greater than or equal to 1"),
    ],
)
def test_group_form_errors_are_shown_next_to_the_field(frozen, as_user, sam, changes, message):
    form = {
        "name": "X", "kind": "skills", "visibility": "organization", "attendance_mode": "in_person", "address": "1 Main",
        "days": ["1"], "at": "10:00", "repeat": "1", "start_date": "2026-10-20", "duration_minutes": "60",
        "timezone": "America/Chicago",
    }  # fmt: skip
    form.update(changes)
    response = as_user(sam).post("/groups/manage/new/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'class="field__error"' in response.content.decode()
    assert not RecoveryGroup.objects.exists()


def test_members_cannot_manage_and_outsiders_get_404(frozen, as_user, maya, omar, make_group):
    group = make_group()
    session = Session.objects.filter(group=group).first()
    assert as_user(maya).get("/groups/manage/").status_code == 403
    assert as_user(maya).get("/groups/manage/new/").status_code == 403
    assert as_user(maya).get(f"/groups/manage/{group.pk}/").status_code == 403
    web = as_user(omar)
    assert web.get(f"/groups/manage/{group.pk}/").status_code == 404
    assert web.get(f"/groups/manage/{group.pk}/edit/").status_code == 404
    assert web.get(f"/groups/sessions/{session.pk}/attendance/").status_code == 404
    assert web.post(f"/groups/{group.pk}/join/").status_code == 404


def test_attendance_page_saves_everyone_in_one_post(frozen, as_user, jordan, clients, make_group):
    group = make_group()
    people = clients(3)
    for p in people:
        services.enrollment_join(actor=p, group=group, member=p)
    frozen.move_to(NOW + timedelta(days=1))
    session = Session.objects.filter(group=group).order_by("starts_at").first()
    web = as_user(jordan)
    page = web.get(f"/groups/sessions/{session.pk}/attendance/").content.decode()
    assert page.count('type="radio"') == 3 * 4
    response = web.post(
        f"/groups/sessions/{session.pk}/attendance/",
        {f"status-{people[0].pk}": "present", f"status-{people[1].pk}": "late", f"status-{people[2].pk}": "absent"},
        follow=True,
    )
    assert "Attendance saved for 3 people" in response.content.decode()
    assert dict(Attendance.objects.values_list("member_id", "status")) == {
        people[0].pk: "present", people[1].pk: "late", people[2].pk: "absent",
    }  # fmt: skip
    assert "3 of 3 recorded" in response.content.decode()


def test_roster_page_query_count_does_not_grow_with_members(frozen, as_user, jordan, clients, make_group):
    def roster_queries(n: int) -> int:
        group = make_group(name=f"Group of {n}", capacity=100)
        for p in clients(n):
            Enrollment.objects.create(organization_id=group.organization_id, group=group, member=p, status="enrolled")
        web = as_user(jordan)
        with CaptureQueriesContext(connection) as ctx:
            assert web.get(f"/groups/manage/{group.pk}/").status_code == 200
        return len(ctx)

    assert roster_queries(3) == roster_queries(40)


def test_manage_page_lists_groups_for_clinicians_and_facilitated_ones_for_mentors(frozen, as_user, dr_reyes, jordan, make_group):
    make_group(name="Tuesday SMART")
    make_group(name="Clinic skills", facilitators=[dr_reyes])
    html = as_user(dr_reyes).get("/groups/manage/").content.decode()
    assert "Tuesday SMART" in html and "Clinic skills" in html and "New group" in html
    mentor = as_user(jordan).get("/groups/manage/")
    assert mentor.status_code == 200
    assert "Tuesday SMART" in mentor.content.decode() and "Clinic skills" not in mentor.content.decode()
    assert "New group" not in mentor.content.decode()
    mine = as_user(jordan).get("/groups/mine/").content.decode()
    assert "Groups I facilitate" in mine and "Roster &amp; attendance" in mine


def test_every_page_renders_for_its_users(frozen, as_user, dr_reyes, sam, maya, jordan, make_group, org):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    session = Session.objects.filter(group=group).first()
    for user, path in [
        (maya, "/groups/"), (maya, "/groups/mine/"), (dr_reyes, "/groups/manage/"), (dr_reyes, f"/groups/manage/{group.pk}/"),
        (sam, f"/groups/manage/{group.pk}/edit/"), (jordan, f"/groups/sessions/{session.pk}/attendance/"), (sam, "/groups/manage/new/"),
    ]:  # fmt: skip
        assert as_user(user).get(path).status_code == 200, path


def test_archiving_a_group_keeps_history_and_drops_future_sessions(frozen, as_user, sam, maya, jordan, make_group):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    frozen.move_to(NOW + timedelta(days=8))
    first = Session.objects.filter(group=group).order_by("starts_at").first()
    services.attendance_record(actor=jordan, session=first, entries=[{"member": maya.pk, "status": "present"}])
    assert as_user(maya).post(f"/groups/manage/{group.pk}/archive/").status_code == 403
    response = as_user(sam).post(f"/groups/manage/{group.pk}/archive/")
    assert response.status_code == 302
    remaining = Session.objects.filter(group=group)
    assert remaining.count() == 2 and not remaining.filter(starts_at__gt=NOW + timedelta(days=8)).exists()
    assert Attendance.objects.filter(session=first).exists()
    assert f"/groups/{group.pk}/join/" not in as_user(maya).get("/groups/").content.decode()
    assert "0 groups" in as_user(maya).get("/groups/").content.decode()
    assert "You are not in any group yet" in as_user(maya).get("/groups/mine/").content.decode()


def test_the_directory_labels_the_next_session_with_her_own_zone(frozen, as_user, maya, make_group):
    """Issue 13 (2): the time was hers but the label was the group's ("6:30 p.m. (America/Chicago)")."""
    maya.timezone = "America/New_York"
    maya.save()
    make_group(name="Tuesday SMART")  # 7 pm in Chicago
    html = as_user(maya).get("/groups/").content.decode()
    assert "Next: Tue 20 Oct, 8:00 p.m. EDT" in html
    assert "(America/Chicago)" not in html


def test_an_online_groups_dial_in_reads_as_a_number_and_still_dials_the_code(frozen, as_user, maya, make_group):
    group = make_group(
        name="Online SMART",
        attendance_mode="online",
        address="",
        conference_url="https://meet.example.org/smart",
        conference_phone="+15555550142,,8841#",
    )
    services.enrollment_join(actor=maya, group=group, member=maya)
    html = as_user(maya).get("/groups/mine/").content.decode()
    assert '<a class="nowrap" href="tel:+15555550142,,8841%23">+1 555-555-0142</a> (meeting code 8841#)' in html
    assert "+15555550142,,8841#" not in html  # never the raw dial string as text
    maya.language = "es"
    maya.save(update_fields=["language"])
    assert "+1 555-555-0142</a> (código de la reunión 8841#)" in as_user(maya).get("/groups/mine/").content.decode()
