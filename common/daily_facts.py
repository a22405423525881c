"""A member's day changed (a check-in written, attendance recorded): lower apps say so here and
the dashboard's daily rollups (dashboard.rollups), above them, listen. Writes that go through
model signals need nothing; bulk inserts and UPDATEs call `daily_facts_changed`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

# (member id, her local day, or the moment it happened: the listener turns it into her day)
Fact = tuple[int, date | datetime]
_listeners: list[Callable[[list[Fact]], None]] = []


def daily_facts_subscribe(fn: Callable[[list[Fact]], None]) -> None:
    if fn not in _listeners:
        _listeners.append(fn)


def daily_facts_changed(facts: Iterable[Fact]) -> None:
    facts = list(facts)
    if facts:
        for fn in list(_listeners):
            fn(facts)
