"""Periodic tasks of the groups app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {
    # The rolling horizon: materialize sessions up to 90 days ahead. Hourly so a missed run
    # costs nothing; a second beat or run inserts nothing (unique group + original start).
    "groups-extend-session-horizon": {
        "task": "groups.tasks.sessions_extend_horizon",
        "schedule": 3600.0,
    },
}
