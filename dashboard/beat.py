"""Periodic tasks of the dashboard app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {
    # The last two local days of every client, recomputed: catches writes that bypassed signals.
    "dashboard-rollups-recent": {"task": "dashboard.tasks.rollups_refresh_recent", "schedule": 3600.0},
}
