"""Template filters that turn stored values (API vocabularies) into the words members read."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from members.access import consent_scope_choices
from members.choices import CareRole, Format, Gender, Goal, MentorGender, Pathway, Role, VettingStatus
from members.forms import LANGUAGE_LABELS, describe_slot, tag_label
from members.pronouns import pronouns_shown

register = template.Library()

VOCABULARIES: dict[str, dict[str, str]] = {
    "goal": dict(Goal.choices),
    "pathway": dict(Pathway.choices),
    "format": dict(Format.choices),
    "gender": dict(Gender.choices),
    "mentor_gender": dict(MentorGender.choices),
    "role": dict(Role.choices),
    "care_role": dict(CareRole.choices),
    "status": dict(VettingStatus.choices),
    "language": LANGUAGE_LABELS,
}

RESOURCES = {
    "profile": "Your profile",
    "summary": "Your name in a list of members",
    "care_team": "Your care team",
    "checkins": "Your check-ins",
    "checkin_summary": "Your check-in summary",
    "checkin_detail": "Your check-in details",
    "assessments": "Your questionnaire results",
    "attendance": "Your group attendance",
    "contact_log": "Your mentor's contact log",
    "caseload": "Your line on a caseload dashboard",
}


@register.filter
def label(value: Any, vocabulary: str) -> str:
    if vocabulary == "tag":
        return tag_label(str(value))
    if vocabulary == "resource":
        return str(RESOURCES.get(str(value), str(value).replace("_", " ").capitalize()))
    if vocabulary in ("scope", "scope_short"):
        # Features register their scopes in AppConfig.ready(): read the registry when asked.
        scope_label = str(dict(consent_scope_choices()).get(str(value), value))
        return scope_label.split(" (")[0] if vocabulary == "scope_short" else scope_label
    return str(VOCABULARIES.get(vocabulary, {}).get(str(value), value))  # labels are lazy: read in her language


HYPHENATED = re.compile(r"\w+(?:-\w+)+")


@register.filter
def unbroken(value: Any) -> SafeString:
    """Text whose hyphenated names ("BARC-10", "PHQ-9") never break at the hyphen on a narrow
    screen: each is kept on one line, the text around it wraps as usual."""
    escaped = str(conditional_escape(value))
    return mark_safe(HYPHENATED.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped))  # noqa: S308 - escaped above


DIAL = re.compile(r"^\s*(?P<number>\+?[0-9 ()-]+?)\s*(?:[,;]+\s*(?P<code>[0-9*#]+)[,;#\s]*)?$")


def _grouped(digits: str, typed: str) -> str:
    """North American numbers as people write them (+1 555-555-0142); others as they were typed."""
    if len(digits) == 11 and digits.startswith("1"):
        return f"+1 {digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 10 and not typed.startswith("+"):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return typed.strip()


@register.filter
def dial_in(value: Any) -> SafeString:
    """A meeting's dial string ("+15555550142,,8841#") as a call link people can read: the
    number grouped, the meeting code after it; the link still dials the whole string."""
    raw = str(value or "").strip()
    found = DIAL.match(raw)
    if not found or not 3 <= len(re.sub(r"\D", "", found["number"])) <= 15:
        return format_html("{}", raw)  # not a dial string we can read: shown as typed, no link
    href = "tel:" + re.sub(r"[^0-9+,;*#]", "", raw).replace("#", "%23")
    link = format_html('<a class="nowrap" href="{}">{}</a>', href, _grouped(re.sub(r"\D", "", found["number"]), found["number"]))
    if found["code"]:
        return format_html("{} ({})", link, _("meeting code %(code)s") % {"code": found["code"]})
    return link


@register.filter
def pronouns(value: str) -> str:
    """A person's pronouns as the reader's language writes them ("she/her" → "ella")."""
    return pronouns_shown(value)


@register.filter
def labels(values: Any, vocabulary: str) -> str:
    """A list of stored values as readable words, joined with commas."""
    if not values:
        return ""
    return ", ".join(label(v, vocabulary) for v in values)


@register.filter
def slots(values: Any) -> list[str]:
    return [describe_slot(s) for s in values or [] if isinstance(s, dict)]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def availability_rows(bound_field: Any) -> list[tuple[str, list[Any]]]:
    """The day × part-of-day checkboxes of an availability field, one row per day."""
    from members.forms import BLOCKS, DAY_SHORT

    widgets = list(bound_field)
    size = len(BLOCKS)
    return [(DAY_SHORT[i], widgets[i * size : (i + 1) * size]) for i in range(len(widgets) // size)]


@register.filter
def described(bound_field: Any) -> Any:
    """Render a field's widget tied to its hint and its error messages (aria-describedby), so a
    screen reader reads the error when the field gets focus."""
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else None
    return bound_field.as_widget(attrs=attrs)
