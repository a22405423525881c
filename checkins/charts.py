"""Server-side inline SVG for "my progress": no JavaScript, no CDN (clinics run on closed
networks). Only numbers and fixed words go into the markup; labels are escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils import dateformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from .models import CheckIn

GRID = "#d5d9d6"
MOOD = "#1c6b5a"
CRAVING = "#7a4b9c"


def trend_chart(
    checkins: Sequence[CheckIn], *, today: date, days: int = 30, field: str, low: int, high: int, title: str
) -> SafeString:
    """A line of one value per local day over `days` days; gaps where there was no check-in."""
    width, height, pad_l, pad_r, pad_t, pad_b = 360, 150, 26, 8, 10, 22
    inner_w, inner_h = width - pad_l - pad_r, height - pad_t - pad_b
    start = today - timedelta(days=days - 1)
    by_day = {c.local_date: getattr(c, field) for c in checkins if c.local_date >= start}
    color = MOOD if field == "mood" else CRAVING

    def x(day: date) -> float:
        return pad_l + inner_w * (day - start).days / max(days - 1, 1)

    def y(value: float) -> float:
        return pad_t + inner_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-{field}-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="chart-{field}-title">{escape(title)}</title>'
    ]
    for value in (low, (low + high) / 2, high):
        parts.append(
            f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{pad_l - 6}" y="{y(value) + 4:.1f}" font-size="12" text-anchor="end" fill="#56636b">{value:g}</text>'
        )
    for offset, anchor in ((0, "start"), (days - 1, "end")):
        day = start + timedelta(days=offset)
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - 6}" font-size="12" text-anchor="{anchor}" fill="#56636b">{escape(dateformat.format(day, gettext("M j")))}</text>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day in by_day:
            segment.append(f"{x(day):.1f},{y(by_day[day]):.1f}")
        elif segment:
            segments.append(segment)
            segment = []
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{" ".join(seg)}"/>')
    for day, value in sorted(by_day.items()):
        parts.append(
            f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="3.5" fill="{color}"><title>{day.isoformat()}: {value}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped text only


def calendar(checked_days: set[date], *, today: date, weeks: int = 12) -> SafeString:
    """A check-in calendar: one square per local day, weeks as columns (Sunday on top)."""
    cell, gap, pad_l, pad_t = 16, 3, 30, 18
    # Start on the Sunday `weeks - 1` weeks before this week's Sunday.
    this_sunday = today - timedelta(days=(today.weekday() + 1) % 7)
    start = this_sunday - timedelta(weeks=weeks - 1)
    width = pad_l + weeks * (cell + gap)
    height = pad_t + 7 * (cell + gap)
    count = sum(1 for d in checked_days if start <= d <= today)
    label = ngettext(
        "Check-in calendar: %(count)s check-in in the last %(weeks)s weeks",
        "Check-in calendar: %(count)s check-ins in the last %(weeks)s weeks",
        count,
    ) % {"count": count, "weeks": weeks}
    parts = [
        f'<svg class="calendar" viewBox="0 0 {width} {height}" role="img" aria-labelledby="calendar-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="calendar-title">{escape(label)}</title>'
    ]
    for row, name in ((1, gettext("Mon")), (3, gettext("Wed")), (5, gettext("Fri"))):
        parts.append(f'<text x="0" y="{pad_t + row * (cell + gap) + 12}" font-size="11" fill="#56636b">{name}</text>')
    last_month = None
    for week in range(weeks):
        first = start + timedelta(weeks=week)
        if first.month != last_month:
            parts.append(
                f'<text x="{pad_l + week * (cell + gap)}" y="12" font-size="11" fill="#56636b">{dateformat.format(first, "M")}</text>'
            )
            last_month = first.month
        for row in range(7):
            day = first + timedelta(days=row)
            if day > today:
                continue
            done = day in checked_days
            fill = MOOD if done else "#eceff1"
            stroke = ' stroke="#124c40" stroke-width="2"' if day == today else ""
            status = gettext("checked in") if done else gettext("no check-in")
            parts.append(
                f'<rect x="{pad_l + week * (cell + gap)}" y="{pad_t + row * (cell + gap)}" width="{cell}" height="{cell}" '
                f'rx="3" fill="{fill}"{stroke}><title>{escape(dateformat.format(day, gettext("D M j")))}: {status}</title></rect>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and fixed words only
