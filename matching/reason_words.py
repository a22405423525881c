"""Fit reasons in the reader's language. Scoring writes them in English and matches store them
that way (`Match.reasons`), so they are translated when shown, phrase by phrase."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from members.choices import EXPERIENCE_TAGS
from members.language_names import language_name

from .scoring import LANGUAGE_NAMES, PATHWAY_PHRASES

_FIXED = {
    PATHWAY_PHRASES["twelve_step"]: gettext_lazy("Both on a 12-step path"),
    PATHWAY_PHRASES["smart"]: gettext_lazy("Both on a SMART Recovery path"),
    PATHWAY_PHRASES["moud"]: gettext_lazy("Both know medication-supported recovery"),
    PATHWAY_PHRASES["harm_reduction"]: gettext_lazy("Both on a harm-reduction path"),
    PATHWAY_PHRASES["faith_based"]: gettext_lazy("Both on a faith-based path"),
    PATHWAY_PHRASES["secular"]: gettext_lazy("Both on a secular path"),
    PATHWAY_PHRASES["other"]: gettext_lazy("Both on their own kind of path"),
    "Supports moderation and harm-reduction goals": gettext_lazy("Supports moderation and harm-reduction goals"),
    "Has room for new mentees": gettext_lazy("Has room for new mentees"),
}
_WORDS = {
    "Sunday": gettext_lazy("Sunday"),
    "Monday": gettext_lazy("Monday"),
    "Tuesday": gettext_lazy("Tuesday"),
    "Wednesday": gettext_lazy("Wednesday"),
    "Thursday": gettext_lazy("Thursday"),
    "Friday": gettext_lazy("Friday"),
    "Saturday": gettext_lazy("Saturday"),
    "mornings": gettext_lazy("mornings"),
    "afternoons": gettext_lazy("afternoons"),
    "evenings": gettext_lazy("evenings"),
    "and": gettext_lazy("and"),
    "or": gettext_lazy("or"),
    "in person": gettext_lazy("in person"),
    "by video": gettext_lazy("by video"),
    "by phone": gettext_lazy("by phone"),
    "by text": gettext_lazy("by text"),
}
_WORD = re.compile("|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True)))
_CODES_BY_NAME = {name: code for code, name in LANGUAGE_NAMES.items()}
_YEARS = re.compile(r"^(\d+) years? in recovery$")


def _words(text: str) -> str:
    return _WORD.sub(lambda m: str(_WORDS[m.group(0)]), text)


def _english() -> bool:
    return (translation.get_language() or "en").startswith("en")


def _languages(text: str) -> str:
    if _english():
        return text
    names = re.split(r", | and ", text)
    said = [language_name(_CODES_BY_NAME[n]) if n in _CODES_BY_NAME else n for n in names]
    if len(said) <= 1:
        return "".join(said)
    return ", ".join(said[:-1]) + " " + _("and") + " " + said[-1]


def _tags(text: str) -> str:
    if _english():
        return text
    with translation.override("en"):
        english = {str(label).lower(): label for _code, label in EXPERIENCE_TAGS}
    return ", ".join(str(english[t]).lower() if t in english else t for t in text.split(", "))


def reason_say(reason: str) -> str:
    """One stored reason, said to the member in the active language."""
    if reason in _FIXED:
        return str(_FIXED[reason])
    if reason.startswith("Free "):
        return _("Free %(when)s") % {"when": _words(reason.removeprefix("Free "))}
    if reason.startswith("Speaks "):
        return _("Speaks %(languages)s") % {"languages": _languages(reason.removeprefix("Speaks "))}
    if reason.startswith("Shares your experience: "):
        return _("Shares your experience: %(tags)s") % {"tags": _tags(reason.removeprefix("Shares your experience: "))}
    if reason.startswith("Meets "):
        return _("Meets %(ways)s") % {"ways": _words(reason.removeprefix("Meets "))}
    if years := _YEARS.match(reason):
        n = int(years.group(1))
        return ngettext("%(n)s year in recovery", "%(n)s years in recovery", n) % {"n": n}
    return reason


def reasons_say(reasons: list[str]) -> list[str]:
    return [reason_say(r) for r in reasons or []]


def reasons_say_to_mentor(reasons: list[str]) -> list[str]:
    """The stored reasons speak to the member ("Speaks Spanish"); say them to the mentor, and
    leave out the ones about the mentor themself."""
    out = []
    for reason in reasons or []:
        if reason.startswith("Speaks "):
            out.append(_("You both speak %(languages)s") % {"languages": _languages(reason.removeprefix("Speaks "))})
        elif reason.startswith("Shares your experience: "):
            out.append(_("Shared experience: %(tags)s") % {"tags": _tags(reason.removeprefix("Shares your experience: "))})
        elif reason.startswith("Meets "):
            out.append(_("Would like to meet %(ways)s") % {"ways": _words(reason.removeprefix("Meets "))})
        elif reason.startswith(("Both ", "Free ")):
            out.append(reason_say(reason))
    return out
