"""Writes of the groups app: every state change goes through a function here (STYLE.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from checkins.services import risk_flags_open_for_missed_sessions, risk_flags_resolve_for_attendance
from common.errors import Conflict, Invalid, NotAllowed
from members.choices import Role
from members.models import Organization, User
from members.services import audit_record
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from notifications.services import notification_create

from . import recurrence
from .meeting_types import meeting_types_ensure
from .models import (
    Attendance,
    AttendanceMode,
    AttendanceStatus,
    CalendarFeed,
    Enrollment,
    EnrollmentStatus,
    Kind,
    MeetingType,
    RecoveryGroup,
    Session,
    SessionStatus,
    Visibility,
)
from .selectors import can_manage_group, clients_missed_last_two_sessions

HORIZON_DAYS = 90
NOT_RECORDED = "not_recorded"
MANAGER_ROLES = (Role.CLINICIAN, Role.STAFF)
SCHEDULE_FIELDS = ("rrule", "start_date", "start_time", "timezone")
GROUP_FIELDS = (
    "name",
    "kind",
    "description",
    "capacity",
    "visibility",
    "attendance_mode",
    "location",
    "conference_url",
    "conference_phone",
    "timezone",
    "rrule",
    "start_date",
    "start_time",
    "duration_minutes",
)


# --- groups and their schedule ------------------------------------------------------------


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
    for name in ("description", "location", "conference_url", "conference_phone"):
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
    if group.attendance_mode in (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID) and not group.location:
        raise Invalid("In-person groups need an address.", field="location")


def _facilitators_resolve(*, actor: User, ids: Iterable[Any]) -> list[User]:
    try:
        wanted = {int(pk) for pk in ids}
    except (TypeError, ValueError):
        raise Invalid("Facilitators are user ids.", field="facilitators") from None
    users = list(
        User.objects.filter(
            pk__in=wanted,
            organization_id=actor.organization_id,
            is_active=True,
            role__in=[Role.MENTOR, Role.CLINICIAN, Role.STAFF],
        )
    )
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


def _require_manager(actor: User) -> None:
    if actor.role not in MANAGER_ROLES:
        raise NotAllowed("Only clinicians and program staff create and change groups.")


@transaction.atomic
def group_create(*, actor: User, data: dict[str, Any], now: datetime | None = None) -> RecoveryGroup:
    _require_manager(actor)
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
    _require_manager(actor)
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
        _waitlist_promote(group=group, actor=actor)
    if changed:
        audit_record(actor=actor, action="group.update", target=group, changes=changed)
    return group


@transaction.atomic
def group_archive(*, actor: User, group: RecoveryGroup) -> RecoveryGroup:
    """End a group: future sessions go, history stays; it leaves the directory and calendars."""
    _require_manager(actor)
    now = timezone.now()
    RecoveryGroup.objects.filter(pk=group.pk).update(archived_at=now)
    Session.objects.filter(group=group, starts_at__gt=now, status=SessionStatus.SCHEDULED).delete()
    group.archived_at = now
    audit_record(actor=actor, action="group.archive", target=group)
    return group


# --- sessions ---------------------------------------------------------------------------------


def _session_rows(group: RecoveryGroup, starts: Iterable[datetime], now: datetime) -> list[Session]:
    length = timedelta(minutes=group.duration_minutes)
    return [
        Session(
            organization_id=group.organization_id,
            group_id=group.pk,
            original_start=at,
            starts_at=at,
            ends_at=at + length,
            updated_at=now,
        )
        for at in starts
    ]


def sessions_materialize(*, group: RecoveryGroup, since: datetime, until: datetime) -> int:
    """Create the group's occurrences in [since, until) that do not exist yet (idempotent)."""
    starts = recurrence.occurrences_between(
        rule=group.rrule, start_local=group.start_local, zone=group.timezone, after=since, before=until
    )
    rows = _session_rows(group, starts, timezone.now())
    if rows:
        Session.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if group.materialized_until is None or group.materialized_until < until:
        RecoveryGroup.objects.filter(pk=group.pk).update(materialized_until=until)
        group.materialized_until = until
    return len(rows)


