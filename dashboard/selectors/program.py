"""The program dashboard (staff; DESIGN.md "Dashboards (definitions)"): a handful of aggregate
queries over the organization. Nothing loops over rows in Python, so the query count does not
grow with the number of clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from checkins.models import FlagKind, RiskFlag
from common.errors import Invalid
from groups.selectors import attendance_rate
from matching.models import ContactLog, Match, MatchRequest, RequestStatus
from members.choices import Role
from members.models import Organization, User
from messaging.models import Conversation, Message
from messaging.models import Kind as ConversationKind
from resources.selectors import referral_counts

from ..models import ActiveSpan, DailyRollup, ProgramDay

MAX_WINDOW_DAYS = 366 * 2
DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Window:
    date_from: date
    date_to: date
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time(), tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after `date_to`, local time."""
        return datetime.combine(self.date_to + timedelta(days=1), time(), tzinfo=self.tz)

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def _parse_day(raw: str | None, name: str, errors: dict[str, list[str]]) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        # Window arithmetic near date.min/date.max would overflow (M2): no program is that old.
        errors[name] = [
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}
        ]
        return None
    return day


class WindowInvalid(Invalid):
    """Several field messages at once: {field: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors

    def as_data(self) -> dict:
        return dict(self.errors)


def program_window(*, organization: Organization, date_from: str | None, date_to: str | None) -> Window:
    """`?from=&to=` as local days of the organization (inclusive); by default the last 30
    days. Bad dates, from after to, or a window longer than two years are 400s."""
    tz = ZoneInfo(organization.timezone)
    errors: dict[str, list[str]] = {}
    start = _parse_day(date_from, "from", errors)
    end = _parse_day(date_to, "to", errors)
    if errors:
        raise WindowInvalid(errors)
    today = timezone.now().astimezone(tz).date()
    end = end or (today if start is None else min(today, start + timedelta(days=DEFAULT_WINDOW_DAYS - 1)))
    start = start or end - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    if start > end:
        raise WindowInvalid({"from": ["The start must be on or before the end (to)."]})
    if (end - start).days + 1 > MAX_WINDOW_DAYS:
        raise WindowInvalid({"to": [_("A window is at most %(days)s days.") % {"days": MAX_WINDOW_DAYS}]})
    return Window(date_from=start, date_to=end, tz=tz)


def _org_clients(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(organization_id=organization_id, role=Role.CLIENT, is_active=True)


class MedianHours(Aggregate):
    """PostgreSQL: the median of a duration, in hours (percentile_cont interpolates)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s) / 3600.0)"
    output_field = FloatField()


