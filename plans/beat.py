"""Periodic tasks of the plans app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {
    # Milestones reached since the last runs (set-based; the unique constraint makes re-runs free).
    "plans-milestones-plan": {"task": "plans.tasks.milestones_plan", "schedule": 3600.0},
}
