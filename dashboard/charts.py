"""The program dashboard's weekly chart as inline SVG, drawn on the server (no JS, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Drawn twice: a compact one for phones and a wide one for larger screens (CSS shows one), so
# the labels keep a readable size on both instead of shrinking with the viewBox.
SIZES = {"narrow": (360, 220, 5), "wide": (900, 280, 14)}  # width, height, most date labels
LEFT, RIGHT, TOP, BOTTOM = 40, 48, 14, 34


def weekly_charts(weeks: Sequence[dict[str, Any]]) -> SafeString:
    return format_html("{}{}", weekly_chart(weeks, size="narrow", suffix="n"), weekly_chart(weeks, size="wide", suffix="w"))


def weekly_chart(weeks: Sequence[dict[str, Any]], *, size: str = "wide", suffix: str = "") -> SafeString:
    """Bars: check-ins per week (left axis). Line: attendance rate (right axis, 0-100 %)."""
    if not weeks:
        return mark_safe("")
    WIDTH, HEIGHT, max_labels = SIZES[size]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max(max(w["checkins"] for w in weeks), 1)
    step = plot_w / len(weeks)
    bar_w = max(min(step * 0.6, 48), 4)
    bars, labels, points, dots = [], [], [], []
    label_every = -(-len(weeks) // max_labels)
    for i, w in enumerate(weeks):
        x = LEFT + step * i + (step - bar_w) / 2
        h = plot_h * w["checkins"] / top
        bars.append(
            (
                f"{x:.1f}",
                f"{TOP + plot_h - h:.1f}",
                f"{bar_w:.1f}",
                f"{h:.1f}",
                ngettext("Week of %(week)s: %(n)s check-in", "Week of %(week)s: %(n)s check-ins", w["checkins"])
                % {"week": date_format(w["week_start"], _("M j")), "n": w["checkins"]},
            )
        )
        if i % label_every == 0:
            labels.append(
                (f"{LEFT + step * i + step / 2:.1f}", f"{HEIGHT - BOTTOM + 16}", date_format(w["week_start"], _("M j")))
            )
        if w["attendance_rate"] is not None:
            cx, cy = LEFT + step * i + step / 2, TOP + plot_h * (1 - w["attendance_rate"])
            points.append(f"{cx:.1f},{cy:.1f}")
            title = _("Week of %(week)s: attendance %(rate)s") % {
                "week": date_format(w["week_start"], _("M j")),
                "rate": f"{w['attendance_rate']:.0%}",
            }
            dots.append((f"{cx:.1f}", f"{cy:.1f}", title))
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"/><text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="start">{}</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                f"{TOP + plot_h * (1 - f):.1f}",
                f"{TOP + plot_h * (1 - f):.1f}",
                LEFT - 6,
                f"{TOP + plot_h * (1 - f) + 4:.1f}",
                round(top * f),
                WIDTH - RIGHT + 6,
                f"{TOP + plot_h * (1 - f) + 4:.1f}",
                f"{f:.0%}",
            )
            for f in (0, 0.5, 1)
        ),
    )
    return format_html(
        '<svg viewBox="0 0 {w} {h}" class="chart chart--{size}" role="img" aria-labelledby="wt-{s} wd-{s}">'
        '<title id="wt-{s}">Check-ins and attendance per week</title>'
        '<desc id="wd-{s}">Bars: check-ins per week (left scale). Line: group attendance rate (right scale).'
        " The table below has the same figures.</desc>"
        "{grid}{bars}{line}{dots}{labels}</svg>",
        w=WIDTH,
        h=HEIGHT,
        size=size,
        s=suffix,
        grid=grid,
        bars=format_html_join(
            "", '<rect x="{}" y="{}" width="{}" height="{}" rx="2" class="chart-bar"><title>{}</title></rect>', bars
        ),
        line=format_html('<polyline points="{}" class="chart-line"/>', " ".join(points)) if len(points) > 1 else "",
        dots=format_html_join("", '<circle cx="{}" cy="{}" r="4" class="chart-dot"><title>{}</title></circle>', dots),
        labels=format_html_join("", '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>', labels),
    )
