"""Contact sources: what else counts as a mentor's contact besides the entries she logs.
Matching defines the registry; a feature above fills it from its AppConfig.ready() (messaging:
a mentor's messages are contact), so matching never imports that feature (DESIGN.md "Layout").

A source answers two questions, derived from its own rows (nothing is copied into ContactLog):
- `last_by_pair(client_ids)`: a queryset of `client_id`, `mentor_id`, `at` (the last contact)
  for many members at once, which matching reads in one UNION with its own contact log;
- `entries(match)`: the rows the match's contact log shows for it, newest first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ContactEntry:
    """One derived line of a contact log (never the content of what was said)."""

    occurred_at: datetime
    mode: str
    duration_minutes: int
    note: str
    source: str
    count: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ContactSource:
    name: str
    last_by_pair: Callable[[Sequence[int]], Any]  # → QuerySet with client_id, mentor_id, at
    entries: Callable[[Any], list[ContactEntry]]


_sources: dict[str, ContactSource] = {}


def contact_source_register(source: ContactSource) -> None:
    _sources[source.name] = source  # idempotent: ready() may run twice in tests


def contact_sources() -> list[ContactSource]:
    return [_sources[name] for name in sorted(_sources)]
