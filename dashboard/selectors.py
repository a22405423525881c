"""Reads of the dashboards (DESIGN.md "Dashboards (definitions)").

The caseload dashboard is the client list of members.selectors (`clients_visible_to`) ranked
by risk in the database, then filled in by the other apps' summary providers
(members.client_records), which already apply each viewer's consent rules. The program
dashboard is a handful of aggregate queries over the organization; nothing loops over rows
in Python, so the query count does not grow with the number of clients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate, TruncWeek
from django.utils import timezone

from checkins.models import CheckIn, FlagKind, RiskFlag
from common.errors import Invalid
from groups.models import Attendance, AttendanceStatus, SessionStatus
from groups.selectors import attendance_rate
from matching.models import ContactLog, Match, MatchRequest, RequestStatus
from members.access import (
    CaseloadAccess,
    access_log_record_many,
    client_get_for_viewer,
    clients_visible_to,
)
from members.access import caseload_access as _caseload_access
from members.choices import Role
from members.client_records import summaries_for
from members.models import Organization, User

ADHERENCE_DAYS = 30
NO_RECENT_CHECKIN_DAYS = 3
CASELOAD_KINDS = ("risk_flags", "checkins")

# Risk tiers, most urgent first (the order of the caseload).
TIER_CRISIS, TIER_SELF_HARM, TIER_FLAGGED, TIER_NO_RECENT_CHECKIN, TIER_OK = range(5)


# --- caseload -----------------------------------------------------------------------------------


def caseload_access(*, viewer: User) -> CaseloadAccess:
    """The consent picture of the viewer's whole caseload (members.access)."""
    return _caseload_access(viewer=viewer, kinds=CASELOAD_KINDS)


