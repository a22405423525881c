"""Members' events, for the apps above it. members sits below notifications and must not import
it (DESIGN.md "Layout"), yet an invitation or a change of a mentor's vetting status has to reach
the person. So members only says what happened; an app above subscribes from its AppConfig.ready()
(notifications sends the invitation email and the vetting notice).

Events and their data (keyword arguments):
- "user_invited": user (the new User, no password yet), invited_by (User or None)
- "signup_with_existing_email": user (the account that already has the address someone signed up with)
- "mentor_status_changed": profile (the MentorProfile, already saved with its new status),
  status (the new status), actor (the staff User), reason (str, may be empty)

Subscribers run synchronously, inside the publisher's transaction: what they write commits or
rolls back with the change itself (an invitation is never recorded for a user whose creation
failed). Work outside the database (a send) must wait for the commit, as the outbox already does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MEMBER_EVENTS = frozenset({"user_invited", "mentor_status_changed", "signup_with_existing_email"})

_subscribers: dict[str, list[Callable[..., None]]] = {event: [] for event in MEMBER_EVENTS}


def member_event_subscribe(event: str, fn: Callable[..., None]) -> None:
    """Call `fn(**data)` each time `event` is published. Subscribing twice is a no-op."""
    if event not in MEMBER_EVENTS:
        raise ValueError(f"unknown member event {event!r}")  # a typo would otherwise never fire
    if fn not in _subscribers[event]:
        _subscribers[event].append(fn)


def member_event_publish(event: str, **data: Any) -> None:
    if event not in MEMBER_EVENTS:
        raise ValueError(f"unknown member event {event!r}")
    for fn in list(_subscribers[event]):
        fn(**data)
