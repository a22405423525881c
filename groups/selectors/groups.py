"""Which groups and sessions a viewer may see, and who may do what with a group: the one place
these rules are written. Services enforce them on every write, the permission-checked
selectors on every read; pages and the API only ask them whether to show a button."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from common.errors import NotAllowed, NotVisible
from members.choices import Role
from members.models import User

from .. import recurrence
from ..models import Enrollment, EnrollmentStatus, RecoveryGroup, Session, SessionStatus, Visibility

# Clinicians and program staff run the program's groups: they see all of them, create and
# change them, and enroll or remove other people.
SEES_ALL_GROUPS = (Role.CLINICIAN, Role.STAFF)
FACILITATOR_ROLES = (Role.MENTOR, Role.CLINICIAN, Role.STAFF)


# --- who may do what --------------------------------------------------------------------------


def is_facilitator(*, user: User, group: RecoveryGroup) -> bool:
    # Iterating the (usually prefetched) facilitators costs no query on the pages and the API.
    return any(f.pk == user.pk for f in group.facilitators.all())


def can_manage_groups(*, user: User) -> bool:
    """Create groups, change them, enroll or remove other people."""
    return user.organization_id is not None and user.role in SEES_ALL_GROUPS


def can_manage_group(*, user: User, group: RecoveryGroup) -> bool:
    return user.organization_id == group.organization_id and user.role in SEES_ALL_GROUPS


def can_view_roster(*, user: User, group: RecoveryGroup) -> bool:
    """Who is enrolled: those who run the group. What each member's attendance was is a
    further question, for members.access (selectors.roster)."""
    return can_manage_group(user=user, group=group) or (
        user.organization_id == group.organization_id and is_facilitator(user=user, group=group)
    )


def can_take_attendance(*, user: User, group: RecoveryGroup) -> bool:
    return user.organization_id == group.organization_id and (
        user.role == Role.CLINICIAN or is_facilitator(user=user, group=group)
    )


def can_run_session(*, user: User, group: RecoveryGroup) -> bool:
    """Cancel or move one of the group's sessions: its facilitators, clinicians and staff."""
    return can_manage_group(user=user, group=group) or (
        user.organization_id == group.organization_id and is_facilitator(user=user, group=group)
    )


def can_self_enroll(*, user: User, group: RecoveryGroup) -> bool:
    """Members of a closed group are enrolled by the care team; others join by themselves."""
    return group.visibility != Visibility.CLOSED or user.role in SEES_ALL_GROUPS


def group_manage_require(*, user: User) -> None:
    if not can_manage_groups(user=user):
        raise NotAllowed("Only clinicians and program staff create and change groups.")


def group_change_require(*, user: User, group: RecoveryGroup) -> None:
    if not can_manage_group(user=user, group=group):
        raise NotAllowed("Only clinicians and program staff create and change groups.")


def roster_view_require(*, user: User, group: RecoveryGroup) -> None:
    if not can_view_roster(user=user, group=group):
        raise NotAllowed("Only the group's facilitators, clinicians and staff see the roster.")


def attendance_take_require(*, user: User, group: RecoveryGroup) -> None:
    if not can_take_attendance(user=user, group=group):
        raise NotAllowed("Only the group's facilitators and clinicians record attendance.")


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


def groups_facilitated_by(*, viewer: User) -> list[RecoveryGroup]:
    """The groups a mentor facilitates, for her own page (managers have the Groups page)."""
    return [] if can_manage_groups(user=viewer) else list(groups_for_manager(viewer=viewer))


def group_manage_list(*, viewer: User) -> list[RecoveryGroup]:
    """The group management page: clinicians and staff, and facilitators for their own groups."""
    if not can_manage_groups(user=viewer) and not viewer.facilitated_groups.exists():
        raise NotAllowed("Group management is for clinicians, staff and facilitators.")
    return list(groups_for_manager(viewer=viewer))


def facilitator_candidates(*, organization_id: int) -> QuerySet[User]:
    """Who may facilitate a group: the program's active mentors, clinicians and staff."""
    return User.objects.filter(organization_id=organization_id, is_active=True, role__in=FACILITATOR_ROLES)


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


def group_recent_sessions(
    *, group: RecoveryGroup, now: datetime | None = None, past: int = 6, ahead: int = 3, held_only: bool = False
) -> list[Session]:
    """The last `past` sessions that have started and the next `ahead`, oldest first. With
    `held_only`, cancelled sessions are left out (nobody could attend them), so "the last 12
    sessions" of a roster are 12 that were held."""
    now = now or timezone.now()
    sessions = Session.objects.filter(group=group)
    if held_only:
        sessions = sessions.exclude(status=SessionStatus.CANCELLED)
    before = list(sessions.filter(starts_at__lte=now).order_by("-starts_at")[:past])
    after = list(sessions.filter(starts_at__gt=now).order_by("starts_at")[:ahead])
    return [*reversed(before), *after]
