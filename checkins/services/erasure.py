"""Erasure of a closed account (members.exports.register_eraser)."""

from __future__ import annotations

from members.models import User

from ..models import Assessment, CheckIn, FamilyCheckIn, RiskFlag, TestingSchedule, TestResult


def checkins_erase(user: User) -> None:
    """The member's check-ins, questionnaires and flags go."""
    CheckIn.objects.filter(client=user).delete()
    Assessment.objects.filter(client=user).delete()
    RiskFlag.objects.filter(client=user).delete()
    # A family member's own check-ins, a member's test results and testing schedule go too.
    FamilyCheckIn.objects.filter(member=user).delete()
    TestResult.objects.filter(client=user).delete()
    TestingSchedule.objects.filter(client=user).delete()
