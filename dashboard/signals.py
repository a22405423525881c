"""Writes to the source tables mark the rollup days they change (dashboard.rollups.mark_dirty).
The dashboard sits above these apps, so it listens to their models' signals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from checkins.models import CheckIn
from common.daily_facts import daily_facts_subscribe
from groups.models import Attendance, Session
from matching.models import ContactLog
from members.models import User

from .rollups import _local_day, mark_dirty


def _tz(user_id: int) -> str:
    return User.objects.filter(pk=user_id).values_list("timezone", flat=True).first() or "UTC"


def _checkin(sender: Any, instance: CheckIn, **kwargs: Any) -> None:
    mark_dirty([(instance.client_id, instance.local_date)])


def _attendance(sender: Any, instance: Attendance, **kwargs: Any) -> None:
    starts_at = Session.objects.filter(pk=instance.session_id).values_list("starts_at", flat=True).first()
    if starts_at is not None:
        mark_dirty([(instance.member_id, _local_day(starts_at, _tz(instance.member_id)))])


def _contact(sender: Any, instance: ContactLog, **kwargs: Any) -> None:
    mark_dirty([(instance.client_id, _local_day(instance.occurred_at, _tz(instance.client_id)))])


def _session_before(sender: Any, instance: Session, **kwargs: Any) -> None:
    """A moved or cancelled session changes the days of everyone marked on it (old and new)."""
    if instance.pk is None:
        return
    old = Session.objects.filter(pk=instance.pk).values_list("starts_at", "status").first()
    if old is None or old == (instance.starts_at, instance.status):
        return
    members = list(Attendance.objects.filter(session_id=instance.pk).values_list("member_id", "member__timezone"))
    mark_dirty((member_id, _local_day(moment, tz)) for member_id, tz in members for moment in {old[0], instance.starts_at})


def _facts(facts: list[tuple[int, date | datetime]]) -> None:
    """common.daily_facts: bulk writes of the lower apps (a day, or the moment it happened)."""
    moments = [(m, at) for m, at in facts if isinstance(at, datetime)]
    zones = dict(User.objects.filter(pk__in={m for m, _ in moments}).values_list("pk", "timezone")) if moments else {}
    mark_dirty((m, _local_day(at, zones.get(m, "UTC")) if isinstance(at, datetime) else at) for m, at in facts)


def connect() -> None:
    daily_facts_subscribe(_facts)
    for model, handler in ((CheckIn, _checkin), (Attendance, _attendance), (ContactLog, _contact)):
        post_save.connect(handler, sender=model, dispatch_uid=f"rollups-{model.__name__}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"rollups-{model.__name__}-delete")
    pre_save.connect(_session_before, sender=Session, dispatch_uid="rollups-session-moved")