def sessions_regenerate(*, group: RecoveryGroup, now: datetime) -> None:
    """After a schedule change: drop future plain occurrences the new rule no longer has, fix the
    ends of those it keeps, add the new ones. Past sessions are not touched; cancelled and moved
    ones keep their original start and stay."""
    horizon = max(group.materialized_until or now, now + timedelta(days=HORIZON_DAYS))
    wanted = set(
        recurrence.occurrences_between(
            rule=group.rrule, start_local=group.start_local, zone=group.timezone, after=now, before=horizon
        )
    )
    future_plain = Session.objects.filter(
        group=group, original_start__gt=now, starts_at__gt=now, status=SessionStatus.SCHEDULED, moved=False
    )
    existing = dict(future_plain.values_list("original_start", "pk"))
    stale = [pk for start, pk in existing.items() if start not in wanted]
    if stale:
        Session.objects.filter(pk__in=stale).delete()
    future_plain.update(ends_at=F("starts_at") + timedelta(minutes=group.duration_minutes), updated_at=now)
    # Occurrences already present (kept, cancelled or moved) are skipped by the unique constraint.
    Session.objects.bulk_create(_session_rows(group, sorted(wanted), now), ignore_conflicts=True, batch_size=1000)
    RecoveryGroup.objects.filter(pk=group.pk).update(materialized_until=horizon)
    group.materialized_until = horizon


def sessions_extend_horizon(*, now: datetime | None = None, days: int = HORIZON_DAYS, organization_id: int | None = None) -> int:
    """The rolling horizon (beat): every active group gets sessions up to now + days. Set-based:
    one read of the groups, bulk inserts, one update per distinct horizon."""
    now = now or timezone.now()
    until = now + timedelta(days=days)
    active = RecoveryGroup.objects.filter(archived_at__isnull=True)
    if organization_id is not None:
        active = active.filter(organization_id=organization_id)
    groups = list(
        active.filter(Q(materialized_until__isnull=True) | Q(materialized_until__lt=until)).only(
            "pk", "organization_id", "rrule", "start_date", "start_time", "timezone", "duration_minutes", "materialized_until"
        )
    )
    rows: list[Session] = []
    for group in groups:
        since = group.materialized_until or now
        starts = recurrence.occurrences_between(
            rule=group.rrule, start_local=group.start_local, zone=group.timezone, after=since, before=until
        )
        rows.extend(_session_rows(group, starts, now))
    with transaction.atomic():
        Session.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        RecoveryGroup.objects.filter(pk__in=[g.pk for g in groups]).update(materialized_until=until)
    return len(rows)


def _can_run_session(actor: User, group: RecoveryGroup, *, staff_ok: bool) -> bool:
    if actor.organization_id != group.organization_id:
        return False
    if actor.role == Role.CLINICIAN or (staff_ok and actor.role == Role.STAFF):
        return True
    return group.facilitators.filter(pk=actor.pk).exists()


