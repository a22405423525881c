"""RFC 5545 recurrence in local wall-clock time.

A group's schedule is (RRULE, local start date + time, IANA zone). Expanding the rule on the
*naive* local start and only then attaching the zone is what keeps a 7 pm meeting at 7 pm on
both sides of a daylight-saving change (expanding in UTC would drift it by an hour)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from common.errors import Invalid
from members.validators import validate_timezone

_RRULE_CHARS = re.compile(r"^[A-Z0-9=;,+\-]+$")
_UNTIL = re.compile(r"^\d{8}(T\d{6}Z?)?$")
ALLOWED_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# One occurrence per day at the start time: sub-daily parts would make meetings the form cannot describe.
FORBIDDEN_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART"}
MAX_DURATION_MINUTES = 24 * 60

DAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]  # index = API day (0 = Sunday)
DAY_NAMES = [
    gettext_lazy("Sunday"),
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
]


def rrule_normalize(text: str) -> str:
    """The RRULE as stored (upper case, no `RRULE:` prefix), or Invalid(field="rrule")."""
    value = (text or "").strip().upper()
    if value.startswith("RRULE:"):
        value = value[len("RRULE:") :]
    value = value.strip(";")
    if not value:
        raise Invalid(gettext("Give a schedule rule, for example FREQ=WEEKLY;BYDAY=TU."), field="rrule")
    if len(value) > 500 or not _RRULE_CHARS.match(value):
        raise Invalid(gettext("This is not an RFC 5545 RRULE (for example FREQ=WEEKLY;BYDAY=MO,TH)."), field="rrule")
    parts: dict[str, str] = {}
    for chunk in value.split(";"):
        name, sep, part_value = chunk.partition("=")
        if not sep or not part_value or name in parts:
            raise Invalid(gettext("This is not an RFC 5545 RRULE (for example FREQ=WEEKLY;BYDAY=MO,TH)."), field="rrule")
        parts[name] = part_value
    if name_bad := set(parts) & FORBIDDEN_PARTS:
        raise Invalid(
            gettext("%(part)s is not allowed: the start time comes from start_local.") % {"part": sorted(name_bad)[0]},
            field="rrule",
        )
    if parts.get("FREQ") not in ALLOWED_FREQS:
        raise Invalid(gettext("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."), field="rrule")
    if "COUNT" in parts and "UNTIL" in parts:
        raise Invalid(gettext("Use COUNT or UNTIL, not both."), field="rrule")
    for number_part in ("COUNT", "INTERVAL"):
        if number_part in parts and not (parts[number_part].isdigit() and 0 < int(parts[number_part]) <= 1000):
            raise Invalid(gettext("%(part)s must be a whole number from 1 to 1000.") % {"part": number_part}, field="rrule")
    if "UNTIL" in parts and not _UNTIL.match(parts["UNTIL"]):
        raise Invalid(gettext("UNTIL must be a date like 20271231 or 20271231T235959Z."), field="rrule")
    try:
        _parse(value, datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001 - a naive wall-clock start, as stored
    except (ValueError, TypeError, OverflowError) as exc:
        raise Invalid(gettext("This RRULE cannot be read: %(error)s.") % {"error": exc}, field="rrule") from None
    return value


def timezone_validate(name: str) -> str:
    try:
        validate_timezone(name)
    except Exception:
        raise Invalid(
            gettext("“%(name)s” is not a known IANA time zone (for example America/Chicago).") % {"name": name},
            field="timezone",
        ) from None
    return name


def duration_validate(minutes: int) -> int:
    if minutes is None or minutes <= 0:
        raise Invalid(gettext("A session must last at least one minute."), field="duration_minutes")
    if minutes > MAX_DURATION_MINUTES:
        raise Invalid(gettext("A session can last at most 24 hours."), field="duration_minutes")
    return minutes


@lru_cache(maxsize=4096)
def _parse(rule: str, dtstart: datetime) -> rrule:
    parsed = rrulestr(rule, dtstart=dtstart, forceset=False, ignoretz=True)
    if not isinstance(parsed, rrule):  # pragma: no cover - forceset=False with a bare rule
        raise ValueError("only one RRULE is supported")
    return parsed


def occurrences_between(*, rule: str, start_local: datetime, zone: str, after: datetime, before: datetime) -> list[datetime]:
    """UTC starts of the occurrences with after <= start < before (both aware)."""
    tz = ZoneInfo(zone)
    # Window in local naive terms, widened by a day so offsets never cut an occurrence off.
    lo = after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    hi = before.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    lo = max(lo, start_local)
    if hi < lo:
        return []
    out = []
    for local in _parse(rule, start_local).between(lo, hi, inc=True):
        at = local.replace(tzinfo=tz).astimezone(UTC)
        if after <= at < before:
            out.append(at)
    return out


def first_local_on_or_after(*, rule: str, start_local: datetime, zone: str, at: datetime) -> datetime | None:
    """The naive local start of the first occurrence at or after the aware instant `at`."""
    tz = ZoneInfo(zone)
    floor = max(start_local, at.astimezone(tz).replace(tzinfo=None) - timedelta(days=1))
    for local in _parse(rule, start_local).xafter(floor, count=400, inc=True):
        if local.replace(tzinfo=tz) >= at:
            return local
    return None


# --- the human schedule picker ---------------------------------------------------------------


@dataclass(frozen=True)
class SimpleSchedule:
    """What the create/edit form offers: every [other] week on some days, at a time."""

    days: tuple[int, ...]  # 0 = Sunday
    at: time
    interval: int = 1

    def rrule(self) -> str:
        if not self.days:
            raise Invalid(gettext("Pick at least one day."), field="days")
        if self.interval not in (1, 2, 3, 4):
            raise Invalid(gettext("Repeat every 1 to 4 weeks."), field="interval")
        byday = ",".join(DAY_CODES[d] for d in sorted(set(self.days)))
        interval = f";INTERVAL={self.interval}" if self.interval > 1 else ""
        return f"FREQ=WEEKLY{interval};BYDAY={byday}"


def simple_schedule_from_rrule(rule: str) -> tuple[tuple[int, ...], int] | None:
    """(days, interval) when the rule is a plain weekly one the picker can show, else None."""
    parts = dict(chunk.partition("=")[::2] for chunk in rule.split(";"))
    if parts.get("FREQ") != "WEEKLY" or set(parts) - {"FREQ", "BYDAY", "INTERVAL"}:
        return None
    days = tuple(DAY_CODES.index(code) for code in parts.get("BYDAY", "").split(",") if code in DAY_CODES)
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return None
    return days, interval


def weekly_days(rule: str, start_date: date) -> list[int] | None:
    """Days (0 = Sunday) of a plain every-week rule; None for anything else (Meeting Guide lists
    weekly meetings only)."""
    simple = simple_schedule_from_rrule(rule)
    if simple is None or simple[1] != 1:
        return None
    days = list(simple[0])
    if not days:
        days = [(start_date.weekday() + 1) % 7]
    return sorted(days)


def _format_time(at: time) -> str:
    """ "at 6:30 pm", "at 7 pm" in the active language (Spanish: "a las 6:30 p. m.", "a la 1 p. m.")."""
    hour = at.hour % 12 or 12
    minute = f":{at.minute:02d}" if at.minute else ""
    suffix = pgettext("time of day", "am") if at.hour < 12 else pgettext("time of day", "pm")
    return ngettext("at %(time)s", "at %(time)s", hour) % {"time": f"{hour}{minute} {suffix}"}


def describe(rule: str, start_local: datetime) -> str:
    """ "Every Tuesday and Thursday at 6:30 pm" in the active language (falls back to the rule
    for unusual ones)."""
    simple = simple_schedule_from_rrule(rule)
    at = _format_time(start_local.time())
    if simple is None:
        if rule.startswith("FREQ=DAILY") and rule.count(";") == 0:
            return gettext("Every day %(at)s") % {"at": at}
        if rule.startswith("FREQ=MONTHLY"):
            return gettext("Monthly %(at)s") % {"at": at}
        return f"{rule} {at}"
    days, interval = simple
    if not days:
        days = ((start_local.weekday() + 1) % 7,)
    names = [str(DAY_NAMES[d]) for d in sorted(days)]
    if sorted(days) == [1, 2, 3, 4, 5] and interval == 1:
        return gettext("Every weekday %(at)s") % {"at": at}
    if sorted(days) == list(range(7)) and interval == 1:
        return gettext("Every day %(at)s") % {"at": at}
    if len(names) == 1:
        joined = names[0]
    else:
        joined = gettext("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}
    if interval == 1:
        return gettext("Every %(days)s %(at)s") % {"days": joined, "at": at}
    if interval == 2:
        return gettext("Every other %(days)s %(at)s") % {"days": joined, "at": at}
    return gettext("Every %(n)s weeks on %(days)s %(at)s") % {"n": interval, "days": joined, "at": at}
