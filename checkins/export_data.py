"""The checkins app's part of a member's data export (GET /api/v1/me/export/)."""

from __future__ import annotations

from typing import Any

from members.models import User

from .models import Assessment, CheckIn, FamilyCheckIn, RiskFlag, TestResult


def checkins(user: User) -> list[dict[str, Any]]:
    return [
        {
            "date": c.local_date.isoformat(),
            "mood": c.mood,
            "craving": c.craving,
            "used": c.used,
            "amount": str(c.amount) if c.amount is not None else None,
            "connected": c.connected,
            "note": c.note,
            "need_support": c.need_support,
            "created_at": c.created_at.isoformat(),
            "updated_at": c.updated_at.isoformat(),
        }
        for c in CheckIn.objects.filter(client=user).order_by("local_date")
    ]


def assessments(user: User) -> list[dict[str, Any]]:
    return [
        {
            "instrument": a.instrument,
            "answers": a.answers,
            "score": a.score,
            "band": a.band,
            "flags": a.flags,
            "subscores": a.subscores,
            "taken_at": a.taken_at.isoformat(),
        }
        for a in Assessment.objects.filter(client=user).order_by("taken_at")
    ]


def risk_flags(user: User) -> list[dict[str, Any]]:
    """Flags the care team raised about the member are part of the member's record too."""
    return [
        {
            "kind": f.kind,
            "reason": f.reason,
            "opened_at": f.opened_at.isoformat(),
            "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None,
            "resolution_note": f.resolution_note,
        }
        for f in RiskFlag.objects.filter(client=user).order_by("opened_at")
    ]


def family_checkins(user: User) -> list[dict[str, Any]]:
    """A family member's own check-ins."""
    return [
        {
            "date": c.local_date.isoformat(),
            "mood": c.mood,
            "stress": c.stress,
            "took_time_for_myself": c.took_time_for_myself,
            "note": c.note,
            "updated_at": c.updated_at.isoformat(),
        }
        for c in FamilyCheckIn.objects.filter(member=user).order_by("local_date")
    ]


def test_results(user: User) -> list[dict[str, Any]]:
    return [
        {
            "taken_at": t.taken_at.isoformat(),
            "kind": t.kind,
            "result": t.result,
            "value": str(t.value) if t.value is not None else None,
            "substance": t.substance,
            "note": t.note,
        }
        for t in TestResult.objects.filter(client=user).order_by("taken_at")
    ]
