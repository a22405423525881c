"""Periodic tasks of the resources app, merged into the beat schedule in recovery_site/celery.py."""

SCHEDULE: dict[str, dict] = {
    # Referral follow-ups that came due (30/60/90 days) land in the referrer's inbox once each.
    "resources-referral-follow-ups-plan": {"task": "resources.tasks.referral_follow_ups_plan", "schedule": 3600.0},
}