@transaction.atomic
def session_cancel(*, actor: User, session: Session, reason: str = "") -> Session:
    """Cancel one occurrence (it keeps its original start) and tell its enrolled members."""
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    group = session.group
    if not _can_run_session(actor, group, staff_ok=True):
        raise NotAllowed("Only the group's facilitators, clinicians and staff cancel sessions.")
    if session.status == SessionStatus.CANCELLED:
        raise Conflict("This session is already cancelled.")
    if session.starts_at <= timezone.now():
        raise Invalid("This session has already started; it cannot be cancelled.", field="session")
    reason = (reason or "").strip()[:300]
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason
    session.sequence += 1
    session.updated_at = timezone.now()
    session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    members = User.objects.filter(
        group_enrollments__group=group, group_enrollments__status=EnrollmentStatus.ENROLLED, is_active=True
    ).only("pk", "timezone", "organization_id", "is_active", "phone")
    url = reverse("my-groups")
    for member in members:
        local = session.starts_at.astimezone(ZoneInfo(member.timezone))
        when = local.strftime("%A %B %-d at %-I:%M %p").replace(":00 ", " ")
        notification_create(
            recipient=member,
            kind=NotificationKind.SESSION_CANCELLED,
            title=f"{group.name} on {when} is cancelled",
            body=reason or "The facilitator cancelled this session.",
            url=url,
            dedupe_key=f"groups:session-cancelled:{session.pk}:{member.pk}",
            payload={"group": group.pk, "session": session.pk},
        )
    audit_record(actor=actor, action="session.cancel", target=session, changes={"reason": reason})
    return session


@transaction.atomic
def session_move(*, actor: User, session: Session, starts_at: datetime, ends_at: datetime | None = None) -> Session:
    """Move one occurrence. It keeps its original start, so regeneration leaves it alone and the
    calendar shows it as an override (RECURRENCE-ID)."""
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    if not _can_run_session(actor, session.group, staff_ok=True):
        raise NotAllowed("Only the group's facilitators, clinicians and staff move sessions.")
    if session.status == SessionStatus.CANCELLED:
        raise Conflict("This session is cancelled.")
    if starts_at.tzinfo is None:
        raise Invalid("Give the new start with an offset.", field="starts_at")
    if ends_at is None:
        ends_at = starts_at + (session.ends_at - session.starts_at)
    if ends_at <= starts_at:
        raise Invalid("The session must end after it starts.", field="ends_at")
    old = session.starts_at
    session.starts_at, session.ends_at = starts_at, ends_at
    session.moved = True
    session.sequence += 1
    session.updated_at = timezone.now()
    session.save(update_fields=["starts_at", "ends_at", "moved", "sequence", "updated_at"])
    audit_record(
        actor=actor, action="session.move", target=session, changes={"starts_at": [old.isoformat(), starts_at.isoformat()]}
    )
    return session


# --- enrollment and the waitlist --------------------------------------------------------------


@dataclass(frozen=True)
class EnrollmentResult:
    enrollment: Enrollment
    position: int | None


def _waitlist_position(enrollment: Enrollment) -> int | None:
    if enrollment.status != EnrollmentStatus.WAITLISTED or enrollment.waitlist_seq is None:
        return None
    return Enrollment.objects.filter(
        group_id=enrollment.group_id, status=EnrollmentStatus.WAITLISTED, waitlist_seq__lte=enrollment.waitlist_seq
    ).count()


def _require_self_or_manager(*, actor: User, group: RecoveryGroup, member: User) -> None:
    """People join and leave for themselves; only clinicians and staff enroll or remove others."""
    if actor.pk != member.pk and not can_manage_group(user=actor, group=group):
        raise NotAllowed("Only clinicians and staff enroll or remove other people.")


