"""The roster and the attendance sheet: who is in a group, and what their attendance was.

Who is enrolled is for those who run the group (selectors.groups.can_view_roster). A member's
attendance is her record (42 CFR Part 2): a client's rate, counts and history are shown only
where members.access says the viewer reads her `attendance` (her own consent: program staff,
her treating clinician, whoever she granted it), not merely because the viewer runs the group.
The one exception is the sheet of one session for its facilitator: she is in the room and
records it. Every read that shows a client is written to her access log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from members.access import access_log_record_many, client_ids_seeing
from members.choices import Role
from members.models import User

from ..models import Attendance, AttendanceStatus, Enrollment, EnrollmentStatus, RecoveryGroup, Session, SessionStatus
from ..scopes import ATTENDANCE, ROSTER_RESOURCE
from .groups import attendance_take_require, is_facilitator, roster_view_require


@dataclass
class RosterRow:
    member: User
    status: str
    position: int | None
    present: int | None = 0
    late: int | None = 0
    absent: int | None = 0
    excused: int | None = 0
    history: list[str | None] = field(default_factory=list)
    shared: bool = True  # False: the member does not share her attendance with this viewer

    @property
    def attendance_rate(self) -> float | None:
        if not self.shared:
            return None
        return attendance_rate(present=self.present or 0, late=self.late or 0, absent=self.absent or 0)


@dataclass
class SheetRow:
    member: User
    status: str | None
    note: str
    shared: bool = True


def attendance_rate(*, present: int, late: int, absent: int) -> float | None:
    """(present + late) ÷ sessions with recorded attendance, excused excluded (DESIGN.md)."""
    counted = present + late + absent
    return round((present + late) / counted, 3) if counted else None


def attendance_counts(
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


# --- whose attendance the viewer reads ----------------------------------------------------------


def attendance_readable(*, viewer: User, members: Iterable[User]) -> set[int]:
    """Which of `members` (people in a group the viewer runs) the viewer may read the group
    attendance of. Clients: only through members.access (at most three queries). People who
    are not clients (family members, mentors in a group) carry no consent record of their own;
    those who run the group read theirs, as before."""
    people = list(members)
    clients = [m for m in people if m.role == Role.CLIENT]
    readable = set(client_ids_seeing(viewer=viewer, clients=clients, kind=ATTENDANCE)) if clients else set()
    return readable | {m.pk for m in people if m.role != Role.CLIENT}


def _session_marks_readable(*, viewer: User, group: RecoveryGroup, members: Iterable[User]) -> set[int]:
    """A session's marks: its facilitator records them in the room, so she reads all of them;
    anyone else who may record (a clinician) reads those members.access allows."""
    people = list(members)
    if is_facilitator(user=viewer, group=group):
        return {m.pk for m in people}
    return attendance_readable(viewer=viewer, members=people)


def _log_reads(*, viewer: User, members: Iterable[User], shown: set[int]) -> None:
    """One row per client read: `attendance` where her attendance was shown, else the roster
    (her name in the group). One insert per resource, none when there is nothing to log."""
    clients = [m for m in members if m.role == Role.CLIENT]
    access_log_record_many(viewer=viewer, clients=[c for c in clients if c.pk in shown], resource=ATTENDANCE)
    access_log_record_many(viewer=viewer, clients=[c for c in clients if c.pk not in shown], resource=ROSTER_RESOURCE)


# --- the roster -----------------------------------------------------------------------------------


def group_roster(*, viewer: User, group: RecoveryGroup, history_sessions: Sequence[Session] = ()) -> list[RosterRow]:
    """Enrolled members (by name), then the waitlist in order, each with attendance counts and
    rate where the viewer reads them: over the group's whole history, or, with
    `history_sessions` (the roster page's "last 12 sessions"), over those sessions only, with
    each row's status in each of them, so the counts shown under that heading add up to at most
    its number (fewer for someone who joined since). Cancelled sessions are never counted.
    NotAllowed for anyone who does not run the group. A constant number of queries whatever the
    group's size or history; the read is access-logged."""
    roster_view_require(user=viewer, group=group)
    enrollments = list(
        Enrollment.objects.filter(group=group, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED])
        .select_related("member")
        .order_by("status", "waitlist_seq", "member__display_name", "member_id")
    )
    readable = attendance_readable(viewer=viewer, members=[e.member for e in enrollments])
    history = [s for s in history_sessions if s.status != SessionStatus.CANCELLED]
    # Only the readable members' attendance is fetched: the rest never leaves the database.
    counts: dict[tuple[int, int], dict[str, int]] = {}
    marks: dict[tuple[int, int], str] = {}
    if history and readable:
        marks = {
            (a["session_id"], a["member_id"]): a["status"]
            for a in Attendance.objects.filter(session__in=[s.pk for s in history], member_id__in=readable).values(
                "session_id", "member_id", "status"
            )
        }
        for (_session, member_id), status in marks.items():
            tally = counts.setdefault((group.pk, member_id), {})
            tally[status] = tally.get(status, 0) + 1
    elif readable and not history_sessions:
        counts = attendance_counts(group_ids=[group.pk], member_ids=sorted(readable))
    rows: list[RosterRow] = []
    position = 0
    seated = [e for e in enrollments if e.status == EnrollmentStatus.ENROLLED]
    waiting = sorted((e for e in enrollments if e.status == EnrollmentStatus.WAITLISTED), key=lambda e: e.waitlist_seq or 0)
    for enrollment in [*seated, *waiting]:
        if enrollment.status == EnrollmentStatus.WAITLISTED:
            position += 1
        row = RosterRow(
            member=enrollment.member,
            status=enrollment.status,
            position=position if enrollment.status == EnrollmentStatus.WAITLISTED else None,
        )
        if enrollment.member_id in readable:
            c = counts.get((group.pk, enrollment.member_id), {})
            row.present, row.late, row.absent, row.excused = (c.get(k, 0) for k in ("present", "late", "absent", "excused"))
            row.history = [marks.get((s.pk, enrollment.member_id)) for s in history]
        else:
            row.present = row.late = row.absent = row.excused = None
            row.shared = False
        rows.append(row)
    _log_reads(viewer=viewer, members=[e.member for e in enrollments], shown=readable)
    return rows


