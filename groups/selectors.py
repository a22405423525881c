"""Reads of the groups app, always scoped by the viewer's organization and role (STYLE.md).
Each selector owns its select_related/prefetch and runs a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from common.errors import NotVisible
from members.access import client_scopes_for_many
from members.choices import ConsentScope, Role
from members.models import User

from . import recurrence
from .models import (
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Enrollment,
    EnrollmentStatus,
    RecoveryGroup,
    Session,
    SessionStatus,
    Visibility,
)

SEES_ALL_GROUPS = (Role.CLINICIAN, Role.STAFF)


# --- groups -----------------------------------------------------------------------------------


def groups_visible_to(
    *, viewer: User, kind: str | None = None, attendance_mode: str | None = None, day: int | None = None
) -> QuerySet[RecoveryGroup]:
    """Groups the viewer may see: clinicians and staff all of their program's; everyone else the
    public and program-wide ones plus closed groups they are in or facilitate."""
    if viewer.organization_id is None or not viewer.is_active:
        return RecoveryGroup.objects.none()
    qs = RecoveryGroup.objects.filter(organization_id=viewer.org_id, archived_at__isnull=True)
    if viewer.role not in SEES_ALL_GROUPS:
        mine = Enrollment.objects.filter(
            group=OuterRef("pk"), member=viewer, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED]
        )
        qs = qs.filter(
            Q(visibility__in=[Visibility.PUBLIC, Visibility.ORGANIZATION]) | Exists(mine) | Q(facilitators=viewer)
        ).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if attendance_mode:
        qs = qs.filter(attendance_mode=attendance_mode)
    if day is not None:
        code = recurrence.DAY_CODES[day]
        qs = qs.filter(
            Q(rrule__regex=rf"BYDAY=[^;]*{code}")
            | (Q(rrule__startswith="FREQ=DAILY") & ~Q(rrule__contains="BYDAY"))
            | (Q(rrule__startswith="FREQ=WEEKLY") & ~Q(rrule__contains="BYDAY") & Q(start_date__week_day=day + 1))
        )
    return qs.order_by("name", "pk")


def group_directory(
    *, viewer: User, kind: str | None = None, attendance_mode: str | None = None, day: int | None = None
) -> QuerySet[RecoveryGroup]:
    """The directory and API list: groups with seat counts, the viewer's own status and the
    next session, in a constant number of queries."""
    now = timezone.now()
    mine = Enrollment.objects.filter(group=OuterRef("pk"), member=viewer).values("status")[:1]
    return (
        groups_visible_to(viewer=viewer, kind=kind, attendance_mode=attendance_mode, day=day)
        .annotate(
            seated=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED), distinct=True),
            waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED), distinct=True),
        )
        .annotate(my_status=Subquery(mine))
        .prefetch_related(
            "meeting_types",
            "facilitators",
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(starts_at__gte=now, status=SessionStatus.SCHEDULED).order_by("starts_at")[:3],
                to_attr="upcoming",
            ),
        )
    )


def group_get_for_viewer(*, viewer: User, group_id: int | str) -> RecoveryGroup:
    try:
        pk = int(group_id)
    except (TypeError, ValueError):
        raise NotVisible() from None
    group = groups_visible_to(viewer=viewer).filter(pk=pk).prefetch_related("facilitators", "meeting_types").first()
    if group is None:
        raise NotVisible()
    return group


def is_facilitator(*, user: User, group: RecoveryGroup) -> bool:
    return any(f.pk == user.pk for f in group.facilitators.all())


def can_manage_group(*, user: User, group: RecoveryGroup) -> bool:
    return user.organization_id == group.organization_id and user.role in SEES_ALL_GROUPS


def can_view_roster(*, user: User, group: RecoveryGroup) -> bool:
    return can_manage_group(user=user, group=group) or is_facilitator(user=user, group=group)


def can_take_attendance(*, user: User, group: RecoveryGroup) -> bool:
    return user.organization_id == group.organization_id and (
        user.role == Role.CLINICIAN or is_facilitator(user=user, group=group)
    )


def groups_for_manager(*, viewer: User) -> QuerySet[RecoveryGroup]:
    """Groups a clinician or staff member runs the program with (others: the ones they facilitate)."""
    qs = RecoveryGroup.objects.filter(organization_id=viewer.org_id, archived_at__isnull=True)
    if viewer.role not in SEES_ALL_GROUPS:
        qs = qs.filter(facilitators=viewer)
    now = timezone.now()
    return (
        qs.annotate(
            seated=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED), distinct=True),
            waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED), distinct=True),
        )
        .prefetch_related(
            "facilitators",
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(starts_at__gte=now - timedelta(hours=3)).order_by("starts_at")[:1],
                to_attr="upcoming",
            ),
        )
        .order_by("name", "pk")
    )


# --- sessions ---------------------------------------------------------------------------------


def group_sessions(*, group: RecoveryGroup, start: datetime, end: datetime) -> QuerySet[Session]:
    return Session.objects.filter(group=group, starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")


def session_get_for_viewer(*, viewer: User, session_id: int | str) -> Session:
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        raise NotVisible() from None
    session = (
        Session.objects.filter(pk=pk, group__in=groups_visible_to(viewer=viewer).values("pk"))
        .select_related("group")
        .prefetch_related("group__facilitators")
        .first()
    )
    if session is None:
        raise NotVisible()
    return session


def group_recent_sessions(*, group: RecoveryGroup, now: datetime | None = None, past: int = 6, ahead: int = 3) -> list[Session]:
    now = now or timezone.now()
    before = list(Session.objects.filter(group=group, starts_at__lte=now).order_by("-starts_at")[:past])
    after = list(Session.objects.filter(group=group, starts_at__gt=now).order_by("starts_at")[:ahead])
    return [*reversed(before), *after]


# --- roster and attendance --------------------------------------------------------------------


@dataclass
class RosterRow:
    member: User
    status: str
    position: int | None
    present: int = 0
    late: int = 0
    absent: int = 0
    excused: int = 0
    history: list[str | None] = field(default_factory=list)

    @property
    def attendance_rate(self) -> float | None:
        return attendance_rate(present=self.present, late=self.late, absent=self.absent)


def attendance_rate(*, present: int, late: int, absent: int) -> float | None:
    """(present + late) ÷ sessions with recorded attendance, excused excluded (DESIGN.md)."""
    counted = present + late + absent
    return round((present + late) / counted, 3) if counted else None


def _attendance_counts(
    *, group_ids: Sequence[int], member_ids: Sequence[int] | None = None
) -> dict[tuple[int, int], dict[str, int]]:
    qs = Attendance.objects.filter(session__group_id__in=group_ids, session__status=SessionStatus.SCHEDULED)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    rows = qs.values("session__group_id", "member_id").annotate(
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        late=Count("pk", filter=Q(status=AttendanceStatus.LATE)),
        absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
    )
    return {(r["session__group_id"], r["member_id"]): {k: r[k] for k in ("present", "late", "absent", "excused")} for r in rows}


def group_roster(*, group: RecoveryGroup, history_sessions: Sequence[Session] = ()) -> list[RosterRow]:
    """Enrolled members (by name), then the waitlist in order, each with attendance counts and
    rate; with `history_sessions`, each row also carries its status in those sessions. Three
    queries whatever the group's size or history."""
    enrollments = list(
        Enrollment.objects.filter(group=group, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED])
        .select_related("member")
        .order_by("status", "waitlist_seq", "member__display_name", "member_id")
    )
    counts = _attendance_counts(group_ids=[group.pk])
    marks: dict[tuple[int, int], str] = {}
    if history_sessions:
        marks = {
            (a["session_id"], a["member_id"]): a["status"]
            for a in Attendance.objects.filter(session__in=[s.pk for s in history_sessions]).values(
                "session_id", "member_id", "status"
            )
        }
    rows: list[RosterRow] = []
    position = 0
    seated = [e for e in enrollments if e.status == EnrollmentStatus.ENROLLED]
    waiting = sorted((e for e in enrollments if e.status == EnrollmentStatus.WAITLISTED), key=lambda e: e.waitlist_seq or 0)
    for enrollment in [*seated, *waiting]:
        if enrollment.status == EnrollmentStatus.WAITLISTED:
            position += 1
        c = counts.get((group.pk, enrollment.member_id), {})
        rows.append(
            RosterRow(
                member=enrollment.member,
                status=enrollment.status,
                position=position if enrollment.status == EnrollmentStatus.WAITLISTED else None,
                present=c.get("present", 0),
                late=c.get("late", 0),
                absent=c.get("absent", 0),
                excused=c.get("excused", 0),
                history=[marks.get((s.pk, enrollment.member_id)) for s in history_sessions],
            )
        )
    return rows


