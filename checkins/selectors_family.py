"""Reads of family members' own check-ins and of testing results (DESIGN.md "Family members'
own recovery", "Testing results"). Testing results are read through members.access: the member,
her treating clinicians, and mentor and family with `test_results`; every read by someone else
is access-logged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from common.errors import Invalid
from members.access import ClientView, client_get_for_viewer
from members.choices import Role
from members.models import User

from .models import FamilyCheckIn, TestingSchedule, TestResult
from .scopes import TEST_RESULTS
from .services import STREAK_WINDOW_DAYS, local_today, streak_from_dates, within_goal


def family_checkins_for(*, member: User, date_from: date | None = None, date_to: date | None = None) -> QuerySet[FamilyCheckIn]:
    qs = FamilyCheckIn.objects.filter(member=member, organization_id=member.org_id)
    if date_from is not None:
        qs = qs.filter(local_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(local_date__lte=date_to)
    return qs.order_by("-local_date")


@dataclass(frozen=True)
class FamilyProgress:
    today: date
    streak: int
    checked_in_today: bool
    today_checkin: FamilyCheckIn | None
    days: list[FamilyCheckIn]  # the last 30 local days, newest first
    days_count: int  # of the last 7
    took_time_days: int  # of the last 7


def family_progress(*, member: User, days: int = 30) -> FamilyProgress:
    """The family member's own streak and trend, in one query: the streak window's rows are
    read as plain tuples, and only the last `days` become model instances."""
    today = local_today(member)
    names = [f.attname for f in FamilyCheckIn._meta.concrete_fields]
    rows = list(
        FamilyCheckIn.objects.filter(
            member=member, local_date__gt=today - timedelta(days=STREAK_WINDOW_DAYS), local_date__lte=today
        )
        .order_by("-local_date")
        .values_list(*names)
    )
    at = names.index("local_date")
    recent = [FamilyCheckIn.from_db("default", names, row) for row in rows if row[at] > today - timedelta(days=days)]
    week = [c for c in recent if c.local_date > today - timedelta(days=7)]
    todays = recent[0] if recent and recent[0].local_date == today else None
    return FamilyProgress(
        today=today,
        streak=streak_from_dates((row[at] for row in rows), today=today),
        checked_in_today=todays is not None,
        today_checkin=todays,
        days=recent,
        days_count=len(week),
        took_time_days=sum(1 for c in week if c.took_time_for_myself),
    )


# --- testing results --------------------------------------------------------------------------


def test_results_view_for(*, viewer: User, client_id: int | str | None) -> ClientView:
    """The member whose results `viewer` asks for (herself when no id): 404 outside her
    visibility, 403 when she does not share `test_results`; the read is access-logged."""
    if client_id is None or client_id == "":
        if viewer.role != Role.CLIENT:
            raise Invalid(gettext("Say whose results: ?client=<id>."), field="client")
        client_id = viewer.pk
    view = client_get_for_viewer(viewer=viewer, client_id=client_id)
    if not view.sees(TEST_RESULTS):
        view.require(TEST_RESULTS)
    if not view.is_self:
        from members.access import access_log_record_many

        access_log_record_many(viewer=viewer, clients=[view.client], resource=TEST_RESULTS)
    return view


def test_results_for_client(
    *, client: User, date_from: datetime | None = None, date_to: datetime | None = None
) -> QuerySet[TestResult]:
    qs = TestResult.objects.filter(client=client, organization_id=client.org_id)
    if date_from is not None:
        qs = qs.filter(taken_at__gte=date_from)
    if date_to is not None:
        qs = qs.filter(taken_at__lte=date_to)
    return qs.order_by("-taken_at", "-pk")


def testing_schedule_for(*, client: User) -> TestingSchedule | None:
    return TestingSchedule.objects.filter(client=client).first()


def goal_reading(*, client: User) -> tuple[str | None, Decimal | None]:
    """(her goal, her moderation limit) for reading results (one query)."""
    profile = getattr(client, "client_profile", None)
    limit = TestingSchedule.objects.filter(client=client).values_list("limit", flat=True).first()
    return (profile.goal if profile is not None else None), limit


def results_with_goal(results: Sequence[TestResult], *, goal: str | None, limit: Decimal | None) -> list[dict[str, Any]]:
    return [{"result": r, "within_goal": within_goal(goal=goal, result=r.result, value=r.value, limit=limit)} for r in results]


def test_trend(results: Sequence[TestResult], *, goal: str | None, limit: Decimal | None, today: date) -> dict[str, Any]:
    """The last 30 days in plain numbers: tests taken, within her goal, not, missed."""
    recent = [r for r in results if r.taken_at.date() > today - timedelta(days=30)]
    readings = [within_goal(goal=goal, result=r.result, value=r.value, limit=limit) for r in recent]
    return {
        "taken": sum(1 for r in recent if r.result != "missed"),
        "within_goal": sum(1 for w in readings if w is True),
        "outside_goal": sum(1 for w in readings if w is False),
        "missed": sum(1 for r in recent if r.result == "missed"),
    }
