"""The member's referrals and curriculum progress in her own export (members.exports)."""

from __future__ import annotations

from typing import Any

from members.models import User

from .models import FollowUp, ModuleDone, Referral


def referrals(user: User) -> dict[str, Any]:
    rows = list(Referral.objects.filter(client=user).values("id", "resource__name", "note", "status", "created_at"))
    follow = list(FollowUp.objects.filter(referral__client=user).values("referral_id", "due_on", "outcome", "recorded_at"))
    done = list(ModuleDone.objects.filter(client=user).values("module__week", "module__title", "done_at"))
    return {"referrals": rows, "follow_ups": follow, "curriculum_done": done}
