"""The live side of a conversation: WebSocket /ws/conversations/{id}/ (API.md). Thin, as
STYLE.md asks: authenticate (session cookie through AuthMiddlewareStack, or
`Authorization: Token`), ask the same rule as the API (selectors.conversation_get_for_viewer),
join the conversation's group, forward what message_send (a new message) and
conversation_mark_read (someone has read up to a message) publish. Nothing is written here."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from common.errors import NotVisible

from . import selectors
from .services import group_name


@database_sync_to_async
def _may_join(user: Any, conversation_id: Any) -> bool:
    from members.two_factor import two_factor_missing

    if user is None or not getattr(user, "is_authenticated", False) or two_factor_missing(user):
        return False
    try:
        selectors.conversation_get_for_viewer(viewer=user, conversation_id=conversation_id)
    except NotVisible:
        return False
    return True


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.conversation_id = self.scope["url_route"]["kwargs"].get("conversation_id")
        self.group: str | None = None
        if not await _may_join(self.user, self.conversation_id):
            await self.close(code=4404)  # before accept: the handshake is refused (HTTP 403)
            return
        self.group = group_name(int(self.conversation_id))
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Sockets only receive; messages are sent by POST (one path for every rule)."""
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def message_new(self, event: dict[str, Any]) -> None:
        # The audience was computed when the message was sent: someone who left the care team
        # since connecting is not in it and gets nothing.
        if self.user is not None and self.user.pk in event.get("audience", ()):
            await self.send_json({"type": "message", "message": event["message"]})

    async def message_read(self, event: dict[str, Any]) -> None:
        if self.user is not None and self.user.pk in event.get("audience", ()):
            await self.send_json({"type": "read", "user": event["reader"], "last_read_id": event["last_read_id"]})
