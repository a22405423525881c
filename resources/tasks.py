"""Thin tasks: call one service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def referral_follow_ups_plan() -> int:
    return services.referral_follow_ups_plan()
