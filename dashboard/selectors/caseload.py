"""The caseload dashboard (DESIGN.md "Dashboards"): the client list of members.access
(`clients_visible_to`) ranked by risk in the database, the consent picture of the whole caseload
from members.access.caseload_access once per page; each row's check-in adherence and attendance
from the daily rollups (dashboard.rollups), the mentor and last contact from matching (its consent
rules), the last check-in and open flags from the ranking query. A constant number of queries
(≤ 12) whatever the page size."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from checkins.models import CheckIn, FlagKind, RiskFlag
from groups.scopes import ATTENDANCE
from groups.selectors import attendance_rate
from matching.selectors import match_summaries
from members.access import (
    CONSENT_ONLY_RELATIONS,
    CaseloadAccess,
    access_log_record_many,
    access_log_record_query,
    client_get_for_viewer,
    client_scopes_for_many,
    clients_visible_to,
    kind_visible,
)
from members.access import caseload_access as _caseload_access
from members.choices import Role
from members.models import Organization, User

from ..models import DailyRollup

ADHERENCE_DAYS = 30
NO_RECENT_CHECKIN_DAYS = 3
CASELOAD_KINDS = ("risk_flags", "checkins")
FLAG_KINDS: tuple[str, ...] = tuple(FlagKind.values)

# Risk tiers, most urgent first (the order of the caseload).
TIER_CRISIS, TIER_SELF_HARM, TIER_FLAGGED, TIER_NO_RECENT_CHECKIN, TIER_OK = range(5)


# --- caseload -----------------------------------------------------------------------------------


def caseload_access(*, viewer: User) -> CaseloadAccess:
    """The consent picture of the viewer's whole caseload (members.access)."""
    return _caseload_access(viewer=viewer, kinds=CASELOAD_KINDS)


def _open_flags(*, viewer: User, access: CaseloadAccess) -> dict[int, list[str]]:
    """The open flags of the caseload the viewer may see, {client_id: [kind, …]}: one query
    (few members have open flags), which ranks the whole caseload without a subquery per row."""
    flags = RiskFlag.objects.filter(
        organization_id=viewer.org_id, resolved_at__isnull=True, client_id__in=clients_visible_to(viewer=viewer).values("pk")
    )
    if access.ids("risk_flags") is not None:
        flags = flags.filter(client_id__in=sorted(access.ids("risk_flags") or ()))
    out: dict[int, list[str]] = {}
    for client_id, kind in flags.values_list("client_id", "kind"):
        out.setdefault(client_id, []).append(kind)
    return out


def _ids_case(values: dict[int, int], default: int) -> Any:
    """CASE WHEN pk IN (…) THEN n …: a value per member the database sorts by, from a dict."""
    by_value: dict[int, list[int]] = {}
    for pk, value in values.items():
        by_value.setdefault(value, []).append(pk)
    if not by_value:
        return Value(default)
    return Case(
        *[When(pk__in=sorted(ids), then=Value(v)) for v, ids in sorted(by_value.items())],
        default=Value(default),
        output_field=IntegerField(),
    )


