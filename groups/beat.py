"""Periodic tasks of the groups app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {}
