"""What other parts of Kinship read from groups: a member's own groups, the client-record
summary, the weekly digest's attendance counter, the missed-two-sessions flag and the export.
Another person's view of a member's attendance always asks members.access."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from members.access import client_ids_seeing
from members.choices import Role
from members.models import User

from ..models import (
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Enrollment,
    EnrollmentStatus,
    RecoveryGroup,
    Session,
    SessionStatus,
)
from ..scopes import ATTENDANCE
from .roster import attendance_counts, attendance_rate

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
    counts = attendance_counts(group_ids=[e.group_id for e in enrollments], member_ids=[user.pk])
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


def client_group_summaries(viewer: User, clients: Sequence[User]) -> dict[int, dict[str, Any]]:
    """For members.client_records: next group session and overall attendance rate, only for
    clients who share attendance with the viewer. Constant number of queries."""
    ids = client_ids_seeing(viewer=viewer, clients=clients, kind=ATTENDANCE)
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


def sessions_attended_count(clients: Sequence[User], since: datetime) -> dict[int, int]:
    """{client id: sessions attended (present or late) since `since`}, for checkins' weekly
    digest (registered in apps.py with checkins.providers). The digest asks members.access
    which clients share attendance with its reader and passes only those. One query."""
    if not clients:
        return {}
    rows = (
        Attendance.objects.filter(
            member_id__in=[c.pk for c in clients],
            status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE],
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gte=since,
            # A session cannot be attended before it starts (a moved one may start later).
            session__starts_at__lt=timezone.now(),
        )
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    return {r["member_id"]: r["n"] for r in rows}


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