def caseload_queryset(
    *, viewer: User, access: CaseloadAccess, flagged_only: bool = False, client_id: int | str | None = None
) -> QuerySet[User]:
    """The viewer's clients, most at risk first: an open crisis flag, then PHQ-9 item 9, then
    any other open flag (more flags first), then no check-in for 3 days; ties by the oldest
    last check-in. Flags and check-ins the viewer may not see do not move anyone up.
    Each row carries `risk_tier`, `last_checkin_day`, `last_checkin_at` and `flag_<kind>`."""
    qs = clients_visible_to(viewer=viewer)
    if client_id is not None and client_id != "":
        view = client_get_for_viewer(viewer=viewer, client_id=client_id)  # NotVisible → 404
        qs = qs.filter(pk=view.client.pk)

    flags = _open_flags(viewer=viewer, access=access)
    tiers = {
        pk: TIER_CRISIS if FlagKind.CRISIS in kinds else TIER_SELF_HARM if FlagKind.PHQ9_ITEM9 in kinds else TIER_FLAGGED
        for pk, kinds in flags.items()
    }
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
    latest = checkins.order_by("-local_date")
    qs = qs.annotate(
        flag_tier=_ids_case(tiers, TIER_NO_RECENT_CHECKIN),
        open_flags=_ids_case({pk: len(kinds) for pk, kinds in flags.items()}, 0),
        checkins_visible=checkins_visible,
        last_checkin_day=Subquery(latest.values("local_date")[:1], output_field=DateField()),
    )
    if flagged_only:
        qs = qs.filter(pk__in=sorted(flags))
    # Within a tier, clients whose check-ins the viewer sees come first (the oldest check-in
    # first); those who share nothing follow, by name. Among the unflagged, the oldest last
    # check-in first is exactly "no check-in for 3 days" (tier 3) before the rest (tier 4), so
    # the database looks up each member's last check-in once, for the order, and works out
    # the tier only for the page's rows.
    qs = qs.order_by(
        "flag_tier",
        "-open_flags",
        F("checkins_visible").desc(),
        F("last_checkin_day").asc(nulls_first=True),
        "display_name",
        "pk",
    )
    return qs.annotate(
        risk_tier=Case(
            When(pk__in=sorted(tiers), then=F("flag_tier")),
            When(
                Q(checkins_visible=True) & (Q(last_checkin_day__isnull=True) | Q(last_checkin_day__lt=recent_from)),
                then=Value(TIER_NO_RECENT_CHECKIN),
            ),
            default=Value(TIER_OK),
            output_field=IntegerField(),
        ),
        last_checkin_at=Subquery(latest.values("updated_at")[:1], output_field=DateTimeField()),
        **{f"flag_{kind}": _ids_case({pk: 1 for pk, kinds in flags.items() if kind in kinds}, 0) for kind in FLAG_KINDS},
    )


def caseload_flagged_count(*, viewer: User, access: CaseloadAccess) -> int:
    """How many of the caseload have an open flag the viewer may see: two small queries."""
    return len(_open_flags(viewer=viewer, access=access))


def _window_condition(windows: dict[tuple[date, date | None], list[int]]) -> Q:
    """Rows of these clients in their windows; no clients: a condition no row meets."""
    condition = Q(pk__isnull=True) if not windows else Q()
    for (start, end), ids in windows.items():
        part = Q(client_id__in=sorted(ids), local_date__gte=start)
        condition |= part & Q(local_date__lte=end) if end is not None else part
    return condition


def _rollup_figures(
    *, adherence_clients: Sequence[User], attendance_clients: Sequence[User], days: int = ADHERENCE_DAYS
) -> dict[int, dict[str, Any]]:
    """Check-in adherence (local days with a check-in ÷ days in her last `days` local days since
    joining) and attendance over her last `days` local days, per client, from the daily
    rollups in one query (clients that share a window are counted under one condition)."""
    now = timezone.now()
    adherence: dict[tuple[date, date | None], list[int]] = {}
    attendance: dict[tuple[date, date | None], list[int]] = {}
    span: dict[int, int] = {}
    for c in adherence_clients:
        tz = ZoneInfo(c.timezone)
        today = now.astimezone(tz).date()
        start = min(max(today - timedelta(days=days - 1), c.date_joined.astimezone(tz).date()), today)
        adherence.setdefault((start, today), []).append(c.pk)
        span[c.pk] = (today - start).days + 1
    for c in attendance_clients:
        today = now.astimezone(ZoneInfo(c.timezone)).date()
        attendance.setdefault((today - timedelta(days=days - 1), None), []).append(c.pk)
    if not adherence and not attendance:
        return {}
    in_adherence, in_attendance = _window_condition(adherence), _window_condition(attendance)
    rows = (
        DailyRollup.objects.filter(in_adherence | in_attendance)
        .values("client_id")
        .annotate(
            checkin_days=Count("pk", filter=in_adherence & Q(checked_in=True)),
            attended=Coalesce(Sum("attended", filter=in_attendance), 0),
            missed=Coalesce(Sum("missed", filter=in_attendance), 0),
        )
        .values_list("client_id", "checkin_days", "attended", "missed")
    )
    found = {pk: (n, attended, missed) for pk, n, attended, missed in rows}
    out: dict[int, dict[str, Any]] = {}
    for pk, n in span.items():
        out.setdefault(pk, {})["checkin_adherence_30d"] = round(found.get(pk, (0, 0, 0))[0] / n, 3)
    for c in attendance_clients:
        _, attended, missed = found.get(c.pk, (0, 0, 0))
        out.setdefault(c.pk, {})["attendance_rate_30d"] = attendance_rate(present=attended, late=0, absent=missed)
    return out


