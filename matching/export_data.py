"""The matching app's part of "all my data" (exporter), and the hooks that keep the cached mentor
pool fresh. Its part of a client's summary is selectors.match_summaries."""

from __future__ import annotations

from typing import Any

from members.choices import Role

from . import selectors
from .models import ContactLog, Match, MatchRequest


def export(user: Any) -> dict[str, Any]:
    requests = list(MatchRequest.objects.filter(client=user).values("id", "status", "preferences", "created_at", "closed_at"))
    fields = (
        "id",
        "client_id",
        "mentor_id",
        "status",
        "score",
        "reasons",
        "proposed_at",
        "accepted_at",
        "ended_at",
        "end_reason",
        "rating",
    )
    matches = list(Match.objects.filter(client=user).values(*fields)) + list(Match.objects.filter(mentor=user).values(*fields))
    contacts = list(
        ContactLog.objects.filter(client=user).values("id", "match_id", "occurred_at", "mode", "duration_minutes", "note")
    ) + list(ContactLog.objects.filter(mentor=user).values("id", "match_id", "occurred_at", "mode", "duration_minutes", "note"))
    return {"requests": requests, "matches": matches, "contacts": contacts}


def pool_changed_by_profile(sender: Any, instance: Any, **kwargs: Any) -> None:
    selectors.mentor_pool_invalidate(organization_id=instance.organization_id)


def pool_changed_by_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.role == Role.MENTOR:
        selectors.mentor_pool_invalidate(organization_id=instance.organization_id)


def pool_changed_by_match(sender: Any, instance: Any, **kwargs: Any) -> None:
    selectors.mentor_pool_invalidate(organization_id=instance.organization_id)