@transaction.atomic
def enrollment_join(*, actor: User, group: RecoveryGroup, member: User) -> EnrollmentResult:
    """Take a seat, or the next place on the waitlist when the group is full. The group row lock
    serializes joins, so two people taking the last seat at once get one seat and one place."""
    if member.organization_id != group.organization_id:
        raise Invalid("This person is not in your program.", field="member")
    _require_self_or_manager(actor=actor, group=group, member=member)
    locked = RecoveryGroup.objects.select_for_update().get(pk=group.pk)
    if locked.archived_at is not None:
        raise Conflict("This group has ended.")
    now = timezone.now()
    enrollment = Enrollment.objects.filter(group=locked, member=member).first()
    if enrollment is not None and enrollment.status in (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED):
        raise Conflict("Already in this group." if enrollment.status == EnrollmentStatus.ENROLLED else "Already on the waitlist.")
    if actor.pk == member.pk and locked.visibility == Visibility.CLOSED and actor.role not in MANAGER_ROLES:
        raise NotAllowed("Members of this group are enrolled by the care team.")
    if enrollment is None:
        enrollment = Enrollment(organization_id=locked.organization_id, group=locked, member=member)
    seated = Enrollment.objects.filter(group=locked, status=EnrollmentStatus.ENROLLED).count()
    waiting = Enrollment.objects.filter(group=locked, status=EnrollmentStatus.WAITLISTED).exists()
    enrollment.added_by = actor if actor.pk != member.pk else None
    enrollment.left_at = None
    enrollment.updated_at = now
    if (locked.capacity is None or seated < locked.capacity) and not waiting:
        enrollment.status = EnrollmentStatus.ENROLLED
        enrollment.enrolled_at = now
        enrollment.waitlist_seq = None
    else:
        locked.waitlist_counter += 1
        RecoveryGroup.objects.filter(pk=locked.pk).update(waitlist_counter=locked.waitlist_counter)
        enrollment.status = EnrollmentStatus.WAITLISTED
        enrollment.waitlisted_at = now
        enrollment.waitlist_seq = locked.waitlist_counter
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        raise Conflict("Already in this group.") from None
    audit_record(
        actor=actor,
        action="group.enroll" if enrollment.status == EnrollmentStatus.ENROLLED else "group.waitlist",
        target=enrollment,
        client=member if member.role == Role.CLIENT else None,
        changes={"group": locked.pk, "member": member.pk},
    )
    return EnrollmentResult(enrollment=enrollment, position=_waitlist_position(enrollment))


def _waitlist_promote(*, group: RecoveryGroup, actor: User | None) -> list[Enrollment]:
    """Seat the head of the waitlist while there is room. Caller holds the group row lock."""
    promoted: list[Enrollment] = []
    capacity = RecoveryGroup.objects.filter(pk=group.pk).values_list("capacity", flat=True).get()
    seated = Enrollment.objects.filter(group_id=group.pk, status=EnrollmentStatus.ENROLLED).count()
    room = None if capacity is None else max(capacity - seated, 0)
    queue = Enrollment.objects.filter(group_id=group.pk, status=EnrollmentStatus.WAITLISTED).select_related("member")
    heads = list(queue.order_by("waitlist_seq")[:room] if room is not None else queue.order_by("waitlist_seq"))
    now = timezone.now()
    for head in heads:
        head.status = EnrollmentStatus.ENROLLED
        head.enrolled_at = now
        head.waitlist_seq = None
        head.updated_at = now
        head.save(update_fields=["status", "enrolled_at", "waitlist_seq", "updated_at"])
        notification_create(
            recipient=head.member,
            kind=NotificationKind.WAITLIST_PROMOTED,
            title=f"You have a seat in {group.name}",
            body="A place opened up and you are now enrolled. See you at the next session.",
            url=reverse("my-groups"),
            dedupe_key=f"groups:waitlist-promoted:{head.pk}:{now.isoformat()}",
            payload={"group": group.pk},
        )
        audit_record(
            actor=actor,
            action="group.waitlist_promote",
            target=head,
            client=head.member if head.member.role == Role.CLIENT else None,
            changes={"group": group.pk},
        )
        promoted.append(head)
    return promoted


