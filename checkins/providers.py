"""Registries checkins defines and higher apps fill (DESIGN.md): checkins never imports them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

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
