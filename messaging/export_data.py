"""The messaging app's part of "all my data": the member's conversations with every message
in them, and what the caller wrote elsewhere."""

from __future__ import annotations

from typing import Any

from .models import Conversation, Message, Report


def export(user: Any) -> dict[str, Any]:
    conversations = []
    for conv in Conversation.objects.filter(client=user).order_by("pk"):
        conversations.append(
            {
                "id": conv.pk,
                "kind": conv.kind,
                "created_at": conv.created_at,
                "messages": [
                    {
                        "id": m["id"],
                        "sender_id": m["sender_id"],
                        "sender": m["sender__display_name"] or "a former member",
                        "body": m["body"],
                        "sent_at": m["sent_at"],
                    }
                    for m in Message.objects.filter(conversation=conv)
                    .order_by("id")
                    .values("id", "sender_id", "sender__display_name", "body", "sent_at")
                ],
            }
        )
    sent = list(
        Message.objects.filter(sender=user)
        .exclude(conversation__client=user)
        .order_by("id")
        .values("id", "conversation_id", "body", "sent_at")
    )
    reports = list(Report.objects.filter(reporter=user).values("id", "message_id", "reason", "status", "created_at"))
    return {"conversations": conversations, "sent_elsewhere": sent, "reports": reports}