@transaction.atomic
def enrollment_leave(*, actor: User, group: RecoveryGroup, member: User) -> list[Enrollment]:
    """Leave (or be removed from) a group; the head of the waitlist takes the seat, atomically.
    Returns who was promoted."""
    _require_self_or_manager(actor=actor, group=group, member=member)
    locked = RecoveryGroup.objects.select_for_update().get(pk=group.pk)
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(group=locked, member=member, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED])
        .first()
    )
    if enrollment is None:
        raise Conflict("Not in this group.")
    was_seated = enrollment.status == EnrollmentStatus.ENROLLED
    now = timezone.now()
    enrollment.status = EnrollmentStatus.LEFT
    enrollment.waitlist_seq = None
    enrollment.left_at = now
    enrollment.updated_at = now
    enrollment.save(update_fields=["status", "waitlist_seq", "left_at", "updated_at"])
    audit_record(
        actor=actor,
        action="group.leave" if actor.pk == member.pk else "group.remove",
        target=enrollment,
        client=member if member.role == Role.CLIENT else None,
        changes={"group": locked.pk, "member": member.pk},
    )
    return _waitlist_promote(group=locked, actor=actor) if was_seated else []


# --- attendance -------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor: User, session: Session, entries: Sequence[dict[str, Any]]) -> list[Attendance]:
    """Record a whole session's attendance in one go (idempotent upsert). `not_recorded` clears a
    row. Excused may be recorded ahead; present/late/absent only once the session has started."""
    session = Session.objects.select_related("group").get(pk=session.pk)
    group = session.group
    if not _can_run_session(actor, group, staff_ok=False):
        raise NotAllowed("Only the group's facilitators and clinicians record attendance.")
    if session.status == SessionStatus.CANCELLED:
        raise Invalid("This session was cancelled.", field="session")
    now = timezone.now()
    seen: set[int] = set()
    parsed: list[tuple[int, str, str]] = []
    for index, entry in enumerate(entries):
        try:
            member_id = int(entry.get("member"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise Invalid(f"Row {index + 1}: member must be a user id.", field="member") from None
        status = entry.get("status")
        if status not in (*AttendanceStatus.values, NOT_RECORDED):
            raise Invalid(f"Row {index + 1}: status must be present, late, absent or excused.", field="status")
        if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT) and session.starts_at > now:
            raise Invalid("Present, late and absent can be recorded once the session has started.", field="status")
        if member_id in seen:
            raise Invalid(f"Row {index + 1}: this member is listed twice.", field="member")
        seen.add(member_id)
        parsed.append((member_id, str(status), str(entry.get("note") or "")[:500]))
    allowed = set(
        Enrollment.objects.filter(group=group, member_id__in=seen, status=EnrollmentStatus.ENROLLED).values_list(
            "member_id", flat=True
        )
    ) | set(Attendance.objects.filter(session=session, member_id__in=seen).values_list("member_id", flat=True))
    if missing := seen - allowed:
        raise Invalid(f"Not enrolled in this group: {', '.join(str(m) for m in sorted(missing))}.", field="member")
    clear = [m for m, status, _ in parsed if status == NOT_RECORDED]
    if clear:
        Attendance.objects.filter(session=session, member_id__in=clear).delete()
    rows = [
        Attendance(
            organization_id=session.organization_id,
            session=session,
            member_id=member_id,
            status=status,
            note=note,
            recorded_by=actor,
            recorded_at=now,
        )
        for member_id, status, note in parsed
        if status != NOT_RECORDED
    ]
    if rows:
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["session", "member"],
            update_fields=["status", "note", "recorded_by", "recorded_at"],
        )
    # Came again (present or late): a "missed two sessions in a row" flag is over.
    attended = {m for m, status, _ in parsed if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)}
    if attended:
        risk_flags_resolve_for_attendance(organization_id=session.organization_id, client_ids=attended)
    audit_record(
        actor=actor,
        action="attendance.record",
        target=session,
        changes={"entries": [{"member": m, "status": s} for m, s, _ in parsed]},
    )
    return list(Attendance.objects.filter(session=session).order_by("member_id"))


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


# --- planners (beat) --------------------------------------------------------------------------

# (label, how long before the start). Each reminder is due from `before` ahead of the start until
# the next smaller offset takes over, so a missed beat run catches up without a late member
# getting a "tomorrow" reminder and a "in an hour" reminder together.
SESSION_REMINDER_OFFSETS: tuple[tuple[str, timedelta], ...] = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


