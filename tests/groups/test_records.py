"""What other parts of Kinship read from groups: the missed-two-sessions risk flag, the client
summary, a member's export and erasure; the roster's "last 12 sessions" and its constant query
count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from groups import services
from groups.models import Attendance, Enrollment, Session
from groups.selectors import clients_missed_last_two_sessions, group_recent_sessions, group_roster
from members.client_records import summaries_for
from members.exports import erase_everywhere, export_everything
from members.models import ConsentGrant
from tests.groups.conftest import NOW

pytestmark = pytest.mark.django_db


def record(actor, group, index, marks):  # type: ignore[no-untyped-def]
    session = list(Session.objects.filter(group=group, starts_at__lt=timezone.now()).order_by("starts_at"))[index]
    services.attendance_record(actor=actor, session=session, entries=[{"member": m.pk, "status": s} for m, s in marks])


def test_missed_last_two_sessions(frozen, make_group, clients, dr_reyes, org, other_org):
    group = make_group()
    other_group = make_group(name="Thursday skills", rrule="FREQ=WEEKLY;BYDAY=TH", start_local="2026-10-08T12:00")
    a, b, c, d, e = clients(5)
    for person in (a, b, c, d, e):
        services.enrollment_join(actor=person, group=group, member=person)
    services.enrollment_join(actor=b, group=other_group, member=b)
    frozen.move_to(NOW + timedelta(days=15))  # Tue 20, Thu 22, Tue 27, Thu 29 Oct are past
    record(dr_reyes, group, 0, [(a, "absent"), (b, "absent"), (c, "present"), (d, "absent"), (e, "absent")])
    record(dr_reyes, group, 1, [(a, "absent"), (b, "absent"), (c, "absent"), (d, "excused"), (e, "absent")])
    # b went to the Thursday group in between: her two most recent are not both absences.
    record(dr_reyes, other_group, 1, [(b, "present")])
    services.enrollment_leave(actor=e, group=group, member=e)  # e left: not flagged for that group
    assert clients_missed_last_two_sessions(organization_id=org.pk) == {a.pk}
    assert clients_missed_last_two_sessions(organization_id=other_org.pk) == set()


def test_summary_provider_respects_consent(frozen, make_group, care_team, maya, jordan, dr_reyes, sam, lee):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    frozen.move_to(NOW + timedelta(days=8))
    record(jordan, group, 0, [(maya, "present")])
    for viewer in (maya, dr_reyes, sam):
        summary = summaries_for(viewer, [maya])[maya.pk]
        assert summary["attendance_rate"] == summary["attendance_rate_30d"] == 1.0
        assert summary["next_group_session"]["group"]["name"] == group.name
    assert "attendance_rate" not in summaries_for(jordan, [maya])[maya.pk]  # no grant yet
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=jordan, scopes=["attendance"])
    assert summaries_for(jordan, [maya])[maya.pk]["attendance_rate"] == 1.0
    assert "attendance_rate" not in summaries_for(lee, [maya])[maya.pk]


def test_export_and_erasure(frozen, make_group, maya, clients, jordan):
    group = make_group(capacity=1)
    waiting = clients(1)[0]
    services.enrollment_join(actor=maya, group=group, member=maya)
    services.enrollment_join(actor=waiting, group=group, member=waiting)
    frozen.move_to(NOW + timedelta(days=8))
    record(jordan, group, 0, [(maya, "late")])
    services.calendar_feed_get_or_create(user=maya)
    data = export_everything(maya)["groups"]
    assert data["enrollments"][0]["group"] == group.name and data["enrollments"][0]["status"] == "enrolled"
    assert data["attendance"][0]["status"] == "late"
    assert data["calendar_feed"] is True
    erase_everywhere(maya)
    assert not Attendance.objects.filter(member=maya).exists()
    assert not Enrollment.objects.filter(member=maya).exists()
    assert Enrollment.objects.get(member=waiting).status == "enrolled"  # the waitlist moved up


def test_roster_of_forty_with_twelve_weeks_loads_in_constant_queries(
    frozen, make_group, clients, jordan, sam, django_assert_num_queries, api
):
    group = make_group(capacity=50, start_local="2026-07-28T19:00")
    members = clients(40)
    Enrollment.objects.bulk_create(
        [Enrollment(organization_id=group.organization_id, group=group, member=m, status="enrolled") for m in members]
    )
    services.sessions_materialize(group=group, since=NOW - timedelta(weeks=12), until=NOW)
    past = list(Session.objects.filter(group=group, starts_at__lt=NOW))
    assert len(past) == 12
    statuses = ["present", "late", "absent", "excused"]
    Attendance.objects.bulk_create(
        [
            Attendance(organization_id=group.organization_id, session=s, member=m, status=statuses[(i + j) % 4])
            for i, s in enumerate(past)
            for j, m in enumerate(members)
        ]
    )
    # recent sessions, enrollments, marks (the counts are theirs), the access log (staff: no consent lookup)
    with django_assert_num_queries(4):
        history = group_recent_sessions(group=group, past=12, ahead=0)
        rows = group_roster(viewer=sam, group=group, history_sessions=history)
    assert len(rows) == 40 and all(len(r.history) == 12 for r in rows)
    assert all(r.attendance_rate is not None for r in rows)
    # The API and the page too: same count for 40 members as it would be for 4.
    client = api(jordan)
    # auth, group, facilitators, enrollments, counts, the consents the reads are logged under, access log, pagination
    with django_assert_num_queries(8):
        assert client.get(f"/api/v1/groups/{group.pk}/roster/").status_code == 200


def test_the_rosters_last_sessions_add_up_to_their_number(frozen, make_group, clients, sam, client):
    """Issue 13 (10): the roster said "last 12 sessions" and its counts added up to 17 (they were
    all-time). Now they count those 12 held sessions: a cancelled one is not among them, and
    someone who joined since has fewer."""
    group = make_group(capacity=50, start_local="2026-06-30T19:00")
    services.sessions_materialize(group=group, since=NOW - timedelta(weeks=20), until=NOW)
    past = list(Session.objects.filter(group=group, starts_at__lt=NOW).order_by("starts_at"))
    assert len(past) == 16
    old_timer, newcomer = clients(2)
    for person in (old_timer, newcomer):
        Enrollment.objects.create(organization_id=group.organization_id, group=group, member=person, status="enrolled")
    statuses = ["present", "late", "absent", "excused"]
    rows = [
        Attendance(organization_id=group.organization_id, session=s, member=old_timer, status=statuses[i % 4])
        for i, s in enumerate(past)
    ]
    rows += [Attendance(organization_id=group.organization_id, session=s, member=newcomer, status="present") for s in past[-3:]]
    Attendance.objects.bulk_create(rows)
    # Cancelled ahead of time (with an excuse already recorded for it): it was never held.
    Session.objects.filter(pk=past[-5].pk).update(status="cancelled")

    history = group_recent_sessions(group=group, past=12, ahead=0, held_only=True)
    assert len(history) == 12 and past[-5] not in history and history[-1] == past[-1]
    counted = {
        r.member: r.present + r.late + r.absent + r.excused
        for r in group_roster(viewer=sam, group=group, history_sessions=history)
    }
    assert counted == {old_timer: 12, newcomer: 3}

    client.force_login(sam)
    html = client.get(f"/groups/manage/{group.pk}/").content.decode()
    assert "last 12 sessions" in html
    shown = [
        sum(int(n) for n in re.findall(r"(\d+) (?:present|late|absent|excused)", line))
        for line in re.findall(r"\d+ present · [^<]*", html)
    ]
    assert sorted(shown) == [3, 12], shown