@dataclass
class SheetRow:
    member: User
    status: str | None
    note: str


def session_attendance_sheet(*, session: Session) -> list[SheetRow]:
    """One row per enrolled member (plus anyone already recorded), with what is recorded."""
    recorded = {a.member_id: a for a in Attendance.objects.filter(session=session).select_related("member")}
    enrolled = list(
        User.objects.filter(group_enrollments__group_id=session.group_id, group_enrollments__status=EnrollmentStatus.ENROLLED)
    )
    people = {u.pk: u for u in enrolled}
    for a in recorded.values():
        people.setdefault(a.member_id, a.member)
    ordered = sorted(people.values(), key=lambda u: (u.display_name.lower(), u.pk))
    return [
        SheetRow(
            member=u,
            status=recorded[u.pk].status if u.pk in recorded else None,
            note=recorded[u.pk].note if u.pk in recorded else "",
        )
        for u in ordered
    ]


def enrollment_candidates(*, group: RecoveryGroup) -> QuerySet[User]:
    """People a clinician or staff member may add: active members of the program (clients, and
    family for family groups; mentors too) who are not in the group or on its waitlist."""
    roles = [Role.CLIENT, Role.MENTOR] + ([Role.FAMILY] if group.kind == "family" else [])
    inside = Enrollment.objects.filter(group=group, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED]).values(
        "member_id"
    )
    return (
        User.objects.filter(organization_id=group.organization_id, is_active=True, role__in=roles)
        .exclude(pk__in=inside)
        .order_by("display_name", "pk")
    )


