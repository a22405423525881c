"""Groups and their schedule: create, change, archive. Only clinicians and program staff
(selectors.group_manage_require); a schedule change regenerates future sessions only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from common.errors import Invalid
from members.models import User
from members.services import audit_record

from .. import recurrence
from ..meeting_types import meeting_types_ensure
from ..models import AttendanceMode, Kind, MeetingType, RecoveryGroup, Session, SessionStatus, Visibility
from ..selectors import facilitator_candidates, group_change_require, group_manage_require
from .enrollment import waitlist_promote
from .sessions import HORIZON_DAYS, sessions_materialize, sessions_regenerate

SCHEDULE_FIELDS = ("rrule", "start_date", "start_time", "timezone")
GROUP_FIELDS = (
    "name",
    "kind",
    "description",
    "capacity",
    "visibility",
    "attendance_mode",
    "location",
    "address",
    "conference_url",
    "conference_phone",
    "timezone",
    "rrule",
    "start_date",
    "start_time",
    "duration_minutes",
)


def _parse_start_local(value: Any) -> tuple[date, time]:
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            raise Invalid("Give the first meeting's local date and time as YYYY-MM-DDTHH:MM.", field="start_local") from None
    if parsed.tzinfo is not None:
        raise Invalid("start_local is a wall-clock time without an offset; the zone goes in timezone.", field="start_local")
    if not 2000 <= parsed.year <= 2100:
        raise Invalid("Give a start date between the years 2000 and 2100.", field="start_local")
    return parsed.date(), parsed.time().replace(second=0, microsecond=0)


def _clean_group_data(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate and normalize what the API and the form send; raises Invalid per field."""
    clean: dict[str, Any] = {}
    if "start_local" in data:
        clean["start_date"], clean["start_time"] = _parse_start_local(data["start_local"])
    required = ("name", "kind", "timezone", "rrule", "start_local", "duration_minutes")
    if not partial:
        for name in required:
            if data.get(name) in (None, ""):
                raise Invalid("This field is required.", field=name)
    if "name" in data:
        name = str(data["name"] or "").strip()
        if not name:
            raise Invalid("Give the group a name.", field="name")
        clean["name"] = name[:120]
    if "kind" in data:
        if data["kind"] not in Kind.values:
            raise Invalid(f"Choose one of: {', '.join(Kind.values)}.", field="kind")
        clean["kind"] = data["kind"]
    if "visibility" in data:
        if data["visibility"] not in Visibility.values:
            raise Invalid(f"Choose one of: {', '.join(Visibility.values)}.", field="visibility")
        clean["visibility"] = data["visibility"]
    if "attendance_mode" in data:
        if data["attendance_mode"] not in AttendanceMode.values:
            raise Invalid(f"Choose one of: {', '.join(AttendanceMode.values)}.", field="attendance_mode")
        clean["attendance_mode"] = data["attendance_mode"]
    if "capacity" in data:
        capacity = data["capacity"]
        if capacity is not None:
            if isinstance(capacity, bool) or not isinstance(capacity, int):
                raise Invalid("Capacity is a whole number (or empty for no limit).", field="capacity")
            if capacity < 0:
                raise Invalid("Capacity cannot be negative.", field="capacity")
            if capacity > 100_000:
                raise Invalid("Capacity is too large.", field="capacity")
        clean["capacity"] = capacity
    if "timezone" in data:
        clean["timezone"] = recurrence.timezone_validate(str(data["timezone"] or ""))
    if "rrule" in data:
        clean["rrule"] = recurrence.rrule_normalize(str(data["rrule"] or ""))
    if "duration_minutes" in data:
        duration = data["duration_minutes"]
        if isinstance(duration, bool) or not isinstance(duration, int):
            raise Invalid("Duration is a whole number of minutes.", field="duration_minutes")
        clean["duration_minutes"] = recurrence.duration_validate(duration)
    for name in ("description", "location", "address", "conference_url", "conference_phone"):
        if name in data:
            clean[name] = str(data[name] or "").strip()
    return clean


def _check_schedule_produces_meetings(group: RecoveryGroup) -> None:
    first = recurrence.first_local_on_or_after(
        rule=group.rrule,
        start_local=group.start_local,
        zone=group.timezone,
        at=group.start_local.replace(tzinfo=ZoneInfo(group.timezone)),
    )
    if first is None:
        raise Invalid("This schedule never produces a meeting; check the rule and the start date.", field="rrule")


def _check_mode_fields(group: RecoveryGroup) -> None:
    if group.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID) and not group.conference_url:
        raise Invalid("Online groups need a link to join.", field="conference_url")
    if group.attendance_mode in (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID) and not group.address:
        raise Invalid("In-person groups need an address.", field="address")