def _median_hours(rows: QuerySet[Any], wait: ExpressionWrapper) -> float | None:
    """The median of `wait` (a duration) over `rows`, in hours, one decimal. PostgreSQL:
    percentile_cont; elsewhere: the middle row(s) by OFFSET (the database computes the duration;
    only the one or two middle rows come back)."""
    if connection.vendor == "postgresql":
        value = rows.aggregate(median=MedianHours(wait))["median"]
        return round(float(value), 1) if value is not None else None
    ordered = rows.annotate(wait=wait).order_by("wait")
    n = ordered.count()
    if n == 0:
        return None
    middle = list(ordered.values_list("wait", flat=True)[(n - 1) // 2 : n // 2 + 1])
    hours = [w.total_seconds() / 3600 for w in middle]
    return round(sum(hours) / len(hours), 1)


def median_hours_to_match(*, organization_id: int, window: Window) -> float | None:
    """Median hours from request to the match becoming active, for matches that became active
    in the window."""
    matches = Match.objects.filter(
        organization_id=organization_id,
        request__isnull=False,
        accepted_at__isnull=False,
        accepted_at__gte=window.start,
        accepted_at__lt=window.end,
    )
    wait = ExpressionWrapper(F("accepted_at") - F("request__created_at"), output_field=DurationField())
    return _median_hours(matches, wait)


FIRST_CONTACT_SQL = """
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM f.first_at - u.date_joined) / 3600.0)
FROM (
    SELECT x.client_id, min(x.at) AS first_at FROM (
        SELECT client_id, min(first_mentor_message_at) AS at FROM {conversation}
        WHERE organization_id = %(org)s AND kind = %(kind)s AND first_mentor_message_at IS NOT NULL
        GROUP BY client_id
        UNION ALL
        SELECT client_id, min(occurred_at) FROM {contact} WHERE organization_id = %(org)s GROUP BY client_id
    ) x GROUP BY x.client_id
) f JOIN {user} u ON u.id = f.client_id
WHERE u.role = %(role)s AND u.is_active AND u.date_joined < %(end)s AND f.first_at >= %(start)s AND f.first_at < %(end)s
"""


def median_hours_to_first_contact(*, organization_id: int, window: Window) -> float | None:
    """The north star: median hours from sign-up to a member's first contact with a mentor (her
    mentor's first message in their conversation, or a contact the mentor logged, whichever came
    first), for members whose first contact fell in the window. Read from the per-conversation
    `first_mentor_message_at` column and the contact log, never the messages themselves.
    PostgreSQL: one statement, each member's first contact computed once by GROUP BY (correlated
    subqueries per member cost 3x as much at 2,000 members); elsewhere the same rule in the ORM."""
    if connection.vendor == "postgresql":
        sql = FIRST_CONTACT_SQL.format(
            conversation=Conversation._meta.db_table, contact=ContactLog._meta.db_table, user=User._meta.db_table
        )
        params: dict[str, Any] = {
            "org": organization_id,
            "kind": ConversationKind.MATCH.value,
            "role": Role.CLIENT.value,
            "start": window.start,
            "end": window.end,
        }
        with connection.cursor() as cur:
            cur.execute(sql, params)
            value = cur.fetchone()[0]
        return round(float(value), 1) if value is not None else None
    first_message = (
        Conversation.objects.filter(client_id=OuterRef("pk"), kind=ConversationKind.MATCH, first_mentor_message_at__isnull=False)
        .order_by("first_mentor_message_at")
        .values("first_mentor_message_at")[:1]
    )
    first_logged = ContactLog.objects.filter(client_id=OuterRef("pk")).order_by("occurred_at").values("occurred_at")[:1]
    message_at = Subquery(first_message, output_field=DateTimeField())
    logged_at = Subquery(first_logged, output_field=DateTimeField())
    # LEAST ignores NULLs on PostgreSQL but not on SQLite: coalesce each side with the other.
    first_contact = Least(Coalesce(message_at, logged_at), Coalesce(logged_at, message_at), output_field=DateTimeField())
    cohort = (
        _org_clients(organization_id)
        .filter(date_joined__lt=window.end)
        .annotate(first_contact_at=first_contact)
        .filter(first_contact_at__gte=window.start, first_contact_at__lt=window.end)
    )
    wait = ExpressionWrapper(F("first_contact_at") - F("date_joined"), output_field=DurationField())
    return _median_hours(cohort, wait)


RHYTHM_DAYS = 7


def contact_rhythm(*, organization_id: int, window: Window, days: int = RHYTHM_DAYS) -> float | None:
    """Of the matches active at the end of the window, the share with a contact (a message from
    the mentor or a logged contact) in its last `days` days. One aggregate: a window ending now
    reads the conversations' last-mentor-message column; a past window probes the messages
    through the (sender, sent_at) index."""
    end = window.end
    since = end - timedelta(days=days)
    active = Match.objects.filter(organization_id=organization_id, accepted_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=end)
    )
    logged = ContactLog.objects.filter(match_id=OuterRef("pk"), occurred_at__gte=since, occurred_at__lt=end)
    if end >= timezone.now():
        # A window ending now (the usual one): no message is later than the end, so the
        # conversation's last-mentor-message column answers without reading any message.
        wrote_recently = Q(conversation__last_mentor_message_at__gte=since)
        row = active.aggregate(n=Count("pk"), kept=Count("pk", filter=wrote_recently | Q(Exists(logged))))
        return round(row["kept"] / row["n"], 3) if row["n"] else None
    wrote = Message.objects.filter(
        sender_id=OuterRef("mentor_id"),
        conversation__match_id=OuterRef("pk"),
        sent_at__gte=since,
        sent_at__lt=end,
    )
    row = active.aggregate(n=Count("pk"), kept=Count("pk", filter=Q(Exists(wrote)) | Q(Exists(logged))))
    return round(row["kept"] / row["n"], 3) if row["n"] else None


def match_retention(*, organization_id: int, window: Window, days: int) -> float | None:
    """Of the matches whose `days`-day mark falls in the window, the share still active then
    (or that ended as completed, i.e. the end reason says so)."""
    cohort = Match.objects.filter(
        organization_id=organization_id,
        accepted_at__isnull=False,
        accepted_at__gte=window.start - timedelta(days=days),
        accepted_at__lt=window.end - timedelta(days=days),
    )
    lasted = ExpressionWrapper(F("accepted_at") + timedelta(days=days), output_field=DateTimeField())
    row = cohort.aggregate(
        n=Count("pk"),
        kept=Count(
            "pk",
            filter=Q(ended_at__isnull=True) | Q(ended_at__gte=lasted) | Q(end_reason__istartswith="completed"),
        ),
    )
    return round(row["kept"] / row["n"], 3) if row["n"] else None


def program_figures(*, organization: Organization, window: Window) -> dict[str, Any]:
    """All figures of the program dashboard for `window`, in a fixed number of queries."""
    org_id = organization.pk
    clients = _org_clients(org_id)
    end = window.end

    # Active members (30 d, ending at `to`): a check-in, attendance (present/late) or a mentor
    # contact on one of her last 30 local days: the active spans holding `to` (dashboard.rollups).
    active_members = active_members_on(organization_id=org_id, day=window.date_to)
    new_members = clients.filter(date_joined__gte=window.start, date_joined__lt=end).count()
    # Open at the end of the window (a request is closed when it was matched or cancelled).
    open_requests = (
        MatchRequest.objects.filter(organization_id=org_id, created_at__lt=end)
        .filter(Q(status=RequestStatus.OPEN, closed_at__isnull=True) | Q(closed_at__gte=end))
        .count()
    )
    open_crisis_flags = (
        RiskFlag.objects.filter(organization_id=org_id, kind=FlagKind.CRISIS, opened_at__lt=end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
        .count()
    )
    # The program's days of the window (at most one row per day): attendance and check-ins.
    days = program_days(organization_id=org_id, window=window)
    attended = sum(d["attended"] for d in days)
    missed = sum(d["missed"] for d in days)

    # Adherence: check-in days ÷ client-days in the window since joining. The denominator is a
    # rollup by join day (at most one row per day of the window), summed here.
    joined_by_day = (
        clients.filter(date_joined__lt=end)
        .annotate(first_day=Greatest(TruncDate("date_joined", tzinfo=window.tz), Value(window.date_from)))
        .values("first_day")
        .annotate(n=Count("pk"))
        .values_list("first_day", "n")
    )
    client_days = sum(n * ((window.date_to - first_day).days + 1) for first_day, n in joined_by_day)
    # Check-in days: the program's daily totals, less the days of members no longer active
    # (few: one small query on their rollups).
    in_window = Q(local_date__gte=window.date_from, local_date__lte=window.date_to)
    checkin_days = sum(d["checkins"] for d in days) - (
        DailyRollup.objects.filter(in_window, organization_id=org_id, checked_in=True, client__is_active=False).count()
    )

    return {
        "from": window.date_from,
        "to": window.date_to,
        "active_members": active_members,
        "new_members": new_members,
        "open_requests": open_requests,
        "median_hours_to_match": median_hours_to_match(organization_id=org_id, window=window),
        "median_hours_to_first_contact": median_hours_to_first_contact(organization_id=org_id, window=window),
        "contact_rhythm_7d": contact_rhythm(organization_id=org_id, window=window),
        "match_retention_30d": match_retention(organization_id=org_id, window=window, days=30),
        "match_retention_90d": match_retention(organization_id=org_id, window=window, days=90),
        "attendance_rate": attendance_rate(present=attended, late=0, absent=missed),
        "checkin_adherence": round(min(checkin_days / client_days, 1.0), 3) if client_days else None,
        "open_crisis_flags": open_crisis_flags,
        # Referrals made in the window and how many of them connected (resources: one aggregate).
        **referral_counts(organization_id=org_id, since=window.start, until=end),
        "weekly": program_weekly(organization_id=org_id, window=window, days=days),
    }


def active_members_on(*, organization_id: int, day: date) -> int:
    """Active clients of the organization on `day` (active in her 30 local days ending then),
    still active members: one count over the active spans (dashboard.models.ActiveSpan)."""
    return ActiveSpan.objects.filter(
        organization_id=organization_id,
        first_day__lte=day,
        last_day__gte=day,
        client__role=Role.CLIENT,
        client__is_active=True,
    ).count()


PROGRAM_DAY_FIELDS = ("local_date", "checkins", "attended", "missed")


def program_days(*, organization_id: int, window: Window) -> list[dict[str, Any]]:
    """The organization's daily rollups (ProgramDay) of the window: one query, ≤ 732 rows."""
    return list(
        ProgramDay.objects.filter(
            organization_id=organization_id, local_date__gte=window.date_from, local_date__lte=window.date_to
        ).values(*PROGRAM_DAY_FIELDS)
    )


def program_weekly(*, organization_id: int, window: Window, days: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One row per week (Monday start, organization time) overlapping the window: check-ins and
    attendance from the program's days (`days`, read when not given), two GROUP BY queries for
    new members and matches, merged by week."""
    tz = window.tz
    weeks: dict[date, dict[str, Any]] = {}
    first = window.date_from - timedelta(days=window.date_from.weekday())
    day = first
    while day <= window.date_to:
        weeks[day] = {"week_start": day, "checkins": 0, "attendance_rate": None, "new_members": 0, "matches_started": 0}
        day += timedelta(days=7)

    def week_of(value: date | datetime) -> date:
        return value.date() if isinstance(value, datetime) else value

    counts: dict[date, list[int]] = {}
    for row in program_days(organization_id=organization_id, window=window) if days is None else days:
        week = counts.setdefault(row["local_date"] - timedelta(days=row["local_date"].weekday()), [0, 0, 0])
        week[0] += row["checkins"]
        week[1] += row["attended"]
        week[2] += row["missed"]
    for wk, (n, attended, missed) in counts.items():
        weeks[wk]["checkins"] = n
        weeks[wk]["attendance_rate"] = attendance_rate(present=attended, late=0, absent=missed)
    for wk, n in (
        _org_clients(organization_id)
        .filter(date_joined__gte=window.start, date_joined__lt=window.end)
        .annotate(wk=TruncWeek("date_joined", tzinfo=tz))
        .values("wk")
        .annotate(n=Count("pk"))
        .values_list("wk", "n")
    ):
        weeks[week_of(wk)]["new_members"] = n
    for wk, n in (
        Match.objects.filter(organization_id=organization_id, accepted_at__gte=window.start, accepted_at__lt=window.end)
        .annotate(wk=TruncWeek("accepted_at", tzinfo=tz))
        .values("wk")
        .annotate(n=Count("pk"))
        .values_list("wk", "n")
    ):
        weeks[week_of(wk)]["matches_started"] = n
    return list(weeks.values())


CSV_FIELDS = (
    "from",
    "to",
    "active_members",
    "new_members",
    "open_requests",
    "median_hours_to_match",
    "median_hours_to_first_contact",
    "contact_rhythm_7d",
    "match_retention_30d",
    "match_retention_90d",
    "attendance_rate",
    "checkin_adherence",
    "open_crisis_flags",
    "referrals_made",
    "referrals_connected",
)
WEEKLY_FIELDS = ("week_start", "checkins", "attendance_rate", "new_members", "matches_started")


def program_csv_rows(figures: dict[str, Any]) -> list[list[Any]]:
    """The figures as CSV rows: a `metric,value` block, a blank line, then the weekly table."""
    rows: list[list[Any]] = [["metric", "value"]]
    rows += [[name, "" if figures[name] is None else figures[name]] for name in CSV_FIELDS]
    rows.append([])
    rows.append(list(WEEKLY_FIELDS))
    for week in figures["weekly"]:
        rows.append(["" if week[f] is None else week[f] for f in WEEKLY_FIELDS])
    return rows
