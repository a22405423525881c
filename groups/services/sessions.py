"""A group's sessions: materialized for a rolling horizon, regenerated after a schedule
change, cancelled or moved one at a time (each keeps its original start)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from common.errors import Conflict, Invalid, NotAllowed
from members.models import User
from members.services import audit_record
from notifications.services import NotificationSpec, notifications_create_many

from .. import recurrence
from ..models import EnrollmentStatus, RecoveryGroup, Session, SessionStatus
from ..notify import SESSION_CANCELLED
from ..selectors import can_run_session

HORIZON_DAYS = 90


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


@transaction.atomic
def session_cancel(*, actor: User, session: Session, reason: str = "") -> Session:
    """Cancel one occurrence (it keeps its original start) and tell its enrolled members."""
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    group = session.group
    if not can_run_session(user=actor, group=group):
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
    specs = []
    for member in members:
        local = session.starts_at.astimezone(ZoneInfo(member.timezone))
        when = local.strftime("%A %B %-d at %-I:%M %p").replace(":00 ", " ")
        specs.append(
            NotificationSpec(
                recipient_id=member.pk,
                kind=SESSION_CANCELLED,
                title=f"{group.name} on {when} is cancelled",
                body=reason or "The facilitator cancelled this session.",
                url=url,
                dedupe_key=f"groups:session-cancelled:{session.pk}:{member.pk}",
                payload={"group": group.pk, "session": session.pk},
            )
        )
    notifications_create_many(specs)
    audit_record(actor=actor, action="session.cancel", target=session, changes={"reason": reason})
    return session


@transaction.atomic
def session_move(*, actor: User, session: Session, starts_at: datetime, ends_at: datetime | None = None) -> Session:
    """Move one occurrence. It keeps its original start, so regeneration leaves it alone and the
    calendar shows it as an override (RECURRENCE-ID)."""
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    if not can_run_session(user=actor, group=session.group):
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
