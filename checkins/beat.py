"""Periodic tasks of the checkins app, merged into the beat schedule in recovery_site/celery.py.

Both planners are idempotent (dedupe keys on the local day or the flag; one open flag per kind),
so a second beat or a re-run inserts nothing."""

SCHEDULE: dict[str, dict] = {
    # The check-in nudge at each member's chosen local time, only if they have not checked in.
    "checkins-nudges-plan": {"task": "checkins.tasks.checkin_nudges_plan", "schedule": 300.0},
    # No check-in for 3 local days: open a flag for the care team and tell the mentor once.
    "checkins-no-checkin-flags-plan": {"task": "checkins.tasks.no_checkin_flags_plan", "schedule": 3600.0},
    # Testing: a reminder 15 minutes before a scheduled test; no result 2 hours after opens `missed_test`.
    "checkins-test-reminders-plan": {"task": "checkins.tasks.test_reminders_plan", "schedule": 300.0},
    "checkins-missed-test-flags-plan": {"task": "checkins.tasks.missed_test_flags_plan", "schedule": 900.0},
    # The clinicians' weekly digest: Monday from 8 am in each clinician's zone, once per ISO week.
    # Medication reminders at each member's chosen local times (only for members who set one).
    "checkins-medication-reminders-plan": {"task": "checkins.tasks.medication_reminders_plan", "schedule": 300.0},
    "checkins-weekly-digest-plan": {"task": "checkins.tasks.weekly_digest_plan", "schedule": 900.0},
}
