"""Demo inbox items so the notifications page is not empty on first sign-in."""

from __future__ import annotations

from django.db import transaction

from devtools.demo.members import DEMO_SLUG
from members.models import User
from notifications.member_notices import CARE_TEAM_ADDED
from notifications.models import Notification, NotificationPreference


@transaction.atomic
def seed() -> dict[str, int]:
    people = User.objects.filter(organization__slug=DEMO_SLUG, is_active=True)
    if Notification.objects.filter(recipient__in=people).exists():
        return {}
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=u, channels=["in_app", "email"], checkin_days=[0, 1, 2, 3, 4, 5, 6]) for u in people],
        ignore_conflicts=True,
    )
    welcome = [
        Notification(
            organization_id=u.organization_id,
            recipient=u,
            kind=CARE_TEAM_ADDED,
            title="Welcome to Riverside Recovery Collective on Kinship",
            body="You can change how and when we remind you in Settings › Reminders.",
            url="/settings/reminders/",
            dedupe_key=f"demo-welcome:{u.pk}",
        )
        for u in people
    ]
    Notification.objects.bulk_create(welcome, ignore_conflicts=True)
    return {"notifications": len(welcome)}
