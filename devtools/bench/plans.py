"""Benchmarks behind `manage.py bench_plans` (run on PostgreSQL). Everything is created in a
transaction that is rolled back, so the database is left as it was.

1. The member's home (her plan, milestones, this week's module) with a year of data: one member
   with 365 check-ins, 12 BARC-10s, a plan of 6 goals x 4 steps, her milestones, 52 modules (30
   done), 20 resources; GET /home/ through Django's test client (middleware, session, template).
2. The milestone planner over many members: N members with 5-60 check-ins each (generated in
   SQL), BARC-10s for a third of them; a full run, a second run (nothing new), and the hourly
   run (members with something new in two days)."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkins.models import Assessment, CheckIn
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile, Organization, User
from plans.models import Goal, Milestone, MilestoneKind, Plan, Step
from plans.services import milestones_plan
from resources.models import Module, ModuleDone, Resource

from .cleanup import vacuum


class _Rollback(Exception):
    pass


@dataclass
class BenchResult:
    home_queries: int
    home_p50_ms: float
    home_runs: int
    members: int
    checkins: int
    planner_seconds: float
    planner_inserted: int
    planner_announced: int
    rerun_seconds: float
    hourly_seconds: float
    hourly_inserted: int


def _home(org: Organization, rng: random.Random) -> tuple[int, float, int]:
    now = timezone.now()
    maya = User.objects.create(email=f"bench-home-{org.pk}@bench.test", display_name="Maya", role=Role.CLIENT, organization=org,
                               date_joined=now - timedelta(days=366))  # fmt: skip
    ClientProfile.objects.create(user=maya, organization=org, onboarded_at=now, treatment_consent_at=now)
    mentor = User.objects.create(
        email=f"bench-mentor-{org.pk}@bench.test", display_name="Jordan", role=Role.MENTOR, organization=org
    )
    CareTeamMember.objects.create(organization=org, client=maya, member=mentor, role=CareRole.MENTOR)
    today = now.date()
    CheckIn.objects.bulk_create(
        [CheckIn(organization=org, client=maya, local_date=today - timedelta(days=d), mood=rng.randint(1, 5), craving=rng.randint(0, 9)) for d in range(1, 366)]
    )  # fmt: skip
    Assessment.objects.bulk_create(
        [Assessment(organization=org, client=maya, instrument="BARC-10", answers=[4] * 10, score=30 + m, band="", local_date=today - timedelta(days=30 * m)) for m in range(12)]
    )  # fmt: skip
    Plan.objects.create(organization=org, client=maya, coping_steps=["Walk"], people=[{"name": "Lee", "phone": "312-555-0101"}])
    for g in range(6):
        goal = Goal.objects.create(organization=org, client=maya, title=f"Goal {g}", domain="social", owner=maya)
        Step.objects.bulk_create([Step(goal=goal, title=f"Step {s}", done_at=now if s < 2 else None) for s in range(4)])
    Milestone.objects.bulk_create(
        [Milestone(organization=org, client=maya, kind=k, reached_on=today - timedelta(days=i)) for i, k in enumerate(MilestoneKind.values)]
    )  # fmt: skip
    modules = Module.objects.bulk_create(
        [Module(organization=org, week=w, title=f"Week {w}", body="## Hello\n\nText " * 20) for w in range(1, 53)]
    )
    ModuleDone.objects.bulk_create([ModuleDone(client=maya, module=m) for m in modules[:30]])
    Resource.objects.bulk_create(
        [Resource(organization=org, name=f"Resource {i}", category="health", languages=["en"]) for i in range(20)]
    )

    browser = Client(HTTP_HOST="localhost")
    browser.force_login(maya)
    browser.get("/home/")  # warm: templates, session
    runs: list[float] = []
    queries = 0
    for _ in range(40):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = browser.get("/home/")
            runs.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
        assert b"This week" in response.content and b"Goal 0" in response.content, "the home shows her plan and this week"
        queries = len(ctx)
    return queries, statistics.median(runs), len(runs)


def _members(org: Organization, n: int) -> int:
    """n members, each with 5-60 consecutive check-in days ending in the last two days, and BARC-10s
    for every third member; all in SQL (generate_series)."""
    now = timezone.now()
    users, checkins, assessments = (m._meta.db_table for m in (User, CheckIn, Assessment))
    with connection.cursor() as c:
        c.execute(
            f"""INSERT INTO {users} (password, is_superuser, email, display_name, pronouns, role, organization_id, timezone, phone,
                                     language, is_active, is_staff, date_joined)
                SELECT '', false, 'bench-' || %s || '-' || g || '@bench.test', 'Member ' || g, '', 'client', %s, 'America/Chicago',
                       '', 'en', true, false, %s FROM generate_series(1, %s) g""",  # noqa: S608
            [org.pk, org.pk, now - timedelta(days=120), n],
        )
        c.execute(
            f"""INSERT INTO {checkins} (organization_id, client_id, local_date, mood, craving, used, connected, note, need_support,
                                        created_at, updated_at)
                SELECT %s, u.id, (%s::date - d::int), 3, 2, 'skip', false, '', false, %s, %s
                FROM {users} u CROSS JOIN LATERAL generate_series(0, 4 + (u.id %% 56)) d
                WHERE u.organization_id = %s AND u.role = 'client' AND u.display_name LIKE 'Member %%'""",  # noqa: S608
            [org.pk, now.date(), now, now, org.pk],
        )
        c.execute(
            f"""INSERT INTO {assessments} (organization_id, client_id, instrument, answers, score, band, flags, subscores, local_date,
                                           taken_at)
                SELECT %s, u.id, 'BARC-10', '[]'::jsonb, 30 + 4 * k, '', '[]'::jsonb, '{{}}'::jsonb, (%s::date - (30 * (3 - k))::int), %s - (3 - k) * interval '30 days'
                FROM {users} u CROSS JOIN generate_series(0, 2) k
                WHERE u.organization_id = %s AND u.role = 'client' AND u.display_name LIKE 'Member %%' AND u.id %% 3 = 0""",  # noqa: S608
            [org.pk, now.date(), now, org.pk],
        )
        c.execute(f"SELECT count(*) FROM {checkins} WHERE organization_id = %s", [org.pk])  # noqa: S608
        return int(c.fetchone()[0])


def run(*, members: int = 100_000, seed: int = 11) -> BenchResult:
    rng = random.Random(seed)
    result: BenchResult | None = None
    try:
        with transaction.atomic():
            org = Organization.objects.create(
                slug=f"bench-plans-{rng.randint(0, 10**9)}", name="Bench", timezone="America/Chicago"
            )
            home_queries, home_p50, home_runs = _home(org, rng)
            Milestone.objects.filter(organization=org).delete()
            checkins = _members(org, members)
            with connection.cursor() as c:
                c.execute("ANALYZE")
            began = time.perf_counter()
            full = milestones_plan(full=True)
            planner_seconds = time.perf_counter() - began
            began = time.perf_counter()
            milestones_plan(full=True)
            rerun = time.perf_counter() - began
            began = time.perf_counter()
            hourly = milestones_plan()
            hourly_seconds = time.perf_counter() - began
            result = BenchResult(
                home_queries=home_queries,
                home_p50_ms=home_p50,
                home_runs=home_runs,
                members=members,
                checkins=checkins,
                planner_seconds=planner_seconds,
                planner_inserted=full.inserted,
                planner_announced=full.announced,
                rerun_seconds=rerun,
                hourly_seconds=hourly_seconds,
                hourly_inserted=hourly.inserted,
            )
            raise _Rollback()
    except _Rollback:
        pass
    vacuum(User, ClientProfile, CheckIn, Milestone)  # the rolled-back rows' space, so later figures are not skewed by it
    assert result is not None
    return result
