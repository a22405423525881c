"""Benchmarks behind `manage.py bench_groups` (run on PostgreSQL). Everything is created in a
transaction that is rolled back, so the database is left as it was."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as dtime

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups import selectors, services
from groups.models import Attendance, AttendanceStatus, Enrollment, EnrollmentStatus, RecoveryGroup, Session
from members.choices import Role
from members.models import Organization, User

from .cleanup import vacuum

ZONES = ["America/Chicago", "America/New_York", "America/Denver", "America/Los_Angeles", "Europe/London", "Australia/Sydney"]
RULES = ["FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=WEEKLY;BYDAY=SA", "FREQ=DAILY"]


class _Rollback(Exception):
    pass


@dataclass
class BenchResult:
    groups: int
    days: int
    sessions: int
    materialize_seconds: float
    rerun_seconds: float
    roster_members: int
    roster_attendance_rows: int
    roster_queries: int
    roster_seconds: float


def run(*, groups: int = 1000, days: int = 90, seed: int = 1) -> BenchResult:
    rng = random.Random(seed)
    result: BenchResult | None = None
    try:
        with transaction.atomic():
            org = Organization.objects.create(
                slug=f"bench-{seed}-{rng.randint(0, 10**9)}", name="Bench", timezone="America/Chicago"
            )
            RecoveryGroup.objects.bulk_create(
                [
                    RecoveryGroup(
                        organization=org,
                        name=f"Bench group {i}",
                        slug=f"bench-group-{i}",
                        kind="peer_support",
                        timezone=rng.choice(ZONES),
                        rrule=rng.choice(RULES),
                        start_date=date(2026, 1, 1) + timedelta(days=rng.randint(0, 30)),
                        start_time=dtime(rng.choice([7, 10, 12, 18, 19]), rng.choice([0, 30])),
                        duration_minutes=rng.choice([45, 60, 90]),
                    )
                    for i in range(groups)
                ],
                batch_size=1000,
            )
            began = time.perf_counter()
            created = services.sessions_extend_horizon(days=days, organization_id=org.pk)
            materialize = time.perf_counter() - began
            began = time.perf_counter()
            services.sessions_extend_horizon(days=days, organization_id=org.pk)  # the next beat: nothing to do
            rerun = time.perf_counter() - began
            sessions = Session.objects.filter(organization=org).count()
            assert sessions == created

            # A 40-member group with 12 weeks of attendance.
            group = RecoveryGroup.objects.filter(organization=org).first()
            assert group is not None
            RecoveryGroup.objects.filter(pk=group.pk).update(rrule="FREQ=WEEKLY;BYDAY=TU", timezone="America/Chicago")
            group.refresh_from_db()
            people = User.objects.bulk_create(
                [
                    User(email=f"bench-{org.pk}-{i}@bench.test", display_name=f"Member {i}", role=Role.CLIENT, organization=org)
                    for i in range(40)
                ]
            )
            Enrollment.objects.bulk_create(
                [Enrollment(organization=org, group=group, member=p, status=EnrollmentStatus.ENROLLED) for p in people]
            )
            # The roster as program staff read it: every member's attendance, access-logged.
            staff = User.objects.create(email=f"bench-staff-{org.pk}@bench.test", role=Role.STAFF, organization=org)
            now = timezone.now()
            services.sessions_materialize(group=group, since=now - timedelta(weeks=12), until=now)
            past = list(Session.objects.filter(group=group, starts_at__lt=now).order_by("-starts_at")[:12])
            statuses = list(AttendanceStatus.values)
            rows = Attendance.objects.bulk_create(
                [Attendance(organization=org, session=s, member=p, status=rng.choice(statuses)) for s in past for p in people]
            )
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                history = selectors.group_recent_sessions(group=group, past=12, ahead=0, held_only=True)
                roster = selectors.group_roster(viewer=staff, group=group, history_sessions=history)
            roster_seconds = time.perf_counter() - began
            assert len(roster) == 40
            result = BenchResult(
                groups=groups,
                days=days,
                sessions=sessions,
                materialize_seconds=materialize,
                rerun_seconds=rerun,
                roster_members=len(roster),
                roster_attendance_rows=len(rows),
                roster_queries=len(ctx),
                roster_seconds=roster_seconds,
            )
            raise _Rollback()
    except _Rollback:
        pass
    vacuum(
        User, RecoveryGroup, Session, Enrollment, Attendance
    )  # the rolled-back rows' space, so later figures are not skewed by it
    assert result is not None
    return result
