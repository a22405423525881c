"""Recurrence in local time, the rolling horizon, and regeneration that only touches the future."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from common.errors import Invalid
from groups import services
from groups.models import Attendance, Session, SessionStatus
from groups.recurrence import SimpleSchedule, describe, occurrences_between, rrule_normalize
from tests.groups.conftest import NOW

CHICAGO = ZoneInfo("America/Chicago")
pytestmark = pytest.mark.django_db


def local_times(group):  # type: ignore[no-untyped-def]
    return [s.starts_at.astimezone(CHICAGO) for s in Session.objects.filter(group=group).order_by("starts_at")]


def test_seven_pm_stays_seven_pm_across_the_fall_back(frozen, make_group):
    group = make_group()
    starts = local_times(group)
    assert starts, "sessions are materialized on create"
    assert {(s.hour, s.minute) for s in starts} == {(19, 0)}
    assert {s.weekday() for s in starts} == {1}  # Tuesdays
    # Before 1 Nov Chicago is UTC-5, after it UTC-6: the UTC hour moves, the wall clock does not.
    utc_hours = {s.astimezone(UTC).date().isoformat(): s.astimezone(UTC).hour for s in starts}
    assert utc_hours["2026-10-28"] == 0  # Tue 27 Oct 19:00 CDT
    assert utc_hours["2026-11-04"] == 1  # Tue 3 Nov 19:00 CST


def test_horizon_is_ninety_days_from_now_and_never_in_the_past(frozen, make_group):
    group = make_group()
    starts = [s.starts_at for s in Session.objects.filter(group=group)]
    assert min(starts) >= NOW
    assert max(starts) < NOW + timedelta(days=90)
    assert len(starts) == 13
    group.refresh_from_db()
    assert group.materialized_until == NOW + timedelta(days=90)


def test_extend_horizon_task_adds_the_next_weeks_once(frozen, make_group):
    from groups.tasks import sessions_extend_horizon

    group = make_group()
    before = Session.objects.filter(group=group).count()
    frozen.move_to(NOW + timedelta(days=14))
    assert sessions_extend_horizon.delay().get() == 2
    assert Session.objects.filter(group=group).count() == before + 2
    assert services.sessions_extend_horizon() == 0  # a second beat inserts nothing
    assert Session.objects.filter(group=group).count() == before + 2


def test_schedule_change_regenerates_future_only_and_keeps_exceptions(frozen, make_group, dr_reyes, clients):
    group = make_group(start_local="2026-09-01T19:00")
    # Past sessions (as the demo creates them) with attendance.
    services.sessions_materialize(group=group, since=NOW - timedelta(days=30), until=NOW)
    member = clients(1)[0]
    services.enrollment_join(actor=member, group=group, member=member)
    past = Session.objects.filter(group=group, starts_at__lt=NOW).order_by("starts_at")
    assert past.count() == 4
    services.attendance_record(actor=dr_reyes, session=past[0], entries=[{"member": member.pk, "status": "present"}])
    future = list(Session.objects.filter(group=group, starts_at__gt=NOW).order_by("starts_at"))
    cancelled = services.session_cancel(actor=dr_reyes, session=future[1], reason="Holiday")
    moved = services.session_move(actor=dr_reyes, session=future[2], starts_at=future[2].starts_at + timedelta(days=1))
    past_ids = set(past.values_list("pk", flat=True))

    services.group_update(actor=dr_reyes, group=group, data={"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_local": "2026-09-03T18:30"})

    assert set(Session.objects.filter(group=group, starts_at__lt=NOW).values_list("pk", flat=True)) == past_ids
    assert Attendance.objects.filter(member=member).count() == 1
    cancelled.refresh_from_db()
    moved.refresh_from_db()
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.original_start == future[1].original_start
    assert moved.moved and moved.original_start == future[2].original_start
    regular = Session.objects.filter(group=group, starts_at__gt=NOW, moved=False, status=SessionStatus.SCHEDULED)
    assert {(s.starts_at.astimezone(CHICAGO).weekday(), s.starts_at.astimezone(CHICAGO).hour) for s in regular} == {(3, 18)}
    group.refresh_from_db()
    assert group.schedule_version == 1


def test_unchanged_occurrences_keep_their_ids_when_only_duration_changes(frozen, make_group, dr_reyes):
    group = make_group()
    ids = list(Session.objects.filter(group=group).order_by("starts_at").values_list("pk", flat=True))
    services.group_update(actor=dr_reyes, group=group, data={"duration_minutes": 60})
    sessions = list(Session.objects.filter(group=group).order_by("starts_at"))
    assert [s.pk for s in sessions] == ids
    assert {s.ends_at - s.starts_at for s in sessions} == {timedelta(minutes=60)}


def test_nonexistent_spring_forward_time_still_gets_a_session():
    # 2:30 am does not exist on 8 March 2026 in Chicago; the meeting happens at 3:30 CDT.
    starts = occurrences_between(
        rule="FREQ=DAILY",
        start_local=datetime(2026, 3, 6, 2, 30),  # noqa: DTZ001
        zone="America/Chicago",
        after=datetime(2026, 3, 7, tzinfo=UTC),
        before=datetime(2026, 3, 10, tzinfo=UTC),
    )
    assert len(starts) == 3


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "nonsense",
        "FREQ=HOURLY",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYHOUR=9",
        "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;UNTIL=2026",
    ],
)
def test_invalid_rrules_are_rejected_with_a_message(rule):
    with pytest.raises(Invalid) as exc:
        rrule_normalize(rule)
    assert exc.value.field == "rrule" and exc.value.message


def test_schedule_picker_produces_the_rrule_and_reads_back():
    from datetime import time

    rule = SimpleSchedule(days=(4, 2), at=time(18, 30)).rrule()
    assert rule == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert describe(rule, datetime(2026, 1, 6, 18, 30)) == "Every Tuesday and Thursday at 6:30 pm"  # noqa: DTZ001
    assert SimpleSchedule(days=(1,), at=time(9, 0), interval=2).rrule() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"


def test_regeneration_time_travel_keeps_past(make_group, dr_reyes):
    with time_machine.travel(NOW, tick=False):
        group = make_group()
    later = NOW + timedelta(days=21)
    with time_machine.travel(later, tick=False):
        services.group_update(actor=dr_reyes, group=group, data={"rrule": "FREQ=WEEKLY;BYDAY=WE"})
        before = Session.objects.filter(group=group, starts_at__lt=later)
        assert {s.starts_at.astimezone(CHICAGO).weekday() for s in before} == {1}
        after = Session.objects.filter(group=group, starts_at__gt=later)
        assert {s.starts_at.astimezone(CHICAGO).weekday() for s in after} == {2}


def test_the_horizon_task_is_in_the_beat_schedule():
    from recovery_site.celery import app

    entry = app.conf.beat_schedule["groups-extend-session-horizon"]
    assert entry["task"] == "groups.tasks.sessions_extend_horizon"
    assert entry["task"] in app.tasks
