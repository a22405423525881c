"""Messaging's part in matching's contact sources (a mentor's messages are contact), and the
hooks that open conversations when a match becomes active or a care team forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Min, QuerySet
from django.db.models.functions import TruncDate

from matching.contact_sources import ContactEntry
from matching.models import MatchStatus

from .models import Conversation, Kind, Message


def last_by_pair(client_ids: Sequence[int]) -> QuerySet[Any]:
    """(client_id, mentor_id, at: the mentor's last message) for many members, as a queryset
    matching's last_contacts reads in the same query as the logged contacts."""
    return (
        Conversation.objects.filter(kind=Kind.MATCH, client_id__in=list(client_ids), last_mentor_message_at__isnull=False)
        .annotate(mentor_id=F("match__mentor_id"), at=F("last_mentor_message_at"))
        .values("client_id", "mentor_id", "at")
        .order_by()
    )


def entries_for_match(match: Any) -> list[ContactEntry]:
    """One line per day the mentor wrote: when, how many messages. Never what was said."""
    conv = Conversation.objects.filter(match=match).first()
    if conv is None or conv.first_mentor_message_at is None:
        return []
    zone = ZoneInfo(match.client.timezone if hasattr(match, "client") else "UTC")
    days = (
        Message.objects.filter(conversation=conv, sender_id=match.mentor_id)
        .annotate(day=TruncDate("sent_at", tzinfo=zone))
        .values("day")
        .annotate(first=Min("sent_at"), n=Count("pk"))
        .order_by("-day")
    )
    return [
        ContactEntry(
            occurred_at=row["first"],
            mode="text",
            duration_minutes=0,
            note="",
            source="messages",
            count=row["n"],
        )
        for row in days
    ]


def match_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.status == MatchStatus.ACTIVE:
        from .services import conversation_open_for_match

        conversation_open_for_match(match=instance)


def care_team_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created and instance.ended_at is None:
        from .services import conversation_care_team_ensure

        conversation_care_team_ensure(client=instance.client)
