"""A member's iCalendar feed (RFC 5545) made with `icalendar`: one VEVENT per group series
with its RRULE in the group's zone (plus the VTIMEZONE), EXDATE for cancelled occurrences and
a RECURRENCE-ID override for each moved one. UIDs are stable per group; SEQUENCE goes up with
every schedule change and cancellation so calendar apps replace what they have."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from . import recurrence
from .models import RecoveryGroup, Session, SessionStatus


def group_uid(group: RecoveryGroup) -> str:
    host = urlparse(settings.SITE_URL).hostname or "kinship.local"
    return f"kinship-group-{group.pk}@{host}"


def _where(group: RecoveryGroup) -> tuple[str, str]:
    """(LOCATION, extra description): the address in person, the link online, both for hybrid."""
    location = group.place if group.is_in_person and group.place else (group.conference_url or group.place)
    extra = []
    if group.is_online and group.conference_url:
        extra.append(f"Join online: {group.conference_url}")
    if group.is_online and group.conference_phone:
        extra.append(f"By phone: {group.conference_phone}")
    return location, "\n".join(extra)


def _base_event(group: RecoveryGroup, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", group_uid(group))
    event.add("dtstamp", stamp)
    event.add("summary", group.name)
    location, extra = _where(group)
    if location:
        event.add("location", location)
    description = "\n\n".join(part for part in (group.description, extra) if part)
    if description:
        event.add("description", description)
    if group.is_online and group.conference_url:
        event.add("url", group.conference_url)
    return event


def member_calendar(*, groups: Iterable[RecoveryGroup], name: str = "Kinship groups") -> bytes:
    """`groups` carry their cancelled/moved sessions in `.exceptions` (calendar_groups_for)."""
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Kinship//Recovery groups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    first: datetime | None = None
    last: datetime | None = None
    for group in groups:
        tz = ZoneInfo(group.timezone)
        exceptions: list[Session] = list(getattr(group, "exceptions", []))
        series_from = group.series_start
        # DTSTART must be an occurrence of the rule (RFC 5545 3.8.5.3): the first one of the
        # current series (after the last schedule change, if any).
        if series_from is None:
            first_local = recurrence.first_local_on_or_after(
                rule=group.rrule, start_local=group.start_local, zone=group.timezone,
                at=group.start_local.replace(tzinfo=tz),
            )  # fmt: skip
        else:
            first_local = recurrence.first_local_on_or_after(
                rule=group.rrule, start_local=group.start_local, zone=group.timezone, at=series_from
            )
        in_series = [s for s in exceptions if series_from is None or s.original_start >= series_from]
        cancelled = [s for s in in_series if s.status == SessionStatus.CANCELLED]
        moved = [s for s in in_series if s.moved and s.status != SessionStatus.CANCELLED]
        if first_local is not None:
            master = _base_event(group, stamp=stamp)
            start = first_local.replace(tzinfo=tz)
            master.add("dtstart", start)
            master.add("dtend", start + timedelta(minutes=group.duration_minutes))
            master.add("rrule", vRecur.from_ical(group.rrule))
            if cancelled:
                master.add("exdate", [s.original_start.astimezone(tz) for s in cancelled])
            master.add("sequence", group.schedule_version + sum(s.sequence for s in cancelled))
            master.add("last-modified", group.updated_at.astimezone(UTC).replace(microsecond=0))
            cal.add_component(master)
            for session in moved:
                override = _base_event(group, stamp=stamp)
                override.add("recurrence-id", session.original_start.astimezone(tz))
                override.add("dtstart", session.starts_at.astimezone(tz))
                override.add("dtend", session.ends_at.astimezone(tz))
                override.add("sequence", group.schedule_version + session.sequence)
                cal.add_component(override)
            first = start if first is None else min(first, start)
        # Sessions an earlier schedule made (before the last change): single events of their own.
        for session in getattr(group, "earlier", []):
            if series_from is None or session.original_start >= series_from or session.status == SessionStatus.CANCELLED:
                continue
            single = _base_event(group, stamp=stamp)
            single["uid"] = f"kinship-session-{session.pk}@{group_uid(group).split('@', 1)[1]}"
            single.add("dtstart", session.starts_at.astimezone(tz))
            single.add("dtend", session.ends_at.astimezone(tz))
            single.add("sequence", session.sequence)
            cal.add_component(single)
            start_here = session.starts_at.astimezone(tz)
            first = start_here if first is None else min(first, start_here)
        last_seen = max([group.start_local.replace(tzinfo=tz), *(s.starts_at for s in exceptions)])
        last = last_seen if last is None else max(last, last_seen)
    if first is not None and last is not None:
        # VTIMEZONE with the transitions the events need (ten years ahead for the open-ended RRULEs).
        cal.add_missing_timezones(first_date=first.date() - timedelta(days=366), last_date=last.date() + timedelta(days=10 * 366))
    return cal.to_ical()
