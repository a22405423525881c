"""Thin tasks: take ids, call one service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def proposals_expire() -> int:
    return services.proposals_expire()


@shared_task(ignore_result=True)
def proposals_notify(match_ids: list[int]) -> int:
    return services.proposals_notify(match_ids=match_ids)