def _facilitators_resolve(*, actor: User, ids: Iterable[Any]) -> list[User]:
    try:
        wanted = {int(pk) for pk in ids}
    except (TypeError, ValueError):
        raise Invalid("Facilitators are user ids.", field="facilitators") from None
    users = list(facilitator_candidates(organization_id=actor.org_id).filter(pk__in=wanted))
    if len(users) != len(wanted):
        raise Invalid("Facilitators must be mentors, clinicians or staff of your program.", field="facilitators")
    return users


def _meeting_types_resolve(codes: Iterable[Any]) -> list[MeetingType]:
    wanted = {str(c) for c in codes}
    types = list(MeetingType.objects.filter(code__in=wanted))
    if len(types) != len(wanted):
        meeting_types_ensure()
        types = list(MeetingType.objects.filter(code__in=wanted))
    if len(types) != len(wanted):
        unknown = sorted(wanted - {t.code for t in types})
        raise Invalid(f"Unknown meeting type code(s): {', '.join(unknown)}.", field="meeting_types")
    return types


def _unique_slug(*, organization_id: int, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:120] or "group"
    others = RecoveryGroup.objects.filter(organization_id=organization_id, slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def group_create(*, actor: User, data: dict[str, Any], now: datetime | None = None) -> RecoveryGroup:
    group_manage_require(user=actor)
    clean = _clean_group_data(data, partial=False)
    group = RecoveryGroup(organization_id=actor.org_id, created_by=actor, **clean)
    group.slug = _unique_slug(organization_id=actor.org_id, name=group.name)
    _check_mode_fields(group)
    _check_schedule_produces_meetings(group)
    group.save()
    if data.get("facilitators") is not None:
        group.facilitators.set(_facilitators_resolve(actor=actor, ids=data["facilitators"]))
    if data.get("meeting_types") is not None:
        group.meeting_types.set(_meeting_types_resolve(data["meeting_types"]))
    sessions_materialize(group=group, since=now or timezone.now(), until=(now or timezone.now()) + timedelta(days=HORIZON_DAYS))
    audit_record(actor=actor, action="group.create", target=group, changes={"name": group.name, "rrule": group.rrule})
    return group


@transaction.atomic
def group_update(*, actor: User, group: RecoveryGroup, data: dict[str, Any], now: datetime | None = None) -> RecoveryGroup:
    """Change a group. A schedule change regenerates future sessions only: past sessions and
    their attendance stay, and cancelled or moved occurrences survive."""
    group_change_require(user=actor, group=group)
    now = now or timezone.now()
    group = RecoveryGroup.objects.select_for_update().get(pk=group.pk)
    clean = _clean_group_data(data, partial=True)
    changed: dict[str, Any] = {}
    for name in GROUP_FIELDS:
        if name in clean and getattr(group, name) != clean[name]:
            changed[name] = [str(getattr(group, name)), str(clean[name])]
            setattr(group, name, clean[name])
    _check_mode_fields(group)
    _check_schedule_produces_meetings(group)
    if "name" in changed:
        group.slug = _unique_slug(organization_id=group.organization_id, name=group.name, exclude_pk=group.pk)
    schedule_changed = any(name in changed for name in SCHEDULE_FIELDS)
    if schedule_changed or "duration_minutes" in changed:
        group.schedule_version += 1
    if schedule_changed:
        group.series_start = now
    group.updated_at = now
    group.save()
    if data.get("facilitators") is not None:
        group.facilitators.set(_facilitators_resolve(actor=actor, ids=data["facilitators"]))
        changed["facilitators"] = sorted(int(x) for x in data["facilitators"])
    if data.get("meeting_types") is not None:
        group.meeting_types.set(_meeting_types_resolve(data["meeting_types"]))
        changed["meeting_types"] = sorted(str(x) for x in data["meeting_types"])
    if schedule_changed:
        sessions_regenerate(group=group, now=now)
    elif "duration_minutes" in changed:
        Session.objects.filter(group=group, starts_at__gt=now, moved=False).update(
            ends_at=F("starts_at") + timedelta(minutes=group.duration_minutes), updated_at=now
        )
    if "capacity" in changed:
        waitlist_promote(group=group, actor=actor)
    if changed:
        audit_record(actor=actor, action="group.update", target=group, changes=changed)
    return group


@transaction.atomic
def group_archive(*, actor: User, group: RecoveryGroup) -> RecoveryGroup:
    """End a group: future sessions go, history stays; it leaves the directory and calendars."""
    group_change_require(user=actor, group=group)
    now = timezone.now()
    RecoveryGroup.objects.filter(pk=group.pk).update(archived_at=now)
    Session.objects.filter(group=group, starts_at__gt=now, status=SessionStatus.SCHEDULED).delete()
    group.archived_at = now
    audit_record(actor=actor, action="group.archive", target=group)
    return group
