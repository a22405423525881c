"""WebSocket /ws/conversations/{id}/: participants receive new messages; anyone else is
refused at the handshake. In-memory channel layer here; test_socket_redis.py runs the same
through the real Redis layer."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from members.tokens import token_issue

pytestmark = pytest.mark.django_db(transaction=True)

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def app() -> Any:
    from recovery_site.asgi import application

    return application


def run(fn: Any, *args: Any) -> Any:
    """Run a coroutine on its own event loop in a fresh thread (the browser tests' Playwright
    keeps a loop running in the main thread for the whole session)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(fn(*args))).result(timeout=30)


def communicator(conv_id: int, token: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if token:
        headers.append((b"authorization", f"Token {token}".encode()))
    return WebsocketCommunicator(app(), f"/ws/conversations/{conv_id}/", headers=headers)


async def _receives(conv_id: int, token: str, post: Any) -> dict[str, Any]:
    ws = communicator(conv_id, token)
    connected, _ = await ws.connect()
    assert connected
    await sync_to_async(post)()
    frame = await ws.receive_json_from(timeout=2)
    await ws.disconnect()
    return frame


async def _refused(conv_id: int, token: str | None) -> bool:
    ws = communicator(conv_id, token)
    connected, _ = await ws.connect()
    await ws.disconnect()
    return not connected


@override_settings(CHANNEL_LAYERS=IN_MEMORY)
def test_a_participant_receives_the_other_ones_message_live(api, maya, jordan, match_conv):
    def post() -> None:
        assert (
            api(jordan)
            .post(f"/api/v1/conversations/{match_conv.pk}/messages/", {"body": "Live hello"}, format="json")
            .status_code
            == 201
        )

    frame = run(_receives, match_conv.pk, token_issue(user=maya).key, post)
    assert frame["type"] == "message" and frame["message"]["body"] == "Live hello"
    assert frame["message"]["sender"]["id"] == jordan.pk


@override_settings(CHANNEL_LAYERS=IN_MEMORY)
def test_the_handshake_refuses_everyone_else(maya, dr_reyes, omar, priya, sam, match_conv):
    for outsider in (dr_reyes, omar, priya, sam):  # her clinician too: the match conversation is private
        assert run(_refused, match_conv.pk, token_issue(user=outsider).key)
    assert run(_refused, match_conv.pk, None)  # anonymous
    assert run(_refused, match_conv.pk, "not-a-token")
    assert run(_refused, 999_999, token_issue(user=maya).key)  # no such conversation


async def _silent(conv_id: int, token: str, act: Any) -> bool:
    ws = communicator(conv_id, token)
    connected, _ = await ws.connect()
    assert connected
    await sync_to_async(act)()
    quiet = await ws.receive_nothing(timeout=0.5)
    await ws.disconnect()
    return quiet


@override_settings(CHANNEL_LAYERS=IN_MEMORY)
def test_the_writer_is_told_live_when_the_other_has_read_her_message(api, maya, jordan, match_conv):
    url = f"/api/v1/conversations/{match_conv.pk}/"
    sent = api(maya).post(url + "messages/", {"body": "Did you see this?"}, format="json").json()

    def read() -> None:
        assert api(jordan).post(url + "read/").status_code == 200

    frame = run(_receives, match_conv.pk, token_issue(user=maya).key, read)
    assert frame == {"type": "read", "user": jordan.pk, "last_read_id": sent["id"]}  # her page shows "Seen"
    # Reading again, with nothing new, tells nobody anything.
    assert run(_silent, match_conv.pk, token_issue(user=maya).key, read)
