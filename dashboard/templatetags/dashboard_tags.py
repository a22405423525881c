"""`ago`: "just now", "3 hours ago", "yesterday", "2 days ago" (no humanize app needed)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return ""
    seconds = max(((now or timezone.now()) - value).total_seconds(), 0)
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        minutes = int(seconds // 60)
        return ngettext("%(n)s minute ago", "%(n)s minutes ago", minutes) % {"n": minutes}
    if seconds < 86400:
        hours = int(seconds // 3600)
        return ngettext("%(n)s hour ago", "%(n)s hours ago", hours) % {"n": hours}
    days = int(seconds // 86400)
    if days == 1:
        return _("yesterday")
    if days < 60:
        return ngettext("%(n)s day ago", "%(n)s days ago", days) % {"n": days}
    return date_format(value, _("M j, Y"))


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def days_ago(value: int | None) -> str:
    if value is None:
        return ""
    if value <= 0:
        return _("today")
    return _("yesterday") if value == 1 else ngettext("%(n)s day ago", "%(n)s days ago", value) % {"n": value}
