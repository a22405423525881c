from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from common.errors import NotVisible
from members.models import Organization, User

from .models import Delivery, DeliveryStatus, Notification, NotificationPreference


def inbox_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_get_for_user(*, user: User, notification_id: int | str) -> Notification:
    try:
        return Notification.objects.get(pk=int(notification_id), recipient=user)
    except (Notification.DoesNotExist, TypeError, ValueError):
        raise NotVisible() from None


def unread_notifications(*, user: User) -> QuerySet[Notification]:
    """Her unread notifications (the badge beside "Notifications" counts them)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def checkin_time_preferences(*, user_ids: Sequence[int], at_or_before: time) -> QuerySet[NotificationPreference]:
    """Preferences of these users with a daily check-in time set no later than `at_or_before`
    (a local time), with the user: the check-in nudge planner's starting set."""
    return NotificationPreference.objects.filter(
        user_id__in=list(user_ids), checkin_time__isnull=False, checkin_time__lte=at_or_before
    ).select_related("user")


def checkin_time_preferences_in_zone(*, zone: str, at_or_before: time) -> QuerySet[NotificationPreference]:
    """Preferences of people in `zone` with a daily check-in time set no later than
    `at_or_before` (a local time in that zone): a planner's starting set, one query per zone."""
    return NotificationPreference.objects.filter(user__timezone=zone, checkin_time__isnull=False, checkin_time__lte=at_or_before)


def preferences_for(*, user: User) -> NotificationPreference | None:
    """The person's reminder settings as stored, or None if she never had any (unlike
    services.preference_get, this never creates the row)."""
    return NotificationPreference.objects.filter(user=user).first()


# --- operations: the staff outbox view (API /api/v1/ops/outbox/ and the staff page) ---------

OUTBOX_DAYS = 14
FAILED_SHOWN = 50


def outbox_overview(*, organization: Organization, days: int = OUTBOX_DAYS, now: datetime | None = None) -> dict[str, Any]:
    """The organization's outbox for its operators: deliveries by status, by kind, channel and
    status per local day (the last `days` days), the oldest pending delivery and the latest
    failures with their error. Counts and kinds only: never a title, body or message text."""
    now = now or timezone.now()
    zone = ZoneInfo(organization.timezone or "UTC")
    since = datetime.combine(now.astimezone(zone).date() - timedelta(days=days - 1), time(0), zone)
    rows = Delivery.objects.filter(notification__organization=organization)
    by_status = dict.fromkeys(DeliveryStatus.values, 0)
    by_status.update(dict(rows.values_list("status").annotate(n=Count("pk")).order_by()))
    per_day = [
        {"day": day.isoformat(), "kind": kind, "channel": channel, "status": status, "count": n}
        for day, kind, channel, status, n in rows.filter(notification__created_at__gte=since)
        .annotate(day=TruncDate("notification__created_at", tzinfo=zone))
        .values_list("day", "notification__kind", "channel", "status")
        .annotate(n=Count("pk"))
        .order_by("-day", "notification__kind", "channel", "status")
    ]
    oldest = (
        rows.filter(status=DeliveryStatus.PENDING)
        .order_by("scheduled_for", "pk")
        .values("pk", "notification__kind", "channel", "scheduled_for", "notification__created_at", "attempts")
        .first()
    )
    failed = [
        {
            "id": d["pk"],
            "kind": d["notification__kind"],
            "channel": d["channel"],
            "attempts": d["attempts"],
            "last_error": d["last_error"],
            "created_at": d["notification__created_at"],
            "recipient": {"id": d["notification__recipient_id"], "display_name": d["notification__recipient__display_name"]},
        }
        for d in rows.filter(status=DeliveryStatus.FAILED)
        .order_by("-notification__created_at", "-pk")
        .values(
            "pk",
            "notification__kind",
            "channel",
            "attempts",
            "last_error",
            "notification__created_at",
            "notification__recipient_id",
            "notification__recipient__display_name",
        )[:FAILED_SHOWN]
    ]
    return {
        "by_status": by_status,
        "per_day": per_day,
        "oldest_pending": None
        if oldest is None
        else {
            "id": oldest["pk"],
            "kind": oldest["notification__kind"],
            "channel": oldest["channel"],
            "scheduled_for": oldest["scheduled_for"],
            "created_at": oldest["notification__created_at"],
            "attempts": oldest["attempts"],
            "waiting_seconds": max(0, int((now - oldest["scheduled_for"]).total_seconds())),
        },
        "failed": failed,
        "days": days,
    }