def caseload_queryset(
    *, viewer: User, access: CaseloadAccess, flagged_only: bool = False, client_id: int | str | None = None
) -> QuerySet[User]:
    """The viewer's clients, most at risk first: an open crisis flag, then PHQ-9 item 9, then
    any other open flag (more flags first), then no check-in for 3 days; ties by the oldest
    last check-in. Flags and check-ins the viewer may not see do not move anyone up."""
    qs = clients_visible_to(viewer=viewer)
    if client_id is not None and client_id != "":
        view = client_get_for_viewer(viewer=viewer, client_id=client_id)  # NotVisible → 404
        qs = qs.filter(pk=view.client.pk)

    flags = RiskFlag.objects.filter(client_id=OuterRef("pk"), resolved_at__isnull=True)
    if access.ids("risk_flags") is not None:
        flags = flags.filter(client_id__in=sorted(access.ids("risk_flags") or ()))
    checkins = CheckIn.objects.filter(client_id=OuterRef("pk"))
    if access.ids("checkins") is not None:
        checkins = checkins.filter(client_id__in=sorted(access.ids("checkins") or ()))
    org = Organization.objects.filter(pk=viewer.org_id).only("timezone").first()
    today = timezone.now().astimezone(ZoneInfo(org.timezone if org else "UTC")).date()
    recent_from = today - timedelta(days=NO_RECENT_CHECKIN_DAYS - 1)
    checkins_visible: Any = (
        Value(True)
        if access.ids("checkins") is None
        else Case(
            When(pk__in=sorted(access.ids("checkins") or ()), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )

    qs = qs.annotate(
        open_flags=Coalesce(
            Subquery(flags.order_by().values("client_id").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        ),
        has_crisis=Exists(flags.filter(kind=FlagKind.CRISIS)),
        has_self_harm=Exists(flags.filter(kind=FlagKind.PHQ9_ITEM9)),
        last_checkin_day=Subquery(checkins.order_by("-local_date").values("local_date")[:1], output_field=DateField()),
        checkins_visible=checkins_visible,
    ).annotate(
        risk_tier=Case(
            When(has_crisis=True, then=Value(TIER_CRISIS)),
            When(has_self_harm=True, then=Value(TIER_SELF_HARM)),
            When(open_flags__gt=0, then=Value(TIER_FLAGGED)),
            When(
                Q(checkins_visible=True) & (Q(last_checkin_day__isnull=True) | Q(last_checkin_day__lt=recent_from)),
                then=Value(TIER_NO_RECENT_CHECKIN),
            ),
            default=Value(TIER_OK),
            output_field=IntegerField(),
        )
    )
    if flagged_only:
        qs = qs.filter(open_flags__gt=0)
    # Within a tier, clients whose check-ins the viewer sees come first (the oldest check-in
    # first); those who share nothing follow, by name.
    return qs.order_by(
        "risk_tier",
        "-open_flags",
        F("checkins_visible").desc(),
        F("last_checkin_day").asc(nulls_first=True),
        "display_name",
        "pk",
    ).select_related("client_profile")


def caseload_flagged_count(*, viewer: User, access: CaseloadAccess) -> int:
    """How many of the caseload have an open flag the viewer may see: one query."""
    return caseload_queryset(viewer=viewer, access=access, flagged_only=True).order_by().count()


def checkin_adherence_for(*, clients: Sequence[User], days: int = ADHERENCE_DAYS) -> dict[int, float | None]:
    """Local days with a check-in ÷ days in the last `days` local days since joining, per
    client, in one query (clients that share a window are counted under one condition)."""
    now = timezone.now()
    windows: dict[tuple[date, date], list[int]] = {}
    span: dict[int, int] = {}
    for c in clients:
        tz = ZoneInfo(c.timezone)
        today = now.astimezone(tz).date()
        start = max(today - timedelta(days=days - 1), c.date_joined.astimezone(tz).date())
        if start > today:
            start = today
        windows.setdefault((start, today), []).append(c.pk)
        span[c.pk] = (today - start).days + 1
    if not windows:
        return {}
    condition = Q()
    for (start, today), ids in windows.items():
        condition |= Q(client_id__in=ids, local_date__gte=start, local_date__lte=today)
    counts = dict(CheckIn.objects.filter(condition).values("client_id").annotate(n=Count("pk")).values_list("client_id", "n"))
    return {pk: round(counts.get(pk, 0) / n, 3) for pk, n in span.items()}


def caseload_rows(*, viewer: User, clients: Sequence[User], access: CaseloadAccess) -> list[dict[str, Any]]:
    """The dashboard rows of one page of clients: the other apps' summaries (which apply the
    consent rules), adherence for those who share check-ins, and one access-log insert."""
    extras = summaries_for(viewer, clients)
    adherence = checkin_adherence_for(clients=[c for c in clients if access.sees("checkins", c.pk)])
    access_log_record_many(viewer=viewer, clients=clients, resource="dashboard")
    rows = []
    now = timezone.now()
    for c in clients:
        extra = extras.get(c.pk, {})
        sees_checkins = access.sees("checkins", c.pk)
        last_day = extra.get("last_checkin_date") if sees_checkins else None
        # Whole local days since the last check-in, in the member's own time zone.
        days_ago = (now.astimezone(ZoneInfo(c.timezone)).date() - last_day).days if last_day else None
        sees_flags = access.sees("risk_flags", c.pk)
        attendance_shared = "attendance_rate_30d" in extra
        rows.append(
            {
                "client": {"id": c.pk, "display_name": c.display_name},
                "last_checkin_at": extra.get("last_checkin_at") if sees_checkins else None,
                "last_checkin_date": last_day,
                "last_checkin_days_ago": days_ago,
                "checkin_adherence_30d": adherence.get(c.pk) if sees_checkins else None,
                "attendance_rate_30d": extra.get("attendance_rate_30d"),
                "mentor": extra.get("mentor"),
                "last_contact_at": extra.get("last_contact_at"),
                "flags": _ordered_flags(extra.get("flags", [])) if sees_flags else [],
                "risk_tier": getattr(c, "risk_tier", None),
                "shared": {"checkins": sees_checkins, "attendance": attendance_shared, "flags": sees_flags},
            }
        )
    return rows


_FLAG_RANK: dict[str, int] = {str(kind): i for i, kind in enumerate([FlagKind.CRISIS, FlagKind.PHQ9_ITEM9, *list(FlagKind)])}


def _ordered_flags(kinds: Sequence[str]) -> list[str]:
    return sorted(set(kinds), key=lambda k: (_FLAG_RANK.get(k, 99), k))


# --- program ------------------------------------------------------------------------------------

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


def _parse_day(raw: str | None, name: str, errors: dict[str, list[str]]) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = ["Enter a date as YYYY-MM-DD."]
        return None


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
        raise WindowInvalid({"to": [f"A window is at most {MAX_WINDOW_DAYS} days."]})
    return Window(date_from=start, date_to=end, tz=tz)


def _org_clients(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(organization_id=organization_id, role=Role.CLIENT, is_active=True)


def _attendance_in(organization_id: int, window: Window) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        organization_id=organization_id,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gte=window.start,
        session__starts_at__lt=window.end,
        member__role=Role.CLIENT,
    )


_ATTENDED = Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE])
_COUNTED = Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT])


