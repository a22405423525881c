"""Periodic tasks of the checkins app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {}
