"""Thin Celery tasks: each calls one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="groups.tasks.sessions_extend_horizon")
def sessions_extend_horizon() -> int:
    """Keep HORIZON_DAYS of sessions ahead of every active group (idempotent)."""
    return services.sessions_extend_horizon()


@shared_task(name="groups.tasks.session_reminders_plan", ignore_result=True)
def session_reminders_plan() -> int:
    """Group session reminders 24 h and 1 h ahead (idempotent: dedupe keys)."""
    return services.session_reminders_plan()


@shared_task(name="groups.tasks.missed_sessions_flags_plan", ignore_result=True)
def missed_sessions_flags_plan() -> int:
    """Open "missed two sessions in a row" flags, per organization (idempotent: one open flag)."""
    return services.missed_sessions_flags_plan()
