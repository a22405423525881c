"""Milestones: recognition that comes from inside the program (DESIGN.md), never sober days.

The planner is set-based: for each kind one INSERT … SELECT … ON CONFLICT DO NOTHING finds every
member who reached it (the unique (client, kind, ref) makes a second run insert nothing), and
the new ones are announced in the member's inbox in one bulk insert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from checkins.models import Assessment, CheckIn, Instrument
from checkins.providers import milestone_sources
from groups.models import Attendance, AttendanceStatus
from members.models import User
from notifications.services import NotificationSpec, notifications_create_many

from ..models import Goal, Milestone, MilestoneKind
from ..scopes import MILESTONE

CHECKIN_DAY_KINDS = {
    1: MilestoneKind.FIRST_CHECKIN,
    7: MilestoneKind.CHECKIN_DAYS_7,
    30: MilestoneKind.CHECKIN_DAYS_30,
    90: MilestoneKind.CHECKIN_DAYS_90,
    180: MilestoneKind.CHECKIN_DAYS_180,
    365: MilestoneKind.CHECKIN_DAYS_365,
}
BARC10_UP = 5
RECENT = timedelta(days=2)  # the hourly run looks at members with something new in this window
ANNOUNCE_WITHIN = timedelta(days=3)  # a milestone reached longer ago is recorded, not announced


@dataclass
class PlannerResult:
    inserted: int
    announced: int


def _insert_returning(select_sql: str, params: list[Any]) -> list[tuple[int, int, str, int, date]]:
    """INSERT the rows `select_sql` yields (organization_id, client_id, kind, ref, reached_on);
    returns (client_id, organization_id, kind, ref, reached_on) of the rows actually inserted."""
    table = Milestone._meta.db_table
    sql = (
        f'INSERT INTO "{table}" ("organization_id", "client_id", "kind", "ref", "reached_on", "created_at") '  # noqa: S608
        f"SELECT s.organization_id, s.client_id, s.kind, s.ref, s.reached_on, %s FROM ({select_sql}) s WHERE true "
        'ON CONFLICT ("client_id", "kind", "ref") DO NOTHING RETURNING "client_id", "organization_id", "kind", "ref", "reached_on"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), *params])
        return [(int(r[0]), int(r[1]), str(r[2]), int(r[3]), _as_date(r[4])) for r in cursor.fetchall()]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _checkin_days_sql(since: datetime | None) -> tuple[str, list[Any]]:
    """The 1st, 7th, 30th … check-in day of each member (a row number over her check-ins)."""
    table = CheckIn._meta.db_table
    cases = " ".join(f"WHEN {n} THEN '{kind.value}'" for n, kind in CHECKIN_DAY_KINDS.items())
    where = ""
    params: list[Any] = []
    if since is not None:
        where = f'WHERE c."client_id" IN (SELECT "client_id" FROM "{table}" WHERE "updated_at" >= %s)'  # noqa: S608
        params.append(since)
    sql = (
        f"SELECT t.organization_id, t.client_id, CASE t.rn {cases} END AS kind, 0 AS ref, t.local_date AS reached_on "  # noqa: S608
        f'FROM (SELECT c."organization_id" AS organization_id, c."client_id" AS client_id, c."local_date" AS local_date, '
        f'row_number() OVER (PARTITION BY c."client_id" ORDER BY c."local_date") AS rn FROM "{table}" c {where}) t '
        f"WHERE t.rn IN ({', '.join(str(n) for n in CHECKIN_DAY_KINDS)})"
    )
    return sql, params


def _barc10_sql(since: datetime | None) -> tuple[str, list[Any]]:
    """The first BARC-10 that is 5 or more above her first one."""
    table = Assessment._meta.db_table
    where = ""
    params: list[Any] = [Instrument.BARC10.value, Instrument.BARC10.value]
    if since is not None:
        where = f'AND a."client_id" IN (SELECT "client_id" FROM "{table}" WHERE "taken_at" >= %s)'  # noqa: S608
        params.append(since)
    params.append(BARC10_UP)
    sql = (
        f'SELECT a."organization_id" AS organization_id, a."client_id" AS client_id, \'{MilestoneKind.BARC10_UP_5.value}\' AS kind, '  # noqa: S608
        f'0 AS ref, MIN(a."local_date") AS reached_on FROM "{table}" a '
        f'JOIN (SELECT "client_id", MIN("taken_at") AS first_at FROM "{table}" WHERE "instrument" = %s GROUP BY "client_id") f '
        f'ON f."client_id" = a."client_id" '
        f'JOIN "{table}" b ON b."client_id" = f."client_id" AND b."taken_at" = f.first_at AND b."instrument" = a."instrument" '
        f'WHERE a."instrument" = %s {where} AND a."score" >= b."score" + %s '
        f'GROUP BY a."organization_id", a."client_id"'
    )
    return sql, params


def _first_group_qs(since: datetime | None) -> QuerySet[Any]:
    qs = Attendance.objects.filter(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE])
    if since is not None:
        qs = qs.filter(member_id__in=Attendance.objects.filter(recorded_at__gte=since).values("member_id"))
    return qs.values("member_id", "organization_id").annotate(reached_on=TruncDate(Min("session__starts_at")))


def _from_queryset(kind: str, qs: QuerySet[Any], client_column: str) -> tuple[str, list[Any]]:
    inner, params = qs.query.sql_with_params()
    sql = (
        f"SELECT q.organization_id, q.{client_column} AS client_id, '{kind}' AS kind, 0 AS ref, q.reached_on "  # noqa: S608
        f"FROM ({inner}) q"
    )
    return sql, list(params)


def milestones_plan(*, since: datetime | None = None, full: bool = False) -> PlannerResult:
    """Record every milestone reached and announce the new ones in-app. Hourly, it looks at the
    members with something new in the last two days; `full` looks at everyone."""
    if since is None and not full:
        since = timezone.now() - RECENT
    statements = [
        _checkin_days_sql(since),
        _barc10_sql(since),
        _from_queryset(MilestoneKind.FIRST_GROUP, _first_group_qs(since), "member_id"),
    ]
    for kind, source in milestone_sources().items():
        statements.append(_from_queryset(kind, source(since), "client_id"))
    inserted: list[tuple[int, int, str, int, date]] = []
    with transaction.atomic():
        for sql, params in statements:
            inserted += _insert_returning(sql, params)
        # Only what she reached lately is news: a first run over months of history records the old
        # milestones quietly (they show on her plan and progress) instead of flooding her inbox.
        fresh_since = (timezone.now() - ANNOUNCE_WITHIN).date()
        announced = milestones_announce([(c, o, k, r) for c, o, k, r, on in inserted if on >= fresh_since])
    return PlannerResult(inserted=len(inserted), announced=announced)


def milestone_title(kind: str) -> str:
    try:
        return str(MilestoneKind(kind).label)
    except ValueError:
        return kind


def milestones_announce(rows: list[tuple[int, int, str, int]]) -> int:
    """Each member's notice in her own language: the texts are built once per language present."""
    if not rows:
        return 0
    url = reverse("my-plan")
    languages = dict(User.objects.filter(pk__in={row[0] for row in rows}).values_list("pk", "language"))
    texts: dict[str, tuple[dict[str, str], str]] = {}
    for language in set(languages.values()) | {settings.LANGUAGE_CODE}:
        with translation.override(language):
            titles = {kind: _("A milestone: %(title)s") % {"title": milestone_title(kind)} for kind in {row[2] for row in rows}}
            texts[language] = (titles, _("Every step counts. See it on your plan."))
    specs = []
    for client_id, _org_id, kind, ref in rows:
        titles, body = texts[languages.get(client_id, settings.LANGUAGE_CODE)]
        specs.append(
            NotificationSpec(
                recipient_id=client_id,
                kind=MILESTONE,
                title=titles[kind],
                body=body,
                url=url,
                dedupe_key=f"milestone:{client_id}:{kind}:{ref}",
                force_channels=(),  # recognition in the app only: no email or text about it
            )
        )
    return len(notifications_create_many(specs))


def milestone_goal_done(*, goal: Goal) -> None:
    """A goal done is a milestone at once (the caller holds the transaction)."""
    today = timezone.now().astimezone(_zone(goal.client)).date()
    _milestone, created = Milestone.objects.get_or_create(
        client_id=goal.client_id,
        kind=MilestoneKind.GOAL_DONE,
        ref=goal.pk,
        defaults={"organization_id": goal.organization_id, "reached_on": today},
    )
    if created:
        milestones_announce([(goal.client_id, goal.organization_id, MilestoneKind.GOAL_DONE.value, goal.pk)])


def _zone(user: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(user.timezone)