def enrollment_position(*, enrollment: Enrollment) -> int | None:
    if enrollment.status != EnrollmentStatus.WAITLISTED or enrollment.waitlist_seq is None:
        return None
    return Enrollment.objects.filter(
        group_id=enrollment.group_id, status=EnrollmentStatus.WAITLISTED, waitlist_seq__lte=enrollment.waitlist_seq
    ).count()


# --- a member's own groups --------------------------------------------------------------------


@dataclass
class MyGroup:
    group: RecoveryGroup
    status: str
    position: int | None
    upcoming: list[Session]
    attendance_rate: float | None


def member_groups(*, user: User, upcoming: int = 3, now: datetime | None = None) -> list[MyGroup]:
    now = now or timezone.now()
    enrollments = list(
        Enrollment.objects.filter(
            member=user, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED], group__archived_at__isnull=True
        )
        .select_related("group")
        .prefetch_related(
            Prefetch(
                "group__sessions",
                queryset=Session.objects.filter(starts_at__gte=now - timedelta(hours=2)).order_by("starts_at")[:upcoming],
                to_attr="upcoming",
            )
        )
        .order_by("group__name")
    )
    # Waitlist positions: one query for all the member's waitlists.
    my_seq = {w.group_id: w.waitlist_seq or 0 for w in enrollments if w.status == EnrollmentStatus.WAITLISTED}
    ahead: dict[int, int] = {}
    if my_seq:
        waiting = Enrollment.objects.filter(group_id__in=list(my_seq), status=EnrollmentStatus.WAITLISTED)
        for group_id, seq in waiting.values_list("group_id", "waitlist_seq"):
            if (seq or 0) <= my_seq[group_id]:
                ahead[group_id] = ahead.get(group_id, 0) + 1
    counts = _attendance_counts(group_ids=[e.group_id for e in enrollments], member_ids=[user.pk])
    out = []
    for e in enrollments:
        c = counts.get((e.group_id, user.pk), {})
        out.append(
            MyGroup(
                group=e.group,
                status=e.status,
                position=ahead.get(e.group_id) if e.status == EnrollmentStatus.WAITLISTED else None,
                upcoming=list(getattr(e.group, "upcoming", [])),
                attendance_rate=attendance_rate(present=c.get("present", 0), late=c.get("late", 0), absent=c.get("absent", 0)),
            )
        )
    return out


# --- risk flag for check-ins ------------------------------------------------------------------


def clients_missed_last_two_sessions(*, organization_id: int, now: datetime | None = None) -> set[int]:
    """Client user ids whose two most recent past recorded sessions, across the groups they are
    enrolled in, were both marked absent. One query (a window over attendance)."""
    now = now or timezone.now()
    enrolled = Enrollment.objects.filter(
        group_id=OuterRef("session__group_id"), member_id=OuterRef("member_id"), status=EnrollmentStatus.ENROLLED
    )
    ranked = (
        Attendance.objects.filter(
            organization_id=organization_id,
            member__role=Role.CLIENT,
            member__is_active=True,
            session__starts_at__lte=now,
            session__status=SessionStatus.SCHEDULED,
        )
        .filter(Exists(enrolled))
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("member_id")], order_by=[F("session__starts_at").desc(), F("session_id").desc()]
            )
        )
        .filter(recency__lte=2)
        .values_list("member_id", "status")
    )
    absences: dict[int, int] = defaultdict(int)
    for member_id, status in ranked:
        if status == AttendanceStatus.ABSENT:
            absences[member_id] += 1
    return {member_id for member_id, n in absences.items() if n == 2}


# --- summaries for other apps (client record, caseload) ---------------------------------------


def _clients_sharing_attendance(*, viewer: User, clients: Sequence[User]) -> set[int]:
    """Which of these clients the viewer may see attendance for (members.selectors rules)."""
    return {
        pk
        for pk, (_relation, scopes) in client_scopes_for_many(viewer=viewer, clients=clients).items()
        if ConsentScope.ATTENDANCE in scopes
    }


