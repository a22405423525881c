"""Beat's heartbeat: each beat-scheduled task records when it started in a worker, so
/healthz can say whether the planners run (`beat: down` after five quiet minutes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ..models import PlannerRun

BEAT_SILENCE = timedelta(minutes=5)


def planner_run_record(*, task: str, at: datetime | None = None) -> None:
    PlannerRun.objects.update_or_create(task=task[:200], defaults={"last_run_at": at or timezone.now()})


def beat_last_run() -> datetime | None:
    return PlannerRun.objects.order_by("-last_run_at").values_list("last_run_at", flat=True).first()


def beat_status(*, now: datetime | None = None) -> str:
    last = beat_last_run()
    return "ok" if last is not None and last >= (now or timezone.now()) - BEAT_SILENCE else "down"
