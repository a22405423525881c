from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from django.db.models import QuerySet

from common.errors import NotVisible
from members.models import User

from .models import Notification, NotificationPreference


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


def unread_count_for(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def checkin_time_preferences(*, user_ids: Sequence[int], at_or_before: time) -> QuerySet[NotificationPreference]:
    """Preferences of these users with a daily check-in time set no later than `at_or_before`
    (a local time), with the user: the check-in nudge planner's starting set."""
    return NotificationPreference.objects.filter(
        user_id__in=list(user_ids), checkin_time__isnull=False, checkin_time__lte=at_or_before
    ).select_related("user")
