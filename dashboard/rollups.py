"""Keeping the daily rollups (dashboard.models) equal to the source rows.

A member's day is her own local day: check-ins carry it (`local_date`); a session counts on the
local day it starts for her, a contact on the local day it happened for her. Writes to check-ins,
attendance, sessions and contacts mark (client, day) pairs dirty; on commit one task recomputes
exactly those rows (`rollups_refresh`), in a constant number of queries for the whole batch.
Beat re-runs the last two days of every program (`rollups_refresh_recent`) so a write that
bypassed the signals (a bulk update) is caught within the hour, and `manage.py rollups_rebuild`
recomputes everything (set-based SQL on PostgreSQL)."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from checkins.models import CheckIn
from groups.models import Attendance, AttendanceStatus, SessionStatus
from matching.models import ContactLog
from members.choices import Role
from members.models import User

from .models import ActiveSpan, DailyRollup, ProgramDay

log = logging.getLogger(__name__)
Pair = tuple[int, date]
FIELDS = ("checked_in", "mood", "craving", "attended", "missed", "contacts")
# A day she was active (dashboard.models.ActiveSpan): a check-in, attendance or a mentor contact.
ACTIVE = Q(checked_in=True) | Q(attended__gt=0) | Q(contacts__gt=0)
ACTIVE_DAYS = 30  # an active day keeps her counted for itself and the 29 days after


def _is_active(values: dict) -> bool:
    return bool(values["checked_in"] or values["attended"] or values["contacts"])


def _pairs_q(pairs: Iterable[Pair]) -> Q:
    """The rows of (client, day) pairs, one condition per day (a batch spans few days)."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for client_id, day in pairs:
        by_day[day].append(client_id)
    condition = Q(pk__in=[])
    for day, ids in by_day.items():
        condition |= Q(local_date=day, client_id__in=sorted(ids))
    return condition


def _local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz or "UTC")).date()


def live_rows(*, pairs: Iterable[Pair]) -> dict[Pair, dict]:
    """The rollup values of (client, local day) pairs computed from the source tables (only
    the pairs with something to count). Three queries whatever the number of pairs."""
    wanted = set(pairs)
    if not wanted:
        return {}
    clients = {c for c, _ in wanted}
    users = dict(User.objects.filter(pk__in=clients).values_list("pk", "timezone"))
    lo, hi = min(d for _, d in wanted), max(d for _, d in wanted)
    # A local day spans at most UTC−12 … UTC+14 around the UTC day: fetch a day either side.
    start = datetime.combine(lo - timedelta(days=1), time(), tzinfo=ZoneInfo("UTC"))
    end = datetime.combine(hi + timedelta(days=2), time(), tzinfo=ZoneInfo("UTC"))
    out: dict[Pair, dict] = {}

    def row(pair: Pair) -> dict:
        return out.setdefault(
            pair, {"checked_in": False, "mood": None, "craving": None, "attended": 0, "missed": 0, "contacts": 0}
        )

    for client_id, day, mood, craving in CheckIn.objects.filter(
        client_id__in=clients, local_date__gte=lo, local_date__lte=hi
    ).values_list("client_id", "local_date", "mood", "craving"):
        if (client_id, day) in wanted:
            row((client_id, day)).update(checked_in=True, mood=mood, craving=craving)
    for client_id, starts_at, status in Attendance.objects.filter(
        member_id__in=clients,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT],
    ).values_list("member_id", "session__starts_at", "status"):
        pair = (client_id, _local_day(starts_at, users.get(client_id, "UTC")))
        if pair in wanted:
            row(pair)["missed" if status == AttendanceStatus.ABSENT else "attended"] += 1
    for client_id, occurred_at in ContactLog.objects.filter(
        client_id__in=clients, occurred_at__gte=start, occurred_at__lt=end
    ).values_list("client_id", "occurred_at"):
        pair = (client_id, _local_day(occurred_at, users.get(client_id, "UTC")))
        if pair in wanted:
            row(pair)["contacts"] += 1
    return out


