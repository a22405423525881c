"""Thin tasks over dashboard.rollups."""

from datetime import date

from celery import shared_task

from . import rollups


@shared_task(ignore_result=True)
def rollups_refresh_task(pairs: list[list]) -> int:
    return rollups.rollups_refresh(pairs=[(int(c), date.fromisoformat(str(d))) for c, d in pairs])


@shared_task(ignore_result=True)
def rollups_refresh_recent() -> int:
    return rollups.rollups_refresh_recent()
