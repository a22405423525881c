"""The caseload dashboard (DESIGN.md "Dashboards"): the client list of members.access
(`clients_visible_to`) ranked by risk in the database, then filled in by the other apps' summary
providers (members.client_records), which apply each viewer's consent rules; the consent picture
of the whole caseload comes from members.access.caseload_access, once per page."""

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
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from checkins.models import CheckIn, FlagKind, RiskFlag
from members.access import (
    CONSENT_ONLY_RELATIONS,
    CaseloadAccess,
    access_log_record_many,
    client_get_for_viewer,
    client_scopes_for_many,
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


def caseload_pages_open(*, viewer: User, clients: Sequence[User]) -> frozenset[int] | None:
    """Which of `clients` the viewer may open the page of (None: all of them, for staff).
    A mentor opens a member's page only while the member shares something with her
    (members.access: the consent-only relations)."""
    if viewer.role == Role.STAFF:
        return None
    access = client_scopes_for_many(viewer=viewer, clients=clients)
    return frozenset(pk for pk, (relation, scopes) in access.items() if scopes or relation not in CONSENT_ONLY_RELATIONS)
