"""A member's calendar feed and her personal data (erasure)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from members.models import User
from members.services import audit_record

from ..models import Attendance, CalendarFeed, Enrollment, EnrollmentStatus
from .enrollment import enrollment_leave

# --- calendar feed ----------------------------------------------------------------------------


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = calendar_feed_get_or_create(user=user)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = CalendarFeed._meta.get_field("token").get_default()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at"])
    audit_record(actor=user, action="calendar_feed.rotate", target=feed, organization_id=user.organization_id)
    return feed


# --- personal data ----------------------------------------------------------------------------


@transaction.atomic
def group_personal_data_erase(*, user: User) -> None:
    """Erasure: leave every group (the waitlist moves up), drop attendance and the feed."""
    for enrollment in Enrollment.objects.filter(
        member=user, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED]
    ).select_related("group"):
        enrollment_leave(actor=user, group=enrollment.group, member=user)
    Attendance.objects.filter(member=user).delete()
    Enrollment.objects.filter(member=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    for group in user.facilitated_groups.all():
        group.facilitators.remove(user)
