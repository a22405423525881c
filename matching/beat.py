"""Periodic tasks of the matching app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {}
