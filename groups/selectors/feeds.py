"""The calendar feed (a member's secret iCal URL) and the public feeds of an organization: no
person is ever named in them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from members.models import Organization, User

from .. import recurrence
from ..models import CalendarFeed, Enrollment, EnrollmentStatus, RecoveryGroup, Session, SessionStatus, Visibility


def calendar_feed_get(*, token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()


def calendar_groups_for(*, user: User) -> list[RecoveryGroup]:
    """The member's groups (enrolled or facilitating) with their exceptional sessions
    (cancelled or moved) prefetched."""
    exceptions = Session.objects.filter(Q(status=SessionStatus.CANCELLED) | Q(moved=True)).order_by("original_start")
    return list(
        RecoveryGroup.objects.filter(organization_id=user.org_id, archived_at__isnull=True)
        .filter(
            Q(pk__in=Enrollment.objects.filter(member=user, status=EnrollmentStatus.ENROLLED).values("group_id"))
            | Q(pk__in=RecoveryGroup.facilitators.through.objects.filter(user_id=user.pk).values("recoverygroup_id"))
        )
        .prefetch_related(
            Prefetch("sessions", queryset=exceptions, to_attr="exceptions"),
            # Sessions of the last 180 days: those made by an earlier schedule become single events.
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(
                    original_start__lt=F("group__series_start"), starts_at__gte=timezone.now() - timedelta(days=180)
                ).order_by("starts_at"),
                to_attr="earlier",
            ),
        )
        .order_by("pk")
    )


def public_weekly_groups(*, organization_id: int) -> list[RecoveryGroup]:
    return list(
        RecoveryGroup.objects.filter(
            organization_id=organization_id,
            visibility=Visibility.PUBLIC,
            archived_at__isnull=True,
            rrule__startswith="FREQ=WEEKLY",
        )
        .prefetch_related("meeting_types")
        .order_by("name", "pk")
    )


def _fmt_utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def formatted_address(address: str, country: str) -> str:
    """Meeting Guide clients geocode `formatted_address` and treat anything with fewer than four
    comma-separated parts (street, city, state ZIP, country) as approximate, showing the meeting
    as inactive: add the program's country where the address leaves it out."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    if len(parts) == 3 and country:
        parts.append(country)
    return ", ".join(parts)


def approximate_location(organization: Organization) -> str:
    """Online meetings carry the program's city, state and country: the spec's approximate
    location, without which clients skip the meeting."""
    return ", ".join(p for p in (organization.city, organization.state, organization.country) if p)


def meeting_guide_feed(*, organization_id: int, page_url: str) -> list[dict[str, Any]]:
    """The organization's public weekly groups in the Meeting Guide (code4recovery) format: one
    entry per weekly day, with the group's name as `group` when it meets on several days so
    clients list them together. No person is named: facilitators never appear."""
    meetings: list[dict[str, Any]] = []
    organization = Organization.objects.get(pk=organization_id)
    for group in public_weekly_groups(organization_id=organization_id):
        days = recurrence.weekly_days(group.rrule, group.start_date)
        if not days:
            continue
        start = group.start_local
        end = start + timedelta(minutes=group.duration_minutes)
        base = f"{group.pk}-{group.slug}"[:60].rstrip("-")
        for day in days:
            entry: dict[str, Any] = {
                "name": group.name[:255],
                "slug": f"{base}-{day}" if len(days) > 1 else base,
                "day": day,
                "time": start.strftime("%H:%M"),
                "end_time": end.strftime("%H:%M"),
                "timezone": group.timezone,
                "types": sorted(t.code for t in group.meeting_types.all()),
                "notes": group.description,
                "updated": _fmt_utc(group.updated_at),
                "url": f"{page_url}#group-{group.pk}",
            }
            if len(days) > 1:
                entry["group"] = group.name[:255]
            if group.is_in_person and group.address:
                if group.location:
                    entry["location"] = group.location
                entry["formatted_address"] = formatted_address(group.address, organization.country)
            elif group.is_online and approximate_location(organization):
                entry["formatted_address"] = approximate_location(organization)
            if group.is_online:
                if group.conference_url:
                    entry["conference_url"] = group.conference_url
                if group.conference_phone:
                    entry["conference_phone"] = group.conference_phone
            entry["attendance_option"] = group.attendance_mode
            meetings.append(entry)
    return meetings
