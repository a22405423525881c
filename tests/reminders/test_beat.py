"""The planners are on the beat schedule, and each scheduled name is a registered task."""

from __future__ import annotations

import pytest

from recovery_site.celery import app


@pytest.mark.parametrize(
    ("entry", "task", "every"),
    [
        ("groups-session-reminders-plan", "groups.tasks.session_reminders_plan", 300.0),
        ("groups-missed-sessions-flags-plan", "groups.tasks.missed_sessions_flags_plan", 3600.0),
        ("checkins-weekly-digest-plan", "checkins.tasks.weekly_digest_plan", 900.0),
    ],
)
def test_planner_is_scheduled_and_registered(entry, task, every):  # type: ignore[no-untyped-def]
    app.loader.import_default_modules()
    assert app.conf.beat_schedule[entry] == {"task": task, "schedule": every}
    assert task in app.tasks
