"""`ago`: "just now", "3 hours ago", "yesterday", "2 days ago" (no humanize app needed)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return ""
    seconds = max(((now or timezone.now()) - value).total_seconds(), 0)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = int(seconds // 86400)
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    return value.strftime("%b %-d, %Y")


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def days_ago(value: int | None) -> str:
    if value is None:
        return ""
    if value <= 0:
        return "today"
    return "yesterday" if value == 1 else f"{value} days ago"
