"""Reads of the checkins app, always scoped through members.access (STYLE.md).

Who sees what: the member everything of their own; clinicians on the care team (with the
member's treatment consent) the detail; mentors and family only what the member granted —
`checkin_detail` (mood, craving, use, notes) or `checkin_summary` (which days, the streak);
program staff the summary. Risk flags are for the care team: clinicians and staff see them,
mentors and family only with `checkin_detail`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from common.errors import Invalid, NotAllowed, NotVisible
from members.access import (
    ClientView,
    access_log_record_many,
    client_get_for_viewer,
    client_ids_seeing,
    client_scopes_for_many,
    clients_visible_to,
    kind_visible,
)
from members.choices import Role
from members.models import User

from .models import Assessment, CheckIn, Instrument, RiskFlag
from .scopes import ASSESSMENTS, CHECKIN_DETAIL, CHECKIN_SUMMARY, RISK_FLAG_DETAIL, RISK_FLAGS
from .services import STREAK_WINDOW_DAYS, days_since_last_use, local_today, streak_from_dates

# Suggested rhythm of the questionnaires (days between two).
ASSESSMENT_EVERY_DAYS: dict[str, int] = {Instrument.BARC10: 30, Instrument.PHQ9: 14, Instrument.GAD7: 14}


def checkin_view_for(*, viewer: User, client_id: int | str | None, log_as: str = "checkins") -> ClientView:
    """The client whose check-ins `viewer` asks for (themself when no id), with at least the
    check-in summary shared; every read by someone else goes into the member's access log."""
    if client_id is None or client_id == "":
        if viewer.role != Role.CLIENT:
            raise Invalid(gettext("Say whose check-ins: ?client=<id>."), field="client")
        client_id = viewer.pk
    return client_view_with_scope(viewer=viewer, client_id=client_id, scopes=(CHECKIN_SUMMARY, CHECKIN_DETAIL), log_as=log_as)


def assessments_view_for(*, viewer: User, client_id: int | str | None) -> ClientView:
    """The client whose questionnaire results `viewer` asks for (themself when no id), with
    `assessments` shared; the read is access-logged."""
    if client_id is None or client_id == "":
        if viewer.role != Role.CLIENT:
            raise Invalid(gettext("Say whose results: ?client=<id>."), field="client")
        client_id = viewer.pk
    return client_view_with_scope(viewer=viewer, client_id=client_id, scopes=(ASSESSMENTS,), log_as="assessments")


def risk_flags_view_for(*, viewer: User, client_id: int | str) -> ClientView:
    """The client whose risk flags `viewer` asks for: 404 when the member is not visible, 403
    when she does not open her flags to the viewer (members.access, record kind `risk_flags`);
    the read is access-logged."""
    view = client_get_for_viewer(viewer=viewer, client_id=client_id)
    if not view.sees(RISK_FLAGS):
        raise NotAllowed(gettext("This member has not shared this with you."))
    access_log_record_many(viewer=viewer, clients=[view.client], resource=RISK_FLAGS)
    return view


def client_view_with_scope(*, viewer: User, client_id: int | str, scopes: Sequence[str], log_as: str) -> ClientView:
    """client_get_for_viewer, then at least one of `scopes` shared (else 403), then the read
    is access-logged (reads refused with 403/404 are not reads)."""
    view = client_get_for_viewer(viewer=viewer, client_id=client_id)
    if not any(view.can(s) for s in scopes):
        view.require(scopes[0])
    if not view.is_self:
        access_log_record_many(viewer=viewer, clients=[view.client], resource=log_as)
    return view