def checkin_adherence_for(*, clients: Sequence[User], days: int = ADHERENCE_DAYS) -> dict[int, float | None]:
    """Local days with a check-in ÷ days in the last `days` local days since joining, per
    client, in one query over the daily rollups."""
    figures = _rollup_figures(adherence_clients=clients, attendance_clients=[], days=days)
    return {pk: row["checkin_adherence_30d"] for pk, row in figures.items()}


def caseload_rows(*, viewer: User, clients: Sequence[User], access: CaseloadAccess) -> list[dict[str, Any]]:
    """The dashboard rows of one page of clients (from caseload_queryset, whose annotations carry
    the last check-in and the open flags): adherence and attendance from the daily rollups, the
    mentor and last contact from matching (its consent rules), and one access-log insert."""
    scopes = access.scopes_for(viewer=viewer, clients=clients)
    sees_attendance = {pk for pk, (relation, found) in scopes.items() if kind_visible(ATTENDANCE, relation, found)}
    contacts = match_summaries(viewer, clients, scopes)
    figures = _rollup_figures(
        adherence_clients=[c for c in clients if access.sees("checkins", c.pk)],
        attendance_clients=[c for c in clients if c.pk in sees_attendance],
    )
    if clients and viewer.role in (Role.STAFF, Role.CLINICIAN):  # one INSERT … SELECT: no per-member consent to name
        access_log_record_query(viewer=viewer, clients=User.objects.filter(pk__in=[c.pk for c in clients]), resource="dashboard")
    else:
        access_log_record_many(viewer=viewer, clients=clients, resource="dashboard")
    rows = []
    now = timezone.now()
    for c in clients:
        extra = {**figures.get(c.pk, {}), **contacts.get(c.pk, {})}
        sees_checkins = access.sees("checkins", c.pk)
        last_day = getattr(c, "last_checkin_day", None) if sees_checkins else None
        # Whole local days since the last check-in, in the member's own time zone.
        days_ago = (now.astimezone(ZoneInfo(c.timezone)).date() - last_day).days if last_day else None
        sees_flags = access.sees("risk_flags", c.pk)
        flags = [kind for kind in FLAG_KINDS if getattr(c, f"flag_{kind}", 0)]
        rows.append(
            {
                "client": {"id": c.pk, "display_name": c.display_name},
                "last_checkin_at": getattr(c, "last_checkin_at", None) if sees_checkins else None,
                "last_checkin_date": last_day,
                "last_checkin_days_ago": days_ago,
                "checkin_adherence_30d": extra.get("checkin_adherence_30d") if sees_checkins else None,
                "attendance_rate_30d": extra.get("attendance_rate_30d"),
                "mentor": extra.get("mentor"),
                "last_contact_at": extra.get("last_contact_at"),
                "flags": _ordered_flags(flags) if sees_flags else [],
                "risk_tier": getattr(c, "risk_tier", None),
                "shared": {"checkins": sees_checkins, "attendance": c.pk in sees_attendance, "flags": sees_flags},
            }
        )
    return rows


_FLAG_RANK: dict[str, int] = {str(kind): i for i, kind in enumerate([FlagKind.CRISIS, FlagKind.PHQ9_ITEM9, *list(FlagKind)])}


def _ordered_flags(kinds: Sequence[str]) -> list[str]:
    return sorted(set(kinds), key=lambda k: (_FLAG_RANK.get(k, 99), k))


def caseload_pages_open(*, viewer: User, clients: Sequence[User]) -> frozenset[int] | None:
    """Which of `clients` the viewer may open the page of (None: all of them, for staff).
    A mentor opens a member's page only while the member shares something with her
    (members.access: the consent-only relations)."""
    if viewer.role == Role.STAFF:
        return None
    access = client_scopes_for_many(viewer=viewer, clients=clients)
    return frozenset(pk for pk, (relation, scopes) in access.items() if scopes or relation not in CONSENT_ONLY_RELATIONS)