def _reminder_when(starts_at: datetime, zone: str) -> str:
    local = starts_at.astimezone(ZoneInfo(zone))
    return local.strftime("%A %B %-d at %-I:%M %p").replace(":00 ", " ") + f" ({local.tzname()})"


def _reminder_where(group: RecoveryGroup) -> str:
    parts = []
    if group.is_in_person and group.location:
        parts.append(f"Where: {group.location}")
    if group.is_online and group.conference_url:
        parts.append(f"Join online: {group.conference_url}")
    if group.is_online and group.conference_phone:
        parts.append(f"By phone: {group.conference_phone}")
    return "\n".join(parts) or "Your facilitator will share where to meet."


def _reminder_key(session: Session, member_id: int, label: str) -> str:
    # The start time is part of the key: a moved session is reminded again at its new time.
    return f"groups:session-reminder:{session.pk}:{member_id}:{label}:{int(session.starts_at.timestamp())}"


def session_reminders_plan(*, now: datetime | None = None) -> int:
    """Remind enrolled members of their group sessions 24 h and 1 h ahead (unless they turned
    group reminders off). Two queries per offset find everything due; the dedupe key holds the
    session, the member, the offset and the start time, so a re-run sends nothing twice, a
    moved session reminds again at its new time, and a cancelled or started one sends nothing."""
    now = now or timezone.now()
    created = 0
    url = reverse("my-groups")
    windows = [*SESSION_REMINDER_OFFSETS[1:], ("", timedelta(0))]
    for (label, before), (_, until) in zip(SESSION_REMINDER_OFFSETS, windows, strict=True):
        sessions = {
            s.pk: s
            for s in Session.objects.filter(
                status=SessionStatus.SCHEDULED,
                group__archived_at__isnull=True,
                starts_at__gt=now + until,
                starts_at__lte=now + before,
            ).select_related("group")
        }
        if not sessions:
            continue
        by_group: dict[int, list[Session]] = {}
        for s in sessions.values():
            by_group.setdefault(s.group_id, []).append(s)
        enrollments = (
            Enrollment.objects.filter(
                group_id__in=by_group,
                status=EnrollmentStatus.ENROLLED,
                member__is_active=True,
                member__organization_id=F("organization_id"),
            )
            .exclude(member__notification_preference__group_reminders=False)
            .select_related("member")
        )
        due = [
            (enrollment.member, session, _reminder_key(session, enrollment.member_id, label))
            for enrollment in enrollments
            for session in by_group[enrollment.group_id]
        ]
        # One query skips what an earlier run already sent: a re-run costs no per-member work.
        sent = set(Notification.objects.filter(dedupe_key__in=[key for *_, key in due]).values_list("dedupe_key", flat=True))
        lead = "Coming up" if label == "24h" else "In an hour"
        for member, session, key in due:
            if key in sent:
                continue
            group = session.group
            created += (
                notification_create(
                    recipient=member,
                    kind=NotificationKind.SESSION_REMINDER,
                    title=f"{lead}: {group.name}, {_reminder_when(session.starts_at, member.timezone)}",
                    body=_reminder_where(group),
                    url=url,
                    payload={"group": group.pk, "session": session.pk, "offset": label},
                    dedupe_key=key,
                    stale_after=session.starts_at,
                )
                is not None
            )
    return created


def missed_sessions_flags_plan(*, now: datetime | None = None) -> int:
    """Open `missed_2_sessions` for clients absent from their last two recorded sessions, one
    organization at a time (the checkins app owns the flags and tells the mentor once)."""
    opened = 0
    for organization_id in Organization.objects.order_by("pk").values_list("pk", flat=True):
        client_ids = clients_missed_last_two_sessions(organization_id=organization_id, now=now)
        if client_ids:
            opened += risk_flags_open_for_missed_sessions(organization_id=organization_id, client_ids=client_ids)
    return opened
