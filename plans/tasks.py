"""Thin tasks: call one service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def milestones_plan() -> int:
    return services.milestones_plan().inserted