class MedianHours(Aggregate):
    """PostgreSQL: the median of a duration, in hours (percentile_cont interpolates)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s) / 3600.0)"
    output_field = FloatField()


def median_hours_to_match(*, organization_id: int, window: Window) -> float | None:
    """Median hours from request to the match becoming active, for matches that became active
    in the window. PostgreSQL: percentile_cont; elsewhere: the middle row(s) by OFFSET."""
    matches = Match.objects.filter(
        organization_id=organization_id,
        request__isnull=False,
        accepted_at__isnull=False,
        accepted_at__gte=window.start,
        accepted_at__lt=window.end,
    )
    wait = ExpressionWrapper(F("accepted_at") - F("request__created_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        value = matches.aggregate(median=MedianHours(wait))["median"]
        return round(float(value), 1) if value is not None else None
    # Portable: the duration is computed by the database; only the one or two middle rows come back.
    ordered = matches.annotate(wait=wait).order_by("wait")
    n = ordered.count()
    if n == 0:
        return None
    middle = list(ordered.values_list("wait", flat=True)[(n - 1) // 2 : n // 2 + 1])
    hours = [w.total_seconds() / 3600 for w in middle]
    return round(sum(hours) / len(hours), 1)


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
    active_from = end - timedelta(days=30)
    active_from_day = window.date_to - timedelta(days=29)

    # Active members (30 d, ending at `to`): a check-in, attendance (present/late) or a mentor contact.
    active_members = clients.filter(
        Exists(CheckIn.objects.filter(client_id=OuterRef("pk"), local_date__gte=active_from_day, local_date__lte=window.date_to))
        | Exists(
            Attendance.objects.filter(
                member_id=OuterRef("pk"), session__starts_at__gte=active_from, session__starts_at__lt=end
            ).filter(_ATTENDED)
        )
        | Exists(ContactLog.objects.filter(client_id=OuterRef("pk"), occurred_at__gte=active_from, occurred_at__lt=end))
    ).count()
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
    att = _attendance_in(org_id, window).aggregate(
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        late=Count("pk", filter=Q(status=AttendanceStatus.LATE)),
        absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
    )

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
    checkin_days = CheckIn.objects.filter(
        organization_id=org_id,
        client__role=Role.CLIENT,
        client__is_active=True,
        local_date__gte=window.date_from,
        local_date__lte=window.date_to,
    ).count()

    return {
        "from": window.date_from,
        "to": window.date_to,
        "active_members": active_members,
        "new_members": new_members,
        "open_requests": open_requests,
        "median_hours_to_match": median_hours_to_match(organization_id=org_id, window=window),
        "match_retention_30d": match_retention(organization_id=org_id, window=window, days=30),
        "match_retention_90d": match_retention(organization_id=org_id, window=window, days=90),
        "attendance_rate": attendance_rate(present=att["present"], late=att["late"], absent=att["absent"]),
        "checkin_adherence": round(min(checkin_days / client_days, 1.0), 3) if client_days else None,
        "open_crisis_flags": open_crisis_flags,
        "weekly": program_weekly(organization_id=org_id, window=window),
    }


def program_weekly(*, organization_id: int, window: Window) -> list[dict[str, Any]]:
    """One row per week (Monday start, organization time) overlapping the window: four
    GROUP BY queries, merged by week."""
    tz = window.tz
    weeks: dict[date, dict[str, Any]] = {}
    first = window.date_from - timedelta(days=window.date_from.weekday())
    day = first
    while day <= window.date_to:
        weeks[day] = {"week_start": day, "checkins": 0, "attendance_rate": None, "new_members": 0, "matches_started": 0}
        day += timedelta(days=7)

    def week_of(value: date | datetime) -> date:
        return value.date() if isinstance(value, datetime) else value

    for wk, n in (
        CheckIn.objects.filter(
            organization_id=organization_id,
            client__role=Role.CLIENT,
            local_date__gte=window.date_from,
            local_date__lte=window.date_to,
        )
        .annotate(wk=TruncWeek("local_date", output_field=DateField()))
        .values("wk")
        .annotate(n=Count("pk"))
        .values_list("wk", "n")
    ):
        weeks[week_of(wk)]["checkins"] = n
    for wk, present, late, absent in (
        _attendance_in(organization_id, window)
        .annotate(wk=TruncWeek("session__starts_at", tzinfo=tz))
        .values("wk")
        .annotate(
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            late=Count("pk", filter=Q(status=AttendanceStatus.LATE)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .values_list("wk", "present", "late", "absent")
    ):
        weeks[week_of(wk)]["attendance_rate"] = attendance_rate(present=present, late=late, absent=absent)
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
    "match_retention_30d",
    "match_retention_90d",
    "attendance_rate",
    "checkin_adherence",
    "open_crisis_flags",
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
