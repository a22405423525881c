"""The member's plan in her own export (members.exports)."""

from __future__ import annotations

from typing import Any

from members.models import User

from .models import Goal, Milestone, Plan


def plan(user: User) -> dict[str, Any]:
    backup = Plan.objects.filter(client=user).values("warning_signs", "coping_steps", "people", "updated_at").first()
    goals = [
        {**g, "steps": list(Goal.objects.get(pk=g["id"]).steps.values("title", "due", "done_at"))}
        for g in Goal.objects.filter(client=user).values("id", "title", "domain", "why", "due", "status", "done_at")
    ]
    milestones = list(Milestone.objects.filter(client=user).values("kind", "reached_on"))
    return {"backup_plan": backup, "goals": goals, "milestones": milestones}
