"""Why a mentor fits a member, in plain (English) phrases, strongest first; reason_words.py
translates them when shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from members.choices import Format, Pathway

from .scoring import (
    DAY_NAMES,
    DEFAULT_LANGUAGES,
    FORMAT_BITS,
    FORMAT_WORDS,
    HARM_REDUCTION_GOALS,
    LANGUAGE_NAMES,
    PATHWAY_PHRASES,
    TAG_LABELS,
    availability_hours,
)


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _part_of_day(hour: int) -> str:
    if hour < 12:
        return "mornings"
    if hour < 17:
        return "afternoons"
    return "evenings"


def availability_reason(client_slots: Any, mentor_slots: Any) -> str | None:
    shared = sorted(availability_hours(client_slots) & availability_hours(mentor_slots))
    if not shared:
        return None
    by_part: dict[str, list[int]] = {}
    for cell in shared:
        day, hour = divmod(cell, 24)
        days = by_part.setdefault(_part_of_day(hour), [])
        if day not in days:
            days.append(day)
    parts = sorted(by_part.items(), key=lambda item: (-len(item[1]), item[0]))[:2]
    phrases = [f"{_join([DAY_NAMES[d] for d in sorted(days)[:3]])} {part}" for part, days in parts]
    return "Free " + _join(phrases)


def reasons_for(client: Mapping[str, Any], mentor: Mapping[str, Any], *, load: int = 0) -> list[str]:
    """Human-readable reasons for one pair, strongest first."""
    reasons: list[str] = []
    shared_paths = [p for p in Pathway.values if p in (client.get("pathways") or []) and p in (mentor.get("pathways") or [])]
    reasons.extend(PATHWAY_PHRASES[p] for p in shared_paths[:2])
    when = availability_reason(client.get("availability"), mentor.get("availability"))
    if when:
        reasons.append(when)
    client_langs = client.get("languages") or DEFAULT_LANGUAGES
    shared_langs = [code for code in (mentor.get("languages") or DEFAULT_LANGUAGES) if code in client_langs]
    spoken = [LANGUAGE_NAMES.get(code, code) for code in shared_langs if code != "en"]
    if spoken:
        reasons.append("Speaks " + _join(spoken))
    shared_tags = [t for t in (mentor.get("experience_tags") or []) if t in (client.get("experience_tags") or [])]
    if shared_tags:
        reasons.append(
            "Shares your experience: " + ", ".join(TAG_LABELS.get(t, t.replace("_", " ")).lower() for t in shared_tags)
        )
    years = int(mentor.get("years_in_recovery") or 0)
    if years >= 1:
        reasons.append(f"{years} year{'s' if years != 1 else ''} in recovery")
    if client.get("goal") in HARM_REDUCTION_GOALS and mentor.get("supports_harm_reduction"):
        reasons.append("Supports moderation and harm-reduction goals")
    client_formats = client.get("formats") or list(FORMAT_BITS)
    shared_formats = [f for f in Format.values if f in client_formats and f in (mentor.get("formats") or list(FORMAT_BITS))]
    if shared_formats:
        reasons.append("Meets " + _join([FORMAT_WORDS[f] for f in shared_formats]).replace(" and ", " or "))
    if load == 0:
        reasons.append("Has room for new mentees")
    return reasons
