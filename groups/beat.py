"""Periodic tasks of the groups app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {
    # The rolling horizon: materialize sessions up to 90 days ahead. Hourly so a missed run
    # costs nothing; a second beat or run inserts nothing (unique group + original start).
    "groups-extend-session-horizon": {
        "task": "groups.tasks.sessions_extend_horizon",
        "schedule": 3600.0,
    },
    # Reminders 24 h and 1 h before each session. Every 5 minutes; each reminder stays due until
    # the next one takes over, so a missed run catches up, and never once the session started.
    "groups-session-reminders-plan": {"task": "groups.tasks.session_reminders_plan", "schedule": 300.0},
    # Absent from the last two recorded sessions: open a flag for the care team (tells the mentor once).
    "groups-missed-sessions-flags-plan": {"task": "groups.tasks.missed_sessions_flags_plan", "schedule": 3600.0},
}
