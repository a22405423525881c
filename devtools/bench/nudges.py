"""Benchmark behind `manage.py bench_nudges` (run on PostgreSQL): plan check-in nudges for N due
members with the real planner (checkins.services.checkin_nudges_plan → notifications_create_many),
then run it again (nothing to create). Everything happens in a transaction that is rolled back, so
the database is left as it was (and no delivery reaches the broker: the enqueue is on commit)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from checkins.services import checkin_nudges_plan
from members.choices import Role
from members.models import Organization, User
from notifications.models import Delivery, Notification, NotificationPreference

from .cleanup import vacuum

ZONES = ["America/Chicago", "America/New_York", "America/Denver", "America/Los_Angeles", "America/Phoenix"]
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)  # a Wednesday afternoon in every US zone: all are due


class _Rollback(Exception):
    pass


@dataclass
class NudgeResult:
    members: int
    created: int
    deliveries: int
    plan_seconds: float
    plan_queries: int
    rerun_created: int
    rerun_seconds: float


def run(*, members: int, seed: int = 1) -> NudgeResult:
    result: NudgeResult | None = None
    password = make_password(None)
    try:
        with transaction.atomic():
            org = Organization.objects.create(slug=f"bench-nudges-{seed}-{members}", name="Bench", timezone="America/Chicago")
            User.objects.bulk_create(
                [
                    User(
                        email=f"bench{seed}-{i}@bench.kinship.test",
                        display_name=f"Member {i}",
                        role=Role.CLIENT,
                        organization=org,
                        timezone=ZONES[i % len(ZONES)],
                        password=password,
                    )
                    for i in range(members)
                ],
                batch_size=5000,
            )
            ids = list(User.objects.filter(organization=org).values_list("pk", flat=True))
            NotificationPreference.objects.bulk_create(
                [
                    NotificationPreference(
                        user_id=pk, channels=["in_app", "email"], checkin_time=dtime(8, 0), checkin_days=[0, 1, 2, 3, 4, 5, 6]
                    )
                    for pk in ids
                ],
                batch_size=5000,
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                created = checkin_nudges_plan(now=NOW)
                plan = time.perf_counter() - began
            began = time.perf_counter()
            again = checkin_nudges_plan(now=NOW)
            rerun = time.perf_counter() - began
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE notifications_notification, notifications_delivery")
            assert Notification.objects.filter(recipient__organization=org).count() == created
            result = NudgeResult(
                members=members,
                created=created,
                deliveries=Delivery.objects.filter(notification__recipient__organization=org).count(),
                plan_seconds=plan,
                plan_queries=len(queries),
                rerun_created=again,
                rerun_seconds=rerun,
            )
            raise _Rollback
    except _Rollback:
        pass
    vacuum(
        User, NotificationPreference, Notification, Delivery
    )  # the rolled-back rows' space, so later figures are not skewed by it
    assert result is not None
    return result
