"""The in-app inbox: reading notifications."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from members.models import User

from ..models import Notification


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
