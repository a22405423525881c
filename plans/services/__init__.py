"""Writes of the plans app, one module per topic (re-exported here):

- plan: the backup plan, goals and steps (who may: plans.selectors.plan_view_for);
- milestones: the set-based planner and a goal done;
- support: what a check-in that shows trouble gives back from her plan."""

from __future__ import annotations

from .milestones import PlannerResult, milestone_goal_done, milestone_title, milestones_plan
from .plan import goal_create, goal_get_for_writer, goal_update, plan_backup_update, plans_erase, step_create, step_done
from .support import plan_support

__all__ = [
    "PlannerResult",
    "goal_create",
    "goal_get_for_writer",
    "goal_update",
    "milestone_goal_done",
    "milestone_title",
    "milestones_plan",
    "plan_backup_update",
    "plan_support",
    "plans_erase",
    "step_create",
    "step_done",
]
