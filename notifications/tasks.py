"""Thin tasks: take ids, call one service. None carries an ETA or a countdown: what waits
(quiet hours, backoff) waits in the database for the dispatcher."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def deliver_batch(delivery_ids: list[int]) -> int:
    return len(services.deliveries_deliver(ids=delivery_ids))


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> str:
    # Messages already queued under the one-row task (before an upgrade) still deliver.
    return services.delivery_attempt(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def deliveries_dispatch_due() -> int:
    return services.deliveries_dispatch_due()


@shared_task(ignore_result=True)
def deliveries_sweep_stuck() -> int:
    return services.deliveries_sweep_stuck()
