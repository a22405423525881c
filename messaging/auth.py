"""`Authorization: Token <key>` for WebSocket clients that are not browsers (browsers send the
session cookie, which AuthMiddlewareStack reads). The same token rules as the API."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async


@database_sync_to_async
def _token_user(key: str) -> Any:
    from members.tokens import token_user

    return token_user(key)


class TokenAuthMiddleware:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"authorization", b"").decode("latin-1")
        parts = raw.split()
        if len(parts) == 2 and parts[0].lower() == "token":
            user = await _token_user(parts[1])
            if user is not None:
                scope = {**scope, "user": user}
        return await self.inner(scope, receive, send)
