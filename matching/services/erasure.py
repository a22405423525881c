"""The matching app's part of erasing a person's data (members.exports.register_eraser)."""

from __future__ import annotations

from django.utils import timezone

from members.models import User

from ..models import ContactLog, Match, MatchRequest, RequestStatus


def matching_erase(user: User) -> None:
    """Erasure: notes and free text about or by this person go; the bare facts that a match
    existed stay for program statistics, without words."""
    ContactLog.objects.filter(client=user).update(note="")
    ContactLog.objects.filter(mentor=user).update(note="")
    Match.objects.filter(client=user).update(end_reason="", reasons=[])
    MatchRequest.objects.filter(client=user).update(preferences={})
    MatchRequest.objects.filter(client=user, status=RequestStatus.OPEN).update(
        status=RequestStatus.CANCELLED, closed_at=timezone.now()
    )
