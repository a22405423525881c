"""The groups planners beat runs: session reminders and the missed-two-sessions flag
(checkins owns the flags; groups tells it through its services, never the other way)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from checkins.services import risk_flags_open_for_missed_sessions
from members.models import Organization
from notifications.models import Notification
from notifications.services import NotificationSpec, notifications_create_many

from ..models import Enrollment, EnrollmentStatus, RecoveryGroup, Session, SessionStatus
from ..notify import SESSION_REMINDER
from ..selectors import clients_missed_last_two_sessions

# (label, how long before the start). Each reminder is due from `before` ahead of the start until
# the next smaller offset takes over, so a missed beat run catches up without a late member
# getting a "tomorrow" reminder and a "in an hour" reminder together.
SESSION_REMINDER_OFFSETS: tuple[tuple[str, timedelta], ...] = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


def _reminder_when(starts_at: datetime, zone: str) -> str:
    local = starts_at.astimezone(ZoneInfo(zone))
    return local.strftime("%A %B %-d at %-I:%M %p").replace(":00 ", " ") + f" ({local.tzname()})"


def _reminder_where(group: RecoveryGroup) -> str:
    parts = []
    if group.is_in_person and group.place:
        parts.append(f"Where: {group.place}")
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
        specs = [
            NotificationSpec(
                recipient_id=member.pk,
                kind=SESSION_REMINDER,
                title=f"{lead}: {session.group.name}, {_reminder_when(session.starts_at, member.timezone)}",
                body=_reminder_where(session.group),
                url=url,
                payload={"group": session.group.pk, "session": session.pk, "offset": label},
                dedupe_key=key,
                stale_after=session.starts_at,
            )
            for member, session, key in due
            if key not in sent
        ]
        created += len(notifications_create_many(specs, now=now))
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
