"""Thin tasks: take ids, call one service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> str:
    return services.delivery_attempt(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def deliveries_dispatch_due() -> int:
    return services.deliveries_dispatch_due()


@shared_task(ignore_result=True)
def deliveries_sweep_stuck() -> int:
    return services.deliveries_sweep_stuck()
