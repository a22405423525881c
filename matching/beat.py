"""Periodic tasks of the matching app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {
    # Proposals unanswered for 72 hours expire; the client is told and can choose again.
    "matching-expire-proposals": {
        "task": "matching.tasks.proposals_expire",
        "schedule": 300.0,
    },
}