@transaction.atomic
def rollups_refresh(*, pairs: Iterable[Pair]) -> int:
    """Recompute the rollups of (client, local day) pairs and the program days they touch.
    Members who are not clients have no rollups. Returns the rows written."""
    wanted = set(pairs)
    if not wanted:
        return 0
    clients = dict(User.objects.filter(pk__in={c for c, _ in wanted}, role=Role.CLIENT).values_list("pk", "organization_id"))
    wanted = {(c, d) for c, d in wanted if c in clients}
    if not wanted:
        return 0
    live = live_rows(pairs=wanted)
    was_active = {
        (c, d) for c, d in DailyRollup.objects.filter(_pairs_q(wanted)).filter(ACTIVE).values_list("client_id", "local_date")
    }
    now_active = {p for p, values in live.items() if _is_active(values)}
    empty = [p for p in wanted if p not in live]
    if empty:
        DailyRollup.objects.filter(_pairs_q(empty)).delete()
    DailyRollup.objects.bulk_create(
        [DailyRollup(organization_id=clients[c], client_id=c, local_date=d, **values) for (c, d), values in live.items()],
        update_conflicts=True,
        unique_fields=["client", "local_date"],
        update_fields=list(FIELDS),
        batch_size=2000,
    )
    _program_days_refresh({(clients[c], d) for c, d in wanted})
    # Her spans change only when a day became active or stopped being so.
    spans_refresh(client_ids={c for c, _ in was_active ^ now_active})
    return len(live)


def _by_client(pairs: Iterable[Pair]) -> dict[int, list[date]]:
    grouped: dict[int, list[date]] = defaultdict(list)
    for client_id, day in pairs:
        grouped[client_id].append(day)
    return grouped


# ProgramDay's sums, from the DailyRollup rows of the day (the rebuild SQL says the same).
DAY_SUMS: dict[str, Any] = {
    "checkins": Count("pk", filter=Q(checked_in=True)),
    "mood_sum": Coalesce(Sum("mood"), 0),
    "mood_count": Count("mood"),
    "craving_sum": Coalesce(Sum("craving"), 0),
    "craving_count": Count("craving"),
    "attended": Coalesce(Sum("attended"), 0),
    "missed": Coalesce(Sum("missed"), 0),
    "contacts": Coalesce(Sum("contacts"), 0),
}


def _program_days_refresh(org_days: set[tuple[int, date]]) -> None:
    if not org_days:
        return
    by_org = _by_client(org_days)
    condition = Q()
    for org_id, days in by_org.items():
        condition |= Q(organization_id=org_id, local_date__in=days)
    sums = {
        (row.pop("organization_id"), row.pop("local_date")): row
        for row in DailyRollup.objects.filter(condition)
        .values("organization_id", "local_date")
        .annotate(**DAY_SUMS)
        .values("organization_id", "local_date", *DAY_SUMS)
    }
    zero = dict.fromkeys(DAY_SUMS, 0)
    ProgramDay.objects.bulk_create(
        [ProgramDay(organization_id=o, local_date=d, **sums.get((o, d), zero)) for o, d in org_days],
        update_conflicts=True,
        unique_fields=["organization", "local_date"],
        update_fields=list(DAY_SUMS),
        batch_size=2000,
    )


def spans_of(days: Iterable[date]) -> list[tuple[date, date]]:
    """Active days → the spans they keep her counted in: a day covers itself and the 29 after;
    covers that touch or overlap merge."""
    spans: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        end = day + timedelta(days=ACTIVE_DAYS - 1)
        if spans and day <= spans[-1][1] + timedelta(days=1):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((day, end))
    return spans