def client_group_summaries(viewer: User, clients: Sequence[User]) -> dict[int, dict[str, Any]]:
    """For members.client_records: next group session and overall attendance rate, only for
    clients who share attendance with the viewer. Constant number of queries."""
    ids = _clients_sharing_attendance(viewer=viewer, clients=clients)
    if not ids:
        return {}
    now = timezone.now()
    next_rows = (
        Session.objects.filter(
            starts_at__gt=now,
            status=SessionStatus.SCHEDULED,
            group__enrollments__member_id__in=ids,
            group__enrollments__status=EnrollmentStatus.ENROLLED,
        )
        .annotate(
            member_id=F("group__enrollments__member_id"),
            rank=Window(RowNumber(), partition_by=[F("group__enrollments__member_id")], order_by=[F("starts_at").asc()]),
        )
        .filter(rank=1)
        .values("member_id", "starts_at", "group__name", "group_id")
    )
    result: dict[int, dict[str, Any]] = {
        pk: {"next_group_session": None, "attendance_rate": None, "attendance_rate_30d": None} for pk in ids
    }
    for row in next_rows:
        result[row["member_id"]]["next_group_session"] = {
            "starts_at": row["starts_at"],
            "group": {"id": row["group_id"], "name": row["group__name"]},
        }
    recent = Q(session__starts_at__gte=now - timedelta(days=30))
    totals = (
        Attendance.objects.filter(member_id__in=ids, session__status=SessionStatus.SCHEDULED)
        .values("member_id")
        .annotate(
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            late=Count("pk", filter=Q(status=AttendanceStatus.LATE)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
            present_30d=Count("pk", filter=Q(status=AttendanceStatus.PRESENT) & recent),
            late_30d=Count("pk", filter=Q(status=AttendanceStatus.LATE) & recent),
            absent_30d=Count("pk", filter=Q(status=AttendanceStatus.ABSENT) & recent),
        )
    )
    for row in totals:
        result[row["member_id"]]["attendance_rate"] = attendance_rate(
            present=row["present"], late=row["late"], absent=row["absent"]
        )
        result[row["member_id"]]["attendance_rate_30d"] = attendance_rate(
            present=row["present_30d"], late=row["late_30d"], absent=row["absent_30d"]
        )
    return result


def sessions_attended_count(*, viewer: User, clients: Sequence[User], since: datetime, until: datetime) -> int:
    """Present or late marks between `since` and `until` of the clients who share attendance
    with `viewer` (for the weekly digest). Constant number of queries."""
    ids = _clients_sharing_attendance(viewer=viewer, clients=clients)
    if not ids:
        return 0
    return Attendance.objects.filter(
        member_id__in=ids,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE],
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gte=since,
        session__starts_at__lt=until,
    ).count()


def sessions_attended_counts(clients: Sequence[User], since: datetime) -> dict[int, int]:
    """Present or late marks since `since` per client, for checkins.providers (the weekly
    digest); the caller has already asked members.access who shares attendance. One query."""
    rows = (
        Attendance.objects.filter(
            member_id__in=[c.pk for c in clients],
            status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE],
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gte=since,
            session__starts_at__lt=timezone.now(),
        )
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    return {row["member_id"]: row["n"] for row in rows}


def member_group_export(user: User) -> dict[str, Any]:
    """Everything the groups app holds about `user`, for /me/export/."""
    return {
        "enrollments": [
            {
                "group": e.group.name,
                "status": e.status,
                "enrolled_at": e.enrolled_at,
                "waitlisted_at": e.waitlisted_at,
                "left_at": e.left_at,
            }
            for e in Enrollment.objects.filter(member=user).select_related("group").order_by("pk")
        ],
        "attendance": [
            {"group": a.session.group.name, "session_start": a.session.starts_at, "status": a.status, "note": a.note}
            for a in Attendance.objects.filter(member=user).select_related("session__group").order_by("session__starts_at")
        ],
        "facilitates": list(user.facilitated_groups.values_list("name", flat=True)),
        "calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
    }


# --- calendar and public feeds ------------------------------------------------------------------


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


def meeting_guide_feed(*, organization_id: int, page_url: str) -> list[dict[str, Any]]:
    """The organization's public weekly groups in the Meeting Guide (code4recovery) format: one
    entry per weekly day. No person is named: facilitators never appear."""
    meetings: list[dict[str, Any]] = []
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
            if group.is_in_person:
                entry["formatted_address"] = group.location
            if group.is_online:
                if group.conference_url:
                    entry["conference_url"] = group.conference_url
                if group.conference_phone:
                    entry["conference_phone"] = group.conference_phone
            entry["attendance_option"] = group.attendance_mode
            meetings.append(entry)
    return meetings
