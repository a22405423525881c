"""The member's day and streak: shared by the writes, the selectors and the planners."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from members.models import User

from ..models import CheckIn, Used

# How far back a streak is counted in one query; a longer streak shows as at least this.
STREAK_WINDOW_DAYS = 400


def local_today(user: User, now: datetime | None = None) -> date:
    """The member's today: their time zone decides the day."""
    return (now or timezone.now()).astimezone(ZoneInfo(user.timezone)).date()


def streak_from_dates(dates_desc: Iterable[date], *, today: date) -> int:
    """Consecutive local days with a check-in, ending today, or yesterday when today's check-in
    is still to come. Counts engagement, never sober days: a day with use still counts."""
    streak = 0
    expected: date | None = None
    for day in dates_desc:
        if day > today:
            continue
        if expected is None:
            if day < today - timedelta(days=1):
                return 0
            expected = day
        if day != expected:
            break
        streak += 1
        expected = day - timedelta(days=1)
    return streak


def days_since_last_use(*, client: User, show: bool, recovery_start: date | None, today: date) -> int | None:
    """Only for members who asked to see it (ClientProfile.show_sober_days)."""
    if not show:
        return None
    last_use = (
        CheckIn.objects.filter(client=client, used=Used.YES, local_date__lte=today)
        .order_by("-local_date")
        .values_list("local_date", flat=True)
        .first()
    )
    start = last_use or recovery_start
    if start is None:
        return None
    return max((today - start).days, 0)
