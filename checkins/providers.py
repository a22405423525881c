"""Registries checkins defines and higher apps fill (DESIGN.md): checkins never imports them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from members.models import User

AttendanceCounter = Callable[[Sequence[User], datetime], dict[int, int]]
_attendance_counters: list[AttendanceCounter] = []


def register_attendance_counter(fn: AttendanceCounter) -> None:
    if fn not in _attendance_counters:
        _attendance_counters.append(fn)


def sessions_attended_counts(clients: Sequence[User], since: datetime) -> dict[int, int]:
    out: dict[int, int] = {}
    for fn in _attendance_counters:
        for pk, n in fn(clients, since).items():
            out[pk] = out.get(pk, 0) + n
    return out


# --- what a check-in gives back (DESIGN.md "The member's plan and what a check-in gives back") --
# After a check-in that shows trouble, the page and the API answer with support: her own coping
# steps and people (plans), a resource (resources), her mentor's conversation (messaging, which
# registers a provider of kind `reach_mentor` once it exists). checkins imports none of them.


@dataclass(frozen=True)
class SupportItem:
    kind: str  # reach_mentor | coping_step | resource | crisis
    text: str
    url: str = ""


@dataclass(frozen=True)
class SupportContext:
    mood: int
    craving: int
    used: str
    need_support: bool
    language: str


SupportProvider = Callable[[User, SupportContext], list[SupportItem]]
_support_providers: list[tuple[int, SupportProvider]] = []
SUPPORT_KINDS = ("reach_mentor", "coping_step", "resource", "crisis")


def support_provider_register(fn: SupportProvider, *, order: int = 100) -> None:
    """fn(client, context) -> items; `order` sorts providers (the mentor first, then her own
    steps, then a resource). A provider must be cheap: it runs inside the check-in request."""
    if all(f is not fn for _, f in _support_providers):
        _support_providers.append((order, fn))
        _support_providers.sort(key=lambda pair: pair[0])


def support_items(client: User, context: SupportContext) -> list[SupportItem]:
    items: list[SupportItem] = []
    for _, fn in _support_providers:
        items.extend(item for item in fn(client, context) if item.kind in SUPPORT_KINDS)
    return items


# --- milestone sources from apps plans may not import (matching's first mentor contact) ---------
# fn(since) -> a queryset of rows with `client_id`, `organization_id`, `reached_on` (a date):
# the first time each member reached it, for members with something new since `since` (None:
# everyone). plans turns each into a milestone, set-based.
MilestoneSource = Callable[[datetime | None], Any]
_milestone_sources: dict[str, MilestoneSource] = {}


def milestone_source_register(kind: str, fn: MilestoneSource) -> None:
    _milestone_sources[kind] = fn


def milestone_sources() -> dict[str, MilestoneSource]:
    return dict(_milestone_sources)
