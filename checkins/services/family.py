"""A family member's own daily check-in (DESIGN.md "Family members' own recovery"): mood,
stress, whether she took time for herself; one per local day, updated when sent again. It has
its own streak (engagement, like a member's) and nothing of it is shown to anyone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from common.errors import Invalid, NotAllowed
from members.choices import Role
from members.models import User
from members.services import audit_record

from ..models import FamilyCheckIn
from .flags import NOTE_MAX
from .streaks import STREAK_WINDOW_DAYS, local_today, streak_from_dates


@dataclass(frozen=True)
class FamilyCheckInResult:
    checkin: FamilyCheckIn
    created: bool
    streak: int


def _validate(*, mood: Any, stress: Any, took_time_for_myself: Any, note: Any) -> None:
    if isinstance(mood, bool) or not isinstance(mood, int) or not 1 <= mood <= 5:
        raise Invalid(gettext("Mood is a number from 1 (very low) to 5 (very good)."), field="mood")
    if isinstance(stress, bool) or not isinstance(stress, int) or not 0 <= stress <= 10:
        raise Invalid(gettext("Stress is a number from 0 (none) to 10 (the most)."), field="stress")
    if not isinstance(took_time_for_myself, bool):
        raise Invalid(gettext("Answer true or false."), field="took_time_for_myself")
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise Invalid(gettext("Keep the note to %(note_max)s characters or fewer.") % {"note_max": NOTE_MAX}, field="note")


def family_streak(*, member: User, now: datetime | None = None) -> int:
    today = local_today(member, now)
    dates = FamilyCheckIn.objects.filter(
        member=member, local_date__gt=today - timedelta(days=STREAK_WINDOW_DAYS), local_date__lte=today
    ).values_list("local_date", flat=True)
    return streak_from_dates(dates.order_by("-local_date"), today=today)


def family_checkin_record(
    *,
    actor: User,
    mood: Any,
    stress: Any,
    took_time_for_myself: Any = False,
    note: Any = "",
    now: datetime | None = None,
) -> FamilyCheckInResult:
    """Record the family member's check-in for her local today (201), or update it (200)."""
    if actor.role != Role.FAMILY:
        raise NotAllowed(gettext("Only family members record a family check-in."))
    _validate(mood=mood, stress=stress, took_time_for_myself=took_time_for_myself, note=note)
    now = now or timezone.now()
    today = local_today(actor, now)
    fields = {"mood": mood, "stress": stress, "took_time_for_myself": took_time_for_myself, "note": note.strip()}
    with transaction.atomic():
        existing = FamilyCheckIn.objects.select_for_update().filter(member=actor, local_date=today).first()
        created = existing is None
        if existing is None:
            try:
                with transaction.atomic():
                    checkin = FamilyCheckIn.objects.create(
                        organization_id=actor.org_id, member=actor, local_date=today, created_at=now, updated_at=now, **fields
                    )
            except IntegrityError:  # a second tab sent it a moment ago: update that one
                checkin = FamilyCheckIn.objects.select_for_update().get(member=actor, local_date=today)
                created = False
        else:
            checkin = existing
        if not created:
            for name, value in fields.items():
                setattr(checkin, name, value)
            checkin.updated_at = now
            checkin.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor,
            action="family_checkin.create" if created else "family_checkin.update",
            target=checkin,
            changes={"local_date": today.isoformat()},
        )
    return FamilyCheckInResult(checkin=checkin, created=created, streak=family_streak(member=actor, now=now))
