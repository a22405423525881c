"""Thin tasks: call one service (planners take no ids: they find everyone due in one pass)."""

from celery import shared_task

from . import digest, services


@shared_task(ignore_result=True)
def checkin_nudges_plan() -> int:
    return services.checkin_nudges_plan()


@shared_task(ignore_result=True)
def no_checkin_flags_plan() -> int:
    return services.no_checkin_flags_plan()


@shared_task(ignore_result=True)
def weekly_digest_plan() -> int:
    return digest.weekly_digest_plan()


@shared_task(ignore_result=True)
def test_reminders_plan() -> int:
    return services.test_reminders_plan()


@shared_task(ignore_result=True)
def missed_test_flags_plan() -> int:
    return services.missed_test_flags_plan()


@shared_task(ignore_result=True)
def medication_reminders_plan() -> int:
    from .services.medications import medication_reminders_plan as plan

    return plan()