def spans_refresh(*, client_ids: Iterable[int]) -> None:
    """Recompute the active spans of these clients from their rollups (two queries and an insert)."""
    ids = sorted(set(client_ids))
    if not ids:
        return
    days: dict[int, list[date]] = defaultdict(list)
    orgs: dict[int, int] = {}
    for client_id, org_id, day in (
        DailyRollup.objects.filter(ACTIVE, client_id__in=ids).values_list("client_id", "organization_id", "local_date").iterator()
    ):
        days[client_id].append(day)
        orgs[client_id] = org_id
    ActiveSpan.objects.filter(client_id__in=ids).delete()
    ActiveSpan.objects.bulk_create(
        [
            ActiveSpan(organization_id=orgs[c], client_id=c, first_day=first, last_day=last)
            for c, client_days in days.items()
            for first, last in spans_of(client_days)
        ],
        batch_size=2000,
    )


def rollups_refresh_recent(*, days: int = 2) -> int:
    """Every client's last `days` local days (beat): catches writes that bypassed the signals."""
    now = timezone.now()
    pairs: list[Pair] = []
    total = 0
    for client_id, tz in User.objects.filter(role=Role.CLIENT, is_active=True).values_list("pk", "timezone").iterator():
        today = _local_day(now, tz)
        pairs.extend((client_id, today - timedelta(days=i)) for i in range(days))
        if len(pairs) >= 5000:
            total += rollups_refresh(pairs=pairs)
            pairs = []
    return total + rollups_refresh(pairs=pairs)


def rollups_rebuild(*, organization_id: int | None = None) -> int:
    """Recompute every rollup (of one organization, or all) from the source tables."""
    clients = User.objects.filter(role=Role.CLIENT)
    if organization_id is not None:
        clients = clients.filter(organization_id=organization_id)
    if connection.vendor == "postgresql":
        return _rebuild_sql(organization_id)
    total = 0
    orgs = {"organization_id": organization_id} if organization_id is not None else {}
    ProgramDay.objects.filter(**orgs).delete()
    ActiveSpan.objects.filter(**orgs).delete()
    for client_id, tz in clients.values_list("pk", "timezone").iterator():
        days = set(CheckIn.objects.filter(client_id=client_id).values_list("local_date", flat=True))
        days |= {
            _local_day(t, tz) for t in Attendance.objects.filter(member_id=client_id).values_list("session__starts_at", flat=True)
        }
        days |= {_local_day(t, tz) for t in ContactLog.objects.filter(client_id=client_id).values_list("occurred_at", flat=True)}
        DailyRollup.objects.filter(client_id=client_id).exclude(local_date__in=days).delete()
        total += rollups_refresh(pairs=[(client_id, d) for d in days])
        spans_refresh(client_ids=[client_id])
    return total


_REBUILD_SQL = """
WITH clients AS (
    SELECT id, organization_id, COALESCE(NULLIF(timezone, ''), 'UTC') AS tz FROM members_user
    WHERE role = 'client' AND (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint)
), facts AS (
    SELECT c.organization_id, c.id AS client_id, ci.local_date, TRUE AS checked_in, ci.mood, ci.craving,
           0 AS attended, 0 AS missed, 0 AS contacts
    FROM checkins_checkin ci JOIN clients c ON c.id = ci.client_id
    UNION ALL
    SELECT c.organization_id, c.id, (s.starts_at AT TIME ZONE c.tz)::date, FALSE, NULL, NULL,
           (a.status IN ('present', 'late'))::int, (a.status = 'absent')::int, 0
    FROM groups_attendance a JOIN groups_session s ON s.id = a.session_id JOIN clients c ON c.id = a.member_id
    WHERE s.status = 'scheduled' AND a.status IN ('present', 'late', 'absent')
    UNION ALL
    SELECT c.organization_id, c.id, (cl.occurred_at AT TIME ZONE c.tz)::date, FALSE, NULL, NULL, 0, 0, 1
    FROM matching_contactlog cl JOIN clients c ON c.id = cl.client_id
)
INSERT INTO dashboard_dailyrollup (organization_id, client_id, local_date, checked_in, mood, craving, attended, missed, contacts)
SELECT organization_id, client_id, local_date, bool_or(checked_in), max(mood), max(craving),
       sum(attended), sum(missed), sum(contacts)
FROM facts GROUP BY organization_id, client_id, local_date
"""


