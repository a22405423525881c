from celery import shared_task

from . import services


@shared_task
def accounts_erase_due() -> int:
    return services.accounts_erase_due()
