"""A real daphne serving the project's ASGI application (HTTP and WebSockets, recovery_site.asgi)
for browser tests of live pages. pytest-django's live_server is WSGI only: no WebSockets.

Daphne runs in a thread of the test process, not in a process of its own, so the server sees
what the test sees: its settings overrides (the fast password hasher) and its test database.

- PostgreSQL: the server's threads open their own connections to the test database, so the test
  must commit what it creates (`transactional_db`, as ChannelsLiveServerTestCase does).
- SQLite: pytest-django's test database is in memory, visible to one connection only; as
  Django's own LiveServerThread does, every thread shares the test's connection, and HTTP
  requests take turns on it (one connection is not safe for concurrent transactions).

Twisted's reactor runs once per process, so the server is started once per session
(`DaphneThread.shared()`) and each test gets its own database and URL through `serve()`."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

HOST = "127.0.0.1"


class _SharedConnections:
    """Stands in for the thread-local store of django.db.connections: every thread sees the
    same connection objects."""


class _Turns:
    """ASGI middleware: while `active`, HTTP requests are served one at a time. WebSockets are
    not held (a socket lives as long as its page)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.active = False
        self._lock: asyncio.Lock | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.active or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._lock is None:
            self._lock = asyncio.Lock()  # created on daphne's own event loop
        async with self._lock:
            await self.app(scope, receive, send)


class DaphneThread(threading.Thread):
    _instance: ClassVar[DaphneThread | None] = None

    def __init__(self) -> None:
        super().__init__(name="daphne-live", daemon=True)
        self.port = 0
        self.error: BaseException | None = None
        self.turns: _Turns | None = None
        self._server: Any = None

    @classmethod
    def shared(cls) -> DaphneThread:
        if cls._instance is None:
            server = cls()
            server.start()
            server._wait_listening()
            cls._instance = server
        return cls._instance

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def run(self) -> None:
        try:
            from daphne.endpoints import build_endpoint_description_strings
            from daphne.server import Server  # installs Twisted's asyncio reactor
            from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

            from recovery_site.asgi import application

            self.turns = _Turns(application)
            self._server = Server(
                application=ASGIStaticFilesHandler(self.turns),
                endpoints=build_endpoint_description_strings(host=HOST, port=0),
                signal_handlers=False,  # not the main thread
                verbosity=0,
            )
            self._server.run()
        except BaseException as exc:  # reported to the test that waits for the port
            self.error = exc

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.error is not None:
                raise RuntimeError("daphne did not start") from self.error
            if self._server is not None and self._server.listening_addresses:
                self.port = self._server.listening_addresses[0][1]
                return
            time.sleep(0.05)
        raise RuntimeError("daphne did not start listening within 15 s")

    def stop(self) -> None:
        from twisted.internet import reactor

        if self.is_alive():
            reactor.callFromThread(reactor.stop)  # type: ignore[attr-defined]
            self.join(timeout=5)

    @contextmanager
    def serve(self) -> Iterator[str]:
        """For one test (inside a `transactional_db` test): the server uses the test database."""
        from django.db import connections

        conn = connections["default"]
        shares = conn.vendor == "sqlite" and conn.is_in_memory_db()
        saved_store = connections._connections
        saved_max_age = conn.settings_dict.get("CONN_MAX_AGE")
        # Each ASGI request runs in a thread of its own: persistent connections would outlive
        # their threads (and keep PostgreSQL from dropping the test database at the end).
        conn.settings_dict["CONN_MAX_AGE"] = 0
        if shares:
            conn.ensure_connection()
            conn.inc_thread_sharing()
            store = _SharedConnections()
            for alias in connections:
                setattr(store, alias, connections[alias])
            connections._connections = store  # type: ignore[assignment]
            assert self.turns is not None
            self.turns.active = True
        try:
            yield self.url
        finally:
            if shares:
                assert self.turns is not None
                self.turns.active = False
                connections._connections = saved_store
                conn.dec_thread_sharing()
            conn.settings_dict["CONN_MAX_AGE"] = saved_max_age