_DELETE_ROLLUPS = "DELETE FROM dashboard_dailyrollup WHERE (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint)"
_DELETE_DAYS = "DELETE FROM dashboard_programday WHERE (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint)"
_DELETE_SPANS = "DELETE FROM dashboard_activespan WHERE (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint)"
_INSERT_DAYS = """
INSERT INTO dashboard_programday (organization_id, local_date, checkins, mood_sum, mood_count, craving_sum, craving_count,
                                  attended, missed, contacts)
SELECT organization_id, local_date, count(*) FILTER (WHERE checked_in), COALESCE(sum(mood), 0), count(mood),
       COALESCE(sum(craving), 0), count(craving), sum(attended), sum(missed), sum(contacts)
FROM dashboard_dailyrollup
WHERE (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint)
GROUP BY organization_id, local_date
"""
# Gaps and islands: a new span starts where the previous active day is more than 30 days back
# (spans_of, in SQL).
_INSERT_SPANS = """
INSERT INTO dashboard_activespan (organization_id, client_id, first_day, last_day)
SELECT organization_id, client_id, min(local_date), max(local_date) + %(tail)s
FROM (
    SELECT organization_id, client_id, local_date,
           count(*) FILTER (WHERE prev IS NULL OR local_date - prev > %(gap)s) OVER (PARTITION BY client_id ORDER BY local_date) AS span
    FROM (
        SELECT organization_id, client_id, local_date,
               lag(local_date) OVER (PARTITION BY client_id ORDER BY local_date) AS prev
        FROM dashboard_dailyrollup
        WHERE (checked_in OR attended > 0 OR contacts > 0)
          AND (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint)
    ) days
) numbered
GROUP BY organization_id, client_id, span
"""


def _rebuild_sql(organization_id: int | None) -> int:
    params = {"org": organization_id}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_DELETE_ROLLUPS, params)
        cursor.execute(_DELETE_DAYS, params)
        cursor.execute(_DELETE_SPANS, params)
        cursor.execute(_REBUILD_SQL, params)
        written = cursor.rowcount
        cursor.execute(_INSERT_DAYS, params)
        cursor.execute(_INSERT_SPANS, {**params, "tail": ACTIVE_DAYS - 1, "gap": ACTIVE_DAYS})
    return written


# --- marking dirty pairs (signals) ------------------------------------------------------------

_pending = threading.local()


def mark_dirty(pairs: Iterable[Pair]) -> None:
    """Queue (client, local day) pairs for one refresh after the current transaction commits
    (one task for everything the transaction touched)."""
    pairs = list(pairs)
    if not pairs:
        return
    from .tasks import rollups_refresh_task

    if rollups_refresh_task.app.conf.task_always_eager:
        # Development and tests run tasks in-process (Celery's own setting, which the tests
        # switch even when a broker is configured): refresh now, in the writer's transaction.
        rollups_refresh(pairs=pairs)
        return
    queued: set[Pair] | None = getattr(_pending, "pairs", None)
    if queued is None:
        queued = _pending.pairs = set()
        transaction.on_commit(_flush)
    queued.update(pairs)


def _flush() -> None:
    pairs = getattr(_pending, "pairs", None) or set()
    _pending.pairs = None
    if not pairs:
        return
    from .tasks import rollups_refresh_task

    payload = [[c, d.isoformat()] for c, d in sorted(pairs)]
    try:
        rollups_refresh_task.delay(payload)
    except Exception as exc:  # the broker is away: never fail the request; beat catches up
        log.warning("broker unavailable, %d rollup days wait for beat: %s", len(payload), exc.__class__.__name__)
