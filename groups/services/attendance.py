"""Recording a session's attendance: its facilitators and clinicians, in one idempotent upsert."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from checkins.services import risk_flags_resolve_for_attendance
from common.daily_facts import daily_facts_changed
from common.errors import Invalid
from members.models import User
from members.services import audit_record

from ..models import Attendance, AttendanceStatus, Enrollment, EnrollmentStatus, Session, SessionStatus
from ..selectors import attendance_take_require

NOT_RECORDED = "not_recorded"


@transaction.atomic
def attendance_record(*, actor: User, session: Session, entries: Sequence[dict[str, Any]]) -> list[Attendance]:
    """Record a whole session's attendance in one go (idempotent upsert). `not_recorded` clears a
    row. Excused may be recorded ahead; present/late/absent only once the session has started."""
    session = Session.objects.select_related("group").get(pk=session.pk)
    group = session.group
    attendance_take_require(user=actor, group=group)
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
    daily_facts_changed([(m, session.starts_at) for m, _status, _note in parsed])  # the dashboard rollups
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