# --- one session's sheet --------------------------------------------------------------------------


def session_attendance_sheet(*, viewer: User, session: Session) -> list[SheetRow]:
    """One row per enrolled member (plus anyone already recorded), with what is recorded where
    the viewer reads it. NotAllowed for anyone who may not record attendance."""
    group = session.group
    attendance_take_require(user=viewer, group=group)
    recorded = {a.member_id: a for a in Attendance.objects.filter(session=session).select_related("member")}
    enrolled = list(
        User.objects.filter(group_enrollments__group_id=session.group_id, group_enrollments__status=EnrollmentStatus.ENROLLED)
    )
    people = {u.pk: u for u in enrolled}
    for a in recorded.values():
        people.setdefault(a.member_id, a.member)
    ordered = sorted(people.values(), key=lambda u: (u.display_name.lower(), u.pk))
    readable = _session_marks_readable(viewer=viewer, group=group, members=ordered)
    rows = []
    for u in ordered:
        mark = recorded.get(u.pk) if u.pk in readable else None
        rows.append(
            SheetRow(member=u, status=mark.status if mark else None, note=mark.note if mark else "", shared=u.pk in readable)
        )
    _log_reads(viewer=viewer, members=ordered, shown=readable)
    return rows


def session_attendance_marks(*, viewer: User, session: Session) -> list[Attendance]:
    """The session's recorded marks the viewer reads (the answer to recording them)."""
    attendance_take_require(user=viewer, group=session.group)
    marks = list(Attendance.objects.filter(session=session).select_related("member").order_by("member_id"))
    readable = _session_marks_readable(viewer=viewer, group=session.group, members=[a.member for a in marks])
    shown = [a for a in marks if a.member_id in readable]
    _log_reads(viewer=viewer, members=[a.member for a in shown], shown=readable)
    return shown


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
