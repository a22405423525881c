"""Reminders reuse the groups fixtures: a weekly Tuesday 7 pm (Chicago) group, time frozen at
Tuesday 20 Oct 2026, 10:00 in Chicago (15:00 UTC)."""

from tests.groups.conftest import clients, frozen, make_group  # noqa: F401
