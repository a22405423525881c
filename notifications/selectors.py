from __future__ import annotations

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


def preferences_for(*, user: User) -> NotificationPreference | None:
    """The person's reminder settings as stored, or None if she never had any (unlike
    services.preference_get, this never creates the row)."""
    return NotificationPreference.objects.filter(user=user).first()
