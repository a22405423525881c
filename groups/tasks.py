"""Thin Celery tasks: each calls one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="groups.tasks.sessions_extend_horizon")
def sessions_extend_horizon() -> int:
    """Keep HORIZON_DAYS of sessions ahead of every active group (idempotent)."""
    return services.sessions_extend_horizon()
