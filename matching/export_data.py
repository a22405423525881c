"""The matching app's part of a client's record (summary provider), of "all my data" (exporter),
and the hooks that keep the cached mentor pool fresh."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from members.choices import Role

from . import selectors
from .models import ContactLog, Match, MatchRequest


def client_summaries(viewer: Any, clients: Sequence[Any]) -> dict[int, dict[str, Any]]:
    """{client_id: {mentor, last_contact_at}}: two queries for any number of clients. The last
    contact time is a fact of engagement, not the log's content (notes stay behind consent)."""
    ids = [c.pk for c in clients]
    if not ids or getattr(viewer, "role", None) == Role.FAMILY:
        return {}  # family see what the client shares, not who they talk to or when
    data = selectors.last_contacts(client_ids=ids)
    return {
        pk: {"mentor": data.get(pk, {}).get("mentor"), "last_contact_at": data.get(pk, {}).get("last_contact_at")} for pk in ids
    }


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