def checkins_for_client(*, client: User, date_from: date | None = None, date_to: date | None = None) -> QuerySet[CheckIn]:
    qs = CheckIn.objects.filter(client=client, organization_id=client.org_id)
    if date_from is not None:
        qs = qs.filter(local_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(local_date__lte=date_to)
    return qs.order_by("-local_date")


def assessments_for_client(*, client: User, instrument: str | None = None) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(client=client, organization_id=client.org_id)
    if instrument:
        qs = qs.filter(instrument=instrument)
    return qs.order_by("-taken_at", "-pk")


def risk_flags_for_client(*, client: User, open_only: bool = False) -> QuerySet[RiskFlag]:
    qs = RiskFlag.objects.filter(client=client, organization_id=client.org_id).select_related("resolved_by")
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return qs.order_by("resolved_at", "-opened_at", "-pk")


def risk_flags_for_clients(*, viewer: User, clients: Sequence[User], open_only: bool = True) -> QuerySet[RiskFlag]:
    """Flags of the clients among `clients` whose flags `viewer` may see (two queries to decide)."""
    ids = client_ids_seeing(viewer=viewer, clients=clients, kind=RISK_FLAGS)
    qs = RiskFlag.objects.filter(organization_id=viewer.org_id, client_id__in=ids).select_related("client", "resolved_by")
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return qs.order_by("resolved_at", "-opened_at", "-pk")


def risk_flags_for_viewer(*, viewer: User, open_only: bool = True) -> QuerySet[RiskFlag]:
    """The flags of everyone on the viewer's list whose flags she may see."""
    visible = list(clients_visible_to(viewer=viewer).select_related("client_profile"))
    return risk_flags_for_clients(viewer=viewer, clients=visible, open_only=open_only)


def risk_flag_detail_ids(*, viewer: User, clients: Sequence[User]) -> frozenset[int]:
    """The members among `clients` whose flag reasons and resolution notes `viewer` may read."""
    return client_ids_seeing(viewer=viewer, clients=clients, kind=RISK_FLAG_DETAIL) if clients else frozenset()


def risk_flag_get_for_viewer(*, viewer: User, flag_id: int, client_id: int | None = None) -> tuple[RiskFlag, ClientView]:
    """A flag the viewer may see (of `client_id`, when the URL names the member), else 404."""
    flag = RiskFlag.objects.filter(pk=flag_id, organization_id=viewer.org_id).select_related("client").first()
    if flag is None or (client_id is not None and flag.client_id != client_id):
        raise NotVisible()
    view = client_get_for_viewer(viewer=viewer, client_id=flag.client_id)
    if not view.sees(RISK_FLAGS):
        raise NotVisible()
    return flag, view


@dataclass(frozen=True)
class Progress:
    today: date
    streak: int
    days_since_last_use: int | None
    checked_in_today: bool
    last_checkin: date | None
    days: list[CheckIn]  # the window, newest first


def progress_for_client(*, client: User, days: int = 84) -> Progress:
    """The numbers of "my progress" (and of the care team's timeline): one query for the
    window and the streak, one more for days since last use when the member asked for it."""
    today = local_today(client)
    rows = list(
        CheckIn.objects.filter(
            client=client, local_date__gt=today - timedelta(days=STREAK_WINDOW_DAYS), local_date__lte=today
        ).order_by("-local_date")
    )
    profile = getattr(client, "client_profile", None)
    return Progress(
        today=today,
        streak=streak_from_dates((c.local_date for c in rows), today=today),
        days_since_last_use=days_since_last_use(
            client=client,
            show=bool(profile and profile.show_sober_days),
            recovery_start=profile.recovery_start if profile else None,
            today=today,
        ),
        checked_in_today=bool(rows and rows[0].local_date == today),
        last_checkin=rows[0].local_date if rows else None,
        days=[c for c in rows if c.local_date > today - timedelta(days=days)],
    )


def checkin_today(*, client: User) -> CheckIn | None:
    return CheckIn.objects.filter(client=client, local_date=local_today(client)).first()


def assessments_due(*, client: User) -> list[dict[str, Any]]:
    """BARC-10 monthly, PHQ-9 and GAD-7 every two weeks: which are due now."""
    last: dict[str, Any] = {}
    for instrument, taken_at in (
        Assessment.objects.filter(client=client, instrument__in=list(ASSESSMENT_EVERY_DAYS))
        .order_by("instrument", "-taken_at")
        .values_list("instrument", "taken_at")
    ):
        last.setdefault(instrument, taken_at)
    now = timezone.now()
    due = []
    for instrument, every in ASSESSMENT_EVERY_DAYS.items():
        taken = last.get(instrument)
        if taken is None or taken <= now - timedelta(days=every):
            due.append(
                {
                    "instrument": instrument,
                    "label": Instrument(instrument).label,
                    "last_taken_at": taken,
                    "every_days": every,
                }
            )
    return due


# --- summary provider (members.client_records): many clients, constant queries -------------


def checkin_summaries(viewer: User, clients: Sequence[User]) -> dict[int, dict[str, Any]]:
    """last check-in, streak and open flags per client, as far as `viewer` may see them."""
    access = client_scopes_for_many(viewer=viewer, clients=clients)
    summary_ids = [pk for pk, (_, scopes) in access.items() if CHECKIN_SUMMARY in scopes or CHECKIN_DETAIL in scopes]
    flag_ids = [pk for pk, (relation, scopes) in access.items() if kind_visible(RISK_FLAGS, relation, scopes)]
    if not summary_ids and not flag_ids:
        return {}
    by_pk = {c.pk: c for c in clients}
    oldest = min(local_today(by_pk[pk]) for pk in summary_ids) if summary_ids else None
    dates: dict[int, list[date]] = {pk: [] for pk in summary_ids}
    last_at: dict[int, Any] = {}
    if summary_ids and oldest is not None:
        for client_id, day, updated_at in (
            CheckIn.objects.filter(client_id__in=summary_ids, local_date__gt=oldest - timedelta(days=STREAK_WINDOW_DAYS))
            .order_by("client_id", "-local_date")
            .values_list("client_id", "local_date", "updated_at")
        ):
            dates[client_id].append(day)
            last_at.setdefault(client_id, updated_at)
    flags: dict[int, list[str]] = {pk: [] for pk in flag_ids}
    if flag_ids:
        for client_id, kind in (
            RiskFlag.objects.filter(client_id__in=flag_ids, resolved_at__isnull=True)
            .order_by("client_id", "kind")
            .values_list("client_id", "kind")
        ):
            flags[client_id].append(kind)
    out: dict[int, dict[str, Any]] = {}
    for pk in summary_ids:
        client_dates = dates[pk]
        out[pk] = {
            "last_checkin_at": last_at.get(pk),
            "last_checkin_date": client_dates[0] if client_dates else None,
            "checkin_streak": streak_from_dates(client_dates, today=local_today(by_pk[pk])),
        }
    for pk in flag_ids:
        out.setdefault(pk, {})["flags"] = flags[pk]
    return out
