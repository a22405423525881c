"""Benchmark data and timings for the dashboards: one organization with many clients, 90 days
of check-ins and weekly group attendance, matches with contacts, open flags; a clinician with a
caseload of 200 and a staff member. Timings run the real API views in-process (DRF request,
pagination, JSON rendering) so they measure the database work, not an HTTP stack."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from checkins.models import CheckIn, FlagKind, RiskFlag
from dashboard import api
from dashboard.models import DailyRollup, ProgramDay
from dashboard.rollups import rollups_rebuild
from groups.models import Attendance, RecoveryGroup, Session
from matching.models import ContactLog, Match, MatchRequest
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile, MentorProfile, Organization, User

BENCH_SLUG = "bench-dashboard"
TZ = "America/Chicago"


@dataclass
class Timing:
    label: str
    runs_ms: list[float]
    queries: int
    rows: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms)


def _delete(org: Organization) -> None:
    ids = list(User.objects.filter(organization=org).values_list("pk", flat=True))
    for model in (
        DailyRollup,
        ProgramDay,
        Attendance,
        Session,
        ContactLog,
        Match,
        MatchRequest,
        CheckIn,
        RiskFlag,
        CareTeamMember,
    ):
        model.objects.filter(organization=org).delete()
    RecoveryGroup.objects.filter(organization=org).delete()
    ClientProfile.objects.filter(organization=org).delete()
    MentorProfile.objects.filter(organization=org).delete()
    User.objects.filter(pk__in=ids).delete()
    org.delete()


@transaction.atomic
def build(
    *, clients: int = 2000, days: int = 90, caseload: int = 200, seed: int = 2026, every_day: bool = False
) -> dict[str, Any]:
    """(Re)creates the benchmark organization. Returns the counts and the two viewers."""
    rng = random.Random(seed)
    old = Organization.objects.filter(slug=BENCH_SLUG).first()
    if old is not None:
        _delete(old)
    org = Organization.objects.create(slug=BENCH_SLUG, name="Dashboard benchmark", timezone=TZ)
    tz = ZoneInfo(TZ)
    now = timezone.now()
    today = now.astimezone(tz).date()
    password = make_password(None)

    def person(n: int, role: str, joined_days: int) -> User:
        return User(
            email=f"{role}-{n}@{BENCH_SLUG}.kinship.test",
            display_name=f"{role.title()} {n:04d}",
            role=role,
            organization=org,
            timezone=TZ,
            password=password,
            date_joined=now - timedelta(days=joined_days),
        )

    joined = (lambda: rng.randint(days, days + 40)) if every_day else (lambda: rng.randint(10, 400))
    members = User.objects.bulk_create([person(n, Role.CLIENT, joined()) for n in range(clients)], batch_size=1000)
    mentors = User.objects.bulk_create([person(n, Role.MENTOR, 500) for n in range(max(clients // 20, 1))])
    clinician = User.objects.create(
        **{
            f: getattr(person(0, Role.CLINICIAN, 500), f)
            for f in ("email", "display_name", "role", "organization", "timezone", "password", "date_joined")
        }
    )
    staff = User.objects.create(
        **{
            f: getattr(person(0, Role.STAFF, 500), f)
            for f in ("email", "display_name", "role", "organization", "timezone", "password", "date_joined")
        }
    )
    ClientProfile.objects.bulk_create(
        [ClientProfile(user=u, organization=org, treatment_consent_at=now, treatment_consent_version="2026-11") for u in members],
        batch_size=1000,
    )
    MentorProfile.objects.bulk_create([MentorProfile(user=m, organization=org, status="approved", capacity=30) for m in mentors])
    CareTeamMember.objects.bulk_create(
        [CareTeamMember(organization=org, client=u, member=clinician, role=CareRole.CLINICIAN) for u in members[:caseload]]
    )

    # Check-ins: each member has their own habit (30-95 % of days) over the last `days` days;
    # with `every_day` (issue 14) everyone checks in every day, written by one INSERT … SELECT.
    rows = []
    n_checkins = 0
    if every_day and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO checkins_checkin (organization_id, client_id, local_date, mood, craving, used, connected, note, "
                "need_support, created_at, updated_at) "
                "SELECT %s, u.id, d::date, 1 + (u.id + (d::date - DATE '2000-01-01')) %% 5, (u.id * 7 + (d::date - DATE '2000-01-01')) %% 11, "
                "'skip', false, '', false, d + interval '20 hours', d + interval '20 hours' "
                "FROM members_user u, generate_series(%s::date, %s::date, interval '1 day') d "
                "WHERE u.organization_id = %s AND u.role = 'client'",
                [org.pk, today - timedelta(days=days - 1), today, org.pk],
            )
            n_checkins = cursor.rowcount
    for u in members if not n_checkins else []:
        habit = rng.uniform(0.3, 0.95)
        first = max(today - timedelta(days=days - 1), u.date_joined.astimezone(tz).date())
        d = first
        while d <= today:
            if rng.random() < habit:
                at = datetime.combine(d, dtime(20), tzinfo=tz)
                rows.append(
                    CheckIn(
                        organization=org,
                        client=u,
                        local_date=d,
                        mood=rng.randint(1, 5),
                        craving=rng.randint(0, 10),
                        created_at=at,
                        updated_at=at,
                    )
                )
            d += timedelta(days=1)
    CheckIn.objects.bulk_create(rows, batch_size=5000)
    n_checkins = n_checkins or len(rows)

    # Groups: 20 members each, weekly for `days` days, attendance for everyone enrolled.
    groups = [
        RecoveryGroup(
            organization=org,
            name=f"Group {g}",
            slug=f"group-{g}",
            kind="peer_support",
            timezone=TZ,
            rrule="FREQ=WEEKLY",
            start_date=today - timedelta(days=days),
            start_time=dtime(19),
            duration_minutes=60,
        )
        for g in range(max(clients // 20, 1))
    ]
    RecoveryGroup.objects.bulk_create(groups)
    sessions = []
    for grp in groups:
        for w in range(days // 7):
            start = datetime.combine(today - timedelta(days=7 * w + 1), dtime(19), tzinfo=tz)
            sessions.append(
                Session(organization=org, group=grp, original_start=start, starts_at=start, ends_at=start + timedelta(hours=1))
            )
    Session.objects.bulk_create(sessions, batch_size=5000)
    marks = ["present"] * 6 + ["late", "absent", "absent", "excused"]
    attendance = [
        Attendance(organization=org, session=s, member=u, status=rng.choice(marks))
        for i, grp in enumerate(groups)
        for s in sessions[i * (days // 7) : (i + 1) * (days // 7)]
        for u in members[i * 20 : (i + 1) * 20]
    ]
    Attendance.objects.bulk_create(attendance, batch_size=5000)

    # Matching: half the members asked for a mentor; most were matched, some ended, a few wait.
    requests, matches = [], []
    for u in members[: clients // 2]:
        asked = now - timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))
        requests.append(MatchRequest(organization=org, client=u, created_at=asked, status="matched", closed_at=asked))
    MatchRequest.objects.bulk_create(requests, batch_size=2000)
    for r in requests:
        if rng.random() < 0.1:
            MatchRequest.objects.filter(pk=r.pk).update(status="open", closed_at=None)
            continue
        accepted = r.created_at + timedelta(hours=rng.uniform(2, 120))
        ended = accepted + timedelta(days=rng.randint(10, 150)) if rng.random() < 0.3 else None
        if ended and ended > now:
            ended = None
        matches.append(
            Match(
                organization=org,
                client_id=r.client_id,
                mentor=rng.choice(mentors),
                request=r,
                status="ended" if ended else "active",
                proposed_at=r.created_at,
                accepted_at=accepted,
                ended_at=ended,
            )
        )
    Match.objects.bulk_create(matches, batch_size=2000)
    contacts = [
        ContactLog(
            organization=org,
            match=m,
            client_id=m.client_id,
            mentor_id=m.mentor_id,
            mode="call",
            duration_minutes=20,
            occurred_at=now - timedelta(days=rng.randint(0, 60)),
        )
        for m in matches
        for _ in range(3)
    ]
    ContactLog.objects.bulk_create(contacts, batch_size=5000)
    flags = [
        RiskFlag(organization=org, client=u, kind=rng.choice(list(FlagKind)), reason="bench", opened_at=now - timedelta(days=1))
        for u in rng.sample(members, max(clients // 25, 1))
    ]
    RiskFlag.objects.bulk_create(flags)
    # The dashboards read the daily rollups: built set-based, as `manage.py rollups_rebuild` does.
    rollups_rebuild(organization_id=org.pk)
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics; a live database has them (autovacuum).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "clients": clients,
        "caseload": caseload,
        "checkins": n_checkins,
        "sessions": len(sessions),
        "attendance": len(attendance),
        "matches": len(matches),
        "contacts": len(contacts),
        "open_flags": len(flags),
        "clinician": clinician,
        "staff": staff,
    }


def existing() -> dict[str, Any] | None:
    """The organization a previous run built, with its two viewers (None when there is none)."""
    org = Organization.objects.filter(slug=BENCH_SLUG).first()
    clinician = User.objects.filter(organization=org, role=Role.CLINICIAN).first() if org else None
    staff = User.objects.filter(organization=org, role=Role.STAFF).first() if org else None
    if org is None or clinician is None or staff is None:
        return None
    return {
        "clients": User.objects.filter(organization=org, role=Role.CLIENT).count(),
        "caseload": CareTeamMember.objects.filter(member=clinician, ended_at__isnull=True).count(),
        "checkins": CheckIn.objects.filter(organization=org).count(),
        "clinician": clinician,
        "staff": staff,
    }


def _time(label: str, view: Any, user: User, path: str, params: dict[str, Any], runs: int) -> Timing:
    factory = APIRequestFactory()
    times: list[float] = []
    queries = rows = 0
    for i in range(runs + 1):  # the first run warms caches and is not counted
        request = factory.get(path, params, HTTP_HOST=_host())
        force_authenticate(request, user=user)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = view(request)
            response.render()
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        if i:
            times.append(elapsed)
        queries = len(ctx.captured_queries)
        data = response.data
        rows = len(data["results"]) if "results" in data else len(data.get("weekly", []))
    return Timing(label=label, runs_ms=times, queries=queries, rows=rows)


def measure(*, clinician: User, staff: User, runs: int = 7) -> list[Timing]:
    caseload_size = CareTeamMember.objects.filter(member=clinician, ended_at__isnull=True).count()
    caseload = api.CaseloadApi.as_view()
    program = api.ProgramApi.as_view()
    today = timezone.now().astimezone(ZoneInfo(TZ)).date()
    quarter = {"from": (today - timedelta(days=89)).isoformat(), "to": today.isoformat()}
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    return [
        _time(
            f"caseload, clinician ({caseload_size} clients), page of 50",
            caseload,
            clinician,
            "/api/v1/dashboard/caseload/",
            {},
            runs,
        ),
        _time("caseload, clinician, page_size=200", caseload, clinician, "/api/v1/dashboard/caseload/", {"page_size": 200}, runs),
        _time("caseload, staff (whole org), page of 50", caseload, staff, "/api/v1/dashboard/caseload/", {}, runs),
        _time("program, staff, last 30 days", program, staff, "/api/v1/dashboard/program/", {}, runs),
        _time("program, staff, last 90 days", program, staff, "/api/v1/dashboard/program/", quarter, runs),
        _time("program, staff, last 365 days", program, staff, "/api/v1/dashboard/program/", year, runs),
    ]


def _host() -> str:
    """A host the settings accept (the pagination links are absolute URLs)."""
    from django.conf import settings

    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")]
    return hosts[0] if hosts else "localhost"
