"""Names plans registers with members.access and notifications (apps.py)."""

from __future__ import annotations

PLAN = "plan"  # consent scope: her plan, milestones and curriculum progress
PLAN_RECORD = "plan"  # record kind
MILESTONE = "milestone"  # notification kind
