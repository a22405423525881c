"""Benchmark data and timings for the family home (issue 10): a family member who supports 3
members with a year of data each (daily check-ins, weekly group attendance, daily breath tests)
and a year of her own check-ins. Everything lives in one transaction that is rolled back.

Timings run the real page and API views in-process: the page through Django's test client
(every middleware, the session and the template), the API through DRF's request factory."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from checkins.models import CheckIn, FamilyCheckIn, TestingSchedule, TestResult
from dashboard.api_family import FamilySharedApi
from groups.models import Attendance, RecoveryGroup, Session
from members.access import all_scopes
from members.choices import CareRole, Goal, Role
from members.models import CareTeamMember, ClientProfile, ConsentGrant, Organization, User

BENCH_SLUG = "bench-family"
TZ = "America/Chicago"


class Rollback(Exception):
    pass


# What every signed-in page reads, whatever the page: the session, the user, the inbox badge.
FRAMEWORK_SQL = ('FROM "django_session"', 'FROM "members_user" WHERE "members_user"."id" =', 'FROM "notifications_notification"')


@dataclass
class Timing:
    label: str
    runs_ms: list[float]
    queries: int
    own_queries: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms)


def build(*, members: int = 3, days: int = 365, seed: int = 2026) -> dict[str, Any]:
    rng = random.Random(seed)
    org = Organization.objects.create(slug=BENCH_SLUG, name="Bench family", timezone=TZ)
    password = make_password("Bench-family-2026")
    family = User.objects.create(
        email="family@bench.invalid", display_name="Lee", role=Role.FAMILY, organization=org, timezone=TZ, password=password
    )
    clinician = User.objects.create(
        email="clinician@bench.invalid", display_name="Dr. Bench", role=Role.CLINICIAN, organization=org, timezone=TZ
    )
    now = timezone.now()
    zone = ZoneInfo(TZ)
    today = now.astimezone(zone).date()
    supported = []
    for i in range(members):
        member = User.objects.create(
            email=f"member{i}@bench.invalid",
            display_name=f"Member {i}",
            pronouns=("she/her", "he/him", "they/them")[i % 3],
            role=Role.CLIENT,
            organization=org,
            timezone=TZ,
        )
        ClientProfile.objects.create(user=member, organization=org, goal=(Goal.MODERATION if i % 2 else Goal.ABSTINENCE))
        CareTeamMember.objects.create(organization=org, client=member, member=family, role=CareRole.FAMILY, relationship="parent")
        ConsentGrant.objects.create(organization=org, client=member, grantee=family, scopes=sorted(all_scopes()))
        TestingSchedule.objects.create(
            organization=org, client=member, days=[0, 1, 2, 3, 4, 5, 6], time="08:00", limit=Decimal("0.020")
        )
        supported.append(member)
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                organization=org,
                client=m,
                local_date=today - timedelta(days=d),
                mood=rng.randint(1, 5),
                craving=rng.randint(0, 10),
            )
            for m in supported
            for d in range(days)
            if rng.random() < 0.85
        ]
    )
    TestResult.objects.bulk_create(
        [
            TestResult(
                organization=org,
                client=m,
                taken_at=datetime.combine(today - timedelta(days=d), datetime.min.time(), tzinfo=zone) + timedelta(hours=8),
                kind="breath",
                result=rng.choice(["negative", "negative", "negative", "positive", "missed"]),
                value=Decimal("0.010"),
                recorded_by=m,
            )
            for m in supported
            for d in range(1, days)
        ]
    )
    group = RecoveryGroup.objects.create(
        organization=org,
        name="Family circle",
        slug="family-circle",
        kind="family",
        timezone=TZ,
        rrule="FREQ=WEEKLY",
        start_date=today - timedelta(days=days),
        start_time="19:00",
        duration_minutes=90,
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                group=group,
                organization=org,
                starts_at=now - timedelta(days=7 * w),
                ends_at=now - timedelta(days=7 * w) + timedelta(minutes=90),
                original_start=now - timedelta(days=7 * w),
            )
            for w in range(1, days // 7)
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(organization=org, session=s, member=m, status=rng.choice(["present", "present", "late", "absent"]))
            for s in sessions
            for m in supported
        ]
    )
    FamilyCheckIn.objects.bulk_create(
        [
            FamilyCheckIn(
                organization=org,
                member=family,
                local_date=today - timedelta(days=d),
                mood=rng.randint(1, 5),
                stress=rng.randint(0, 10),
            )
            for d in range(days)
        ]
    )
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics (a live database has them). Only these
        # tables: a bare ANALYZE also locks the cluster's shared catalogs.
        models = (CheckIn, TestResult, Attendance, Session, FamilyCheckIn, CareTeamMember, ConsentGrant, TestingSchedule, User)
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return {
        "family": family,
        "clinician": clinician,
        "members": members,
        "checkins": CheckIn.objects.filter(organization=org).count(),
        "test_results": TestResult.objects.filter(organization=org).count(),
        "attendance": Attendance.objects.filter(organization=org).count(),
        "family_checkins": days,
    }


def measure_page(*, family: User, runs: int) -> Timing:
    client = Client()
    client.force_login(family)
    host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")), "localhost")
    times: list[float] = []
    queries = own = 0
    for i in range(runs + 1):  # the first run warms caches and is not counted
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get("/family/", HTTP_HOST=host, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if i:
            times.append(elapsed)
        queries = len(ctx.captured_queries)
        own = sum(1 for q in ctx.captured_queries if not any(part in q["sql"] for part in FRAMEWORK_SQL))
    return Timing(label="family home page (3 members, a year of data)", runs_ms=times, queries=queries, own_queries=own)


def measure_api(*, family: User, runs: int) -> Timing:
    view = FamilySharedApi.as_view()
    factory = APIRequestFactory()
    times: list[float] = []
    queries = 0
    for i in range(runs + 1):
        request = factory.get("/api/v1/family/shared/")
        force_authenticate(request, user=family)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = view(request)
            response.render()
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        if i:
            times.append(elapsed)
        queries = len(ctx.captured_queries)
    return Timing(label="GET /api/v1/family/shared/", runs_ms=times, queries=queries)


def run(*, members: int, days: int, runs: int) -> tuple[dict[str, Any], list[Timing]]:
    """Build, measure, roll everything back."""
    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            data = build(members=members, days=days)
            out.update({k: v for k, v in data.items() if isinstance(v, int)})
            out["timings"] = [measure_page(family=data["family"], runs=runs), measure_api(family=data["family"], runs=runs)]
            raise Rollback
    except Rollback:
        pass
    return out, out.pop("timings")
