"""Reminder settings (channels, check-in time, quiet hours) and the rules that read them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext

from common.errors import Invalid, NotAllowed
from members.models import User

from ..models import Channel, NotificationPreference, Priority

DEFAULT_CHANNELS = [Channel.IN_APP.value, Channel.EMAIL.value]
# Which kinds count against settings.NOTIFICATION_DAILY_CAP per local day is each kind's own
# registration (notifications.kinds: capped=True for routine nudges and reminders); crisis,
# account, care-team and one-off event messages never do.
EXTRA_CHANNELS = (Channel.EMAIL.value, Channel.SMS.value)
PREFERENCE_FIELDS = ("channels", "checkin_time", "checkin_days", "quiet_start", "quiet_end", "group_reminders")


def preference_get(*, user: User) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.get_or_create(
        user=user, defaults={"channels": DEFAULT_CHANNELS, "checkin_days": [0, 1, 2, 3, 4, 5, 6]}
    )
    return pref


def _preference_values(*, user: User, pref: NotificationPreference, data: dict[str, Any]) -> dict[str, Any]:
    """The values `data` asks for, normalized, after the rules every entry point shares (the API
    and the settings page both come here). Fields `data` leaves out keep their current value."""
    values = {name: data[name] for name in PREFERENCE_FIELDS if name in data}
    if "channels" in values:
        channels = list(dict.fromkeys(values["channels"] or []))
        unknown = [c for c in channels if c not in Channel.values]
        if unknown:
            raise Invalid(gettext("“%(value)s” is not a channel.") % {"value": unknown[0]}, field="channels")
        if Channel.IN_APP.value not in channels:
            channels = [Channel.IN_APP.value, *channels]  # the inbox always gets everything
        if Channel.SMS.value in channels and not user.phone:
            raise Invalid(gettext("Add a phone number to your account before choosing text messages."), field="channels")
        values["channels"] = channels
    if "checkin_days" in values:
        days = sorted(set(values["checkin_days"] or []))
        if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days):
            raise Invalid(gettext("Days are 0 (Sunday) to 6 (Saturday)."), field="checkin_days")
        values["checkin_days"] = days
    # A quiet window needs both ends, whichever of them this change leaves in place.
    start = values.get("quiet_start", pref.quiet_start)
    end = values.get("quiet_end", pref.quiet_end)
    if (start is None) != (end is None):
        raise Invalid(gettext("Give both the start and the end of quiet hours, or neither."), field="quiet_end")
    return values


@transaction.atomic
def preference_update(*, user: User, actor: User, data: dict[str, Any]) -> NotificationPreference:
    """Change how and when `user` hears from Kinship. Only the person herself may: reminders and
    quiet hours are hers to choose, not her care team's."""
    if actor.pk != user.pk:
        raise NotAllowed(gettext("Only the person herself can change her reminder settings."))
    pref = NotificationPreference.objects.select_for_update().get(pk=preference_get(user=user).pk)
    values = _preference_values(user=user, pref=pref, data=data)
    changed = {}
    for name, value in values.items():
        if getattr(pref, name) != value:
            changed[name] = [str(getattr(pref, name)), str(value)]
            setattr(pref, name, value)
    if Channel.IN_APP.value not in pref.channels:
        pref.channels = [Channel.IN_APP.value, *pref.channels]  # the inbox always gets everything
    if changed:
        pref.save()
        from members.services import audit_record

        audit_record(
            actor=actor,
            action="notification_preference.update",
            target=user,
            organization_id=user.organization_id,
            changes=changed,
        )
    return pref


def _in_quiet_hours(local: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the window wraps midnight


def quiet_release_at(*, zone: str, quiet_start: time | None, quiet_end: time | None, now: datetime) -> datetime:
    """When a non-urgent message to someone in `zone` with this quiet window may go out: now,
    or the end of the window. A pure function of four values, so a planner computes it once per
    (zone, window) it meets, not once per member."""
    if quiet_start is None or quiet_end is None:
        return now
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    if not _in_quiet_hours(local.time(), quiet_start, quiet_end):
        return now
    release = datetime.combine(local.date(), quiet_end, tzinfo=tz)
    if release <= local:
        release = datetime.combine(local.date() + timedelta(days=1), quiet_end, tzinfo=tz)
    return release.astimezone(ZoneInfo("UTC"))


def quiet_hours_release(*, user: User, pref: NotificationPreference, now: datetime) -> datetime:
    """When a non-urgent message to `user` may go out: now, or the end of their quiet hours."""
    return quiet_release_at(zone=user.timezone, quiet_start=pref.quiet_start, quiet_end=pref.quiet_end, now=now)


def channels_for(
    *, wanted: list[str] | None, has_phone: bool, priority: int, force: list[str] | tuple[str, ...] | None
) -> list[str]:
    """The extra channels (email, SMS) a notification goes out on: what the person chose
    (`wanted`; None: the defaults), everything for a crisis, or what the caller forces."""
    if force is not None:
        chosen = set(force)
    elif priority >= Priority.CRITICAL:
        chosen = set(EXTRA_CHANNELS)  # a crisis goes out everywhere the person can be reached
    else:
        chosen = set(DEFAULT_CHANNELS if wanted is None else wanted)
    return [c for c in EXTRA_CHANNELS if c in chosen and (c != Channel.SMS.value or has_phone)]
