"""Benchmark data and timings for conversations (issue 9): one organization with 2,000 members,
400 mentors (5 mentees each), 20 clinicians, a match and a care-team conversation per member and
1,000,000 messages (80 % in match conversations, 20 % in care-team ones), built by
INSERT … SELECT generate_series in the database. The data is committed (daphne, a separate
process, must read it), kept under its own organization and rebuilt unless `--reuse` finds it.

In-process timings run the real API views (DRF request, pagination, JSON rendering). The live
figures start a real daphne process on the Redis channel layer and connect real WebSocket
clients (the `websockets` package) signed in with `Authorization: Token`, as messaging.auth
expects."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from matching.models import Match, MatchStatus
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile, MentorProfile, Organization, User
from members.tokens import token_issue
from messaging import api
from messaging.models import Conversation, Kind, Message, ReadMark

BENCH_SLUG = "bench-messaging"
TZ = "America/Chicago"
MENTEES_PER_MENTOR = 5
CLIENTS_PER_CLINICIAN = 100


@dataclass
class Timing:
    label: str
    runs_ms: list[float]
    queries: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms)

    def pct(self, p: float) -> float:
        runs = sorted(self.runs_ms)
        return runs[min(len(runs) - 1, round(p / 100 * (len(runs) - 1)))]


@dataclass
class Live:
    latencies_ms: list[float] = field(default_factory=list)
    sockets: int = 0
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    refused: int = 0

    @property
    def rss_growth_mb(self) -> float:
        return self.rss_after_mb - self.rss_before_mb


# ---------------------------------------------------------------------------------------- data


def _delete(org: Organization) -> None:
    """Raw DELETEs for the big tables first (the ORM's cascade would read a million rows)."""
    with connection.cursor() as cur:
        marks, msg, conv = ReadMark._meta.db_table, Message._meta.db_table, Conversation._meta.db_table
        sql = f"DELETE FROM {marks} WHERE conversation_id IN (SELECT id FROM {conv} WHERE organization_id = %s)"  # noqa: S608
        cur.execute(sql, [org.pk])
        cur.execute(f"DELETE FROM {msg} WHERE organization_id = %s", [org.pk])  # noqa: S608 (model table names)
        cur.execute(f"DELETE FROM {conv} WHERE organization_id = %s", [org.pk])  # noqa: S608 (model table names)
    ids = list(User.objects.filter(organization=org).values_list("pk", flat=True))
    CareTeamMember.objects.filter(organization=org).delete()
    Match.objects.filter(organization=org).delete()
    ClientProfile.objects.filter(organization=org).delete()
    MentorProfile.objects.filter(organization=org).delete()
    User.objects.filter(pk__in=ids).delete()
    org.delete()


def existing(*, members: int, messages: int) -> Organization | None:
    org = Organization.objects.filter(slug=BENCH_SLUG).first()
    if org is None:
        return None
    have_members = User.objects.filter(organization=org, role=Role.CLIENT).count()
    have_messages = Message.objects.filter(organization=org).count()
    return org if have_members == members and have_messages >= messages else None


@transaction.atomic
def build(*, members: int = 2000, mentors: int = 400, messages: int = 1_000_000) -> Organization:
    old = Organization.objects.filter(slug=BENCH_SLUG).first()
    if old is not None:
        _delete(old)
    org = Organization.objects.create(slug=BENCH_SLUG, name="Messaging benchmark", timezone=TZ)
    now = timezone.now()
    password = make_password(None)

    def person(n: int, role: str) -> User:
        return User(
            email=f"{role}-{n}@{BENCH_SLUG}.kinship.test",
            display_name=f"{role.title()} {n:04d}",
            role=role,
            organization=org,
            timezone=TZ,
            password=password,
            date_joined=now - timedelta(days=200),
        )

    clients = User.objects.bulk_create([person(n, Role.CLIENT) for n in range(members)], batch_size=1000)
    mentor_users = User.objects.bulk_create([person(n, Role.MENTOR) for n in range(mentors)], batch_size=1000)
    clinicians = User.objects.bulk_create(
        [person(n, Role.CLINICIAN) for n in range(max(members // CLIENTS_PER_CLINICIAN, 1))], batch_size=1000
    )
    ClientProfile.objects.bulk_create(
        [ClientProfile(user=u, organization=org, treatment_consent_at=now, treatment_consent_version="2026-11") for u in clients],
        batch_size=1000,
    )
    MentorProfile.objects.bulk_create(
        [MentorProfile(user=m, organization=org, status="approved", capacity=MENTEES_PER_MENTOR) for m in mentor_users]
    )
    mentor_of = {c.pk: mentor_users[i % len(mentor_users)] for i, c in enumerate(clients)}
    clinician_of = {c.pk: clinicians[i % len(clinicians)] for i, c in enumerate(clients)}
    accepted = now - timedelta(days=180)
    matches = Match.objects.bulk_create(
        [
            Match(
                organization=org,
                client=c,
                mentor=mentor_of[c.pk],
                status=MatchStatus.ACTIVE,
                proposed_at=accepted,
                responded_at=accepted,
                accepted_at=accepted,
            )
            for c in clients
        ],
        batch_size=1000,
    )  # bulk_create sends no post_save: the conversations are made here, below
    CareTeamMember.objects.bulk_create(
        [CareTeamMember(organization=org, client=c, member=mentor_of[c.pk], role=CareRole.MENTOR) for c in clients]
        + [CareTeamMember(organization=org, client=c, member=clinician_of[c.pk], role=CareRole.CLINICIAN) for c in clients],
        batch_size=2000,
    )
    Conversation.objects.bulk_create(
        [Conversation(organization=org, kind=Kind.MATCH, client=m.client, match=m, created_at=accepted) for m in matches]
        + [Conversation(organization=org, kind=Kind.CARE_TEAM, client=c, created_at=accepted) for c in clients],
        batch_size=2000,
    )

    # The messages, in the database: match conversations alternate member and mentor; care-team
    # ones rotate member, mentor, clinician. Rows are interleaved across conversations (ordered by
    # the step, then the conversation) with times spread over the last 180 days, as real traffic.
    per_match = max(int(messages * 0.8) // members, 1)
    per_team = max((messages - per_match * members) // members, 1)
    msg, conv, match_t, team_t = (
        Message._meta.db_table,
        Conversation._meta.db_table,
        Match._meta.db_table,
        CareTeamMember._meta.db_table,
    )
    span = 180 * 24 * 3600.0
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {msg} (organization_id, conversation_id, sender_id, body, sent_at, crisis)
            SELECT c.organization_id, c.id,
                   CASE WHEN g %% 2 = 0 THEN c.client_id ELSE m.mentor_id END,
                   'Bench message ' || g || ': how did the week go?',
                   %s::timestamptz - make_interval(secs => %s * (1 - g::float / %s)) + make_interval(secs => c.id %% 600),
                   false
            FROM {conv} c JOIN {match_t} m ON m.id = c.match_id, generate_series(1, %s) AS g
            WHERE c.organization_id = %s AND c.kind = 'match'
            ORDER BY g, c.id
            """,  # noqa: S608 (model table names)
            [now, span, per_match, per_match, org.pk],
        )
        cur.execute(
            f"""
            INSERT INTO {msg} (organization_id, conversation_id, sender_id, body, sent_at, crisis)
            SELECT c.organization_id, c.id,
                   CASE g %% 3 WHEN 0 THEN c.client_id WHEN 1 THEN mt.member_id ELSE ct.member_id END,
                   'Care team note ' || g || ': appointment moved to Thursday',
                   %s::timestamptz - make_interval(secs => %s * (1 - g::float / %s)) + make_interval(secs => c.id %% 600),
                   false
            FROM {conv} c
            JOIN {team_t} mt ON mt.client_id = c.client_id AND mt.role = 'mentor'
            JOIN {team_t} ct ON ct.client_id = c.client_id AND ct.role = 'clinician',
            generate_series(1, %s) AS g
            WHERE c.organization_id = %s AND c.kind = 'care_team'
            ORDER BY g, c.id
            """,  # noqa: S608 (model table names)
            [now - timedelta(minutes=20), span, per_team, per_team, org.pk],
        )
        # What message_send keeps per conversation: the last message, the mentor's first and last.
        cur.execute(
            f"""
            UPDATE {conv} c SET last_message_at = s.last_at, first_mentor_message_at = s.first_mentor,
                   last_mentor_message_at = s.last_mentor
            FROM (
                SELECT x.conversation_id, max(x.sent_at) AS last_at,
                       min(x.sent_at) FILTER (WHERE x.sender_id = m.mentor_id AND c2.kind = 'match') AS first_mentor,
                       max(x.sent_at) FILTER (WHERE x.sender_id = m.mentor_id AND c2.kind = 'match') AS last_mentor
                FROM {msg} x JOIN {conv} c2 ON c2.id = x.conversation_id
                LEFT JOIN {match_t} m ON m.id = c2.match_id
                WHERE x.organization_id = %s GROUP BY x.conversation_id
            ) s WHERE c.id = s.conversation_id
            """,  # noqa: S608 (model table names)
            [org.pk],
        )
        # Everyone has read up to a day ago: a few unread each, as on a normal morning.
        cur.execute(
            f"""
            INSERT INTO {ReadMark._meta.db_table} (conversation_id, user_id, last_read_id, read_at)
            SELECT x.conversation_id, x.sender_id, max(x.id), %s
            FROM {msg} x WHERE x.organization_id = %s AND x.sent_at < %s
            GROUP BY x.conversation_id, x.sender_id
            """,  # noqa: S608 (model table names)
            [now, org.pk, now - timedelta(days=1)],
        )
        for table in (msg, conv, ReadMark._meta.db_table, match_t, team_t, User._meta.db_table):
            cur.execute(f"ANALYZE {table}")
    return org


def counts(org: Organization) -> dict[str, int]:
    return {
        "members": User.objects.filter(organization=org, role=Role.CLIENT).count(),
        "mentors": User.objects.filter(organization=org, role=Role.MENTOR).count(),
        "conversations": Conversation.objects.filter(organization=org).count(),
        "messages": Message.objects.filter(organization=org).count(),
    }


# ------------------------------------------------------------------------------ in-process timings


def _timed(label: str, call: Any, runs: int) -> Timing:
    call()  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code in (200, 201), (label, response.status_code, getattr(response, "data", None))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - t0) * 1000)
    return Timing(label, times, len(ctx.captured_queries))


def timings(org: Organization, *, runs: int = 30) -> list[Timing]:
    factory = APIRequestFactory(SERVER_NAME="localhost")  # a host ALLOWED_HOSTS knows (next links)
    mentor = User.objects.filter(organization=org, role=Role.MENTOR).order_by("pk").first()
    clinician = User.objects.filter(organization=org, role=Role.CLINICIAN).order_by("pk").first()
    member = User.objects.filter(organization=org, role=Role.CLIENT).order_by("pk").first()
    assert mentor and clinician and member
    conv = Conversation.objects.filter(client=member, kind=Kind.MATCH).get()
    middle = Message.objects.filter(conversation=conv).order_by("id").values_list("id", flat=True)
    middle_id = middle[middle.count() // 2]
    list_view = api.ConversationListApi.as_view()
    messages_view = api.MessageListApi.as_view()

    def get(view: Any, path: str, user: User, **kwargs: Any) -> Any:
        def call() -> Any:
            request = factory.get(path)
            force_authenticate(request, user=user)
            response = view(request, **kwargs)
            response.render()
            return response

        return call

    out = [
        _timed("conversation list: member (2 conversations)", get(list_view, "/api/v1/conversations/", member), runs),
        _timed("conversation list: mentor (10 conversations)", get(list_view, "/api/v1/conversations/", mentor), runs),
        _timed("conversation list: clinician (100 care teams)", get(list_view, "/api/v1/conversations/", clinician), runs),
        _timed(
            "messages: newest 50 of a 400-message conversation",
            get(messages_view, f"/api/v1/conversations/{conv.pk}/messages/", member, conversation_id=conv.pk),
            runs,
        ),
        _timed(
            "messages: 50 before the middle",
            get(
                messages_view,
                f"/api/v1/conversations/{conv.pk}/messages/?before={middle_id}",
                member,
                conversation_id=conv.pk,
            ),
            runs,
        ),
    ]

    # Posting: each run a different mentor in a different conversation (30 a minute is the limit).
    pairs = list(
        Conversation.objects.filter(organization=org, kind=Kind.MATCH)
        .order_by("pk")
        .values_list("pk", "match__mentor_id")
        .distinct()[: runs + 2]
    )
    users = User.objects.in_bulk([m for _, m in pairs])
    it = iter(pairs)

    def post() -> Any:
        conv_id, mentor_id = next(it)
        request = factory.post(f"/api/v1/conversations/{conv_id}/messages/", {"body": "Thinking of you today."}, format="json")
        force_authenticate(request, user=users[mentor_id])
        response = messages_view(request, conversation_id=conv_id)
        response.render()
        return response

    out.append(_timed("post a message (mentor, in-process server time)", post, runs))
    return out


# -------------------------------------------------------------------------------------- live


def fresh_channel_prefix() -> str:
    """A channel-layer prefix of this run's own, here and (through CHANNEL_PREFIX) in daphne:
    groups left in Redis by an earlier run's killed sockets would otherwise still be sent to
    (and fill up) until they expire."""
    from channels.layers import channel_layers

    prefix = f"kinship-bench-{os.getpid()}-{int(time.time())}"
    settings.CHANNEL_LAYERS["default"].setdefault("CONFIG", {})["prefix"] = prefix
    os.environ["CHANNEL_PREFIX"] = prefix
    channel_layers.backends = {}
    return prefix


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"daphne exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("daphne did not start")


@contextmanager
def daphne(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A real daphne process serving recovery_site.asgi on `port`, with this process's settings
    (DATABASE_URL, REDIS_URL: the same database and channel layer)."""
    exe = Path(sys.executable).with_name("daphne")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "recovery_site.settings")}
    proc = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(exe), "-b", "127.0.0.1", "-p", str(port), "recovery_site.asgi:application"],
        cwd=str(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


class _Sockets:
    """WebSocket clients on an event loop of their own thread; frames are timestamped on arrival."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.arrived: dict[int, float] = {}
        self.cond = threading.Condition()
        self.conns: list[Any] = []

    def run(self, coro: Any, timeout: float = 300) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _open(self, conversation_id: int, key: str) -> Any:
        from websockets.asyncio.client import connect

        ws = await connect(
            f"ws://127.0.0.1:{self.port}/ws/conversations/{conversation_id}/",
            additional_headers={"Authorization": f"Token {key}"},
            origin=f"http://127.0.0.1:{self.port}",  # type: ignore[arg-type]
            open_timeout=30,
        )
        self.loop.create_task(self._read(ws))
        return ws

    async def _read(self, ws: Any) -> None:
        import json

        try:
            async for raw in ws:
                at = time.perf_counter()
                frame = json.loads(raw)
                if frame.get("type") == "message":
                    with self.cond:
                        self.arrived[frame["message"]["id"]] = at
                        self.cond.notify_all()
        except Exception:  # closed
            return

    async def _open_many(self, pairs: list[tuple[int, str]], batch: int = 100) -> int:
        refused = 0
        for i in range(0, len(pairs), batch):
            results = await asyncio.gather(*(self._open(c, k) for c, k in pairs[i : i + batch]), return_exceptions=True)
            for r in results:
                if isinstance(r, BaseException):
                    refused += 1
                else:
                    self.conns.append(r)
        return refused

    def open_many(self, pairs: list[tuple[int, str]]) -> int:
        return int(self.run(self._open_many(pairs)))

    def wait_for(self, message_id: int, timeout: float = 5.0) -> float | None:
        with self.cond:
            self.cond.wait_for(lambda: message_id in self.arrived, timeout)
            return self.arrived.get(message_id)

    def close(self) -> None:
        async def _close() -> None:
            await asyncio.gather(*(c.close() for c in self.conns), return_exceptions=True)

        try:
            self.run(_close(), timeout=60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)


def live(org: Organization, *, port: int, sockets: int = 1000, posts: int = 200) -> Live:
    """1,000 members connect to their match conversations and stay idle (daphne's RSS before and
    after); then mentors post through the real API (in this process, publishing on the shared Redis
    channel layer) and the member's open socket in daphne's process times the frame's arrival."""
    result = Live()
    members = list(
        Conversation.objects.filter(organization=org, kind=Kind.MATCH)
        .order_by("pk")
        .values_list("pk", "client_id", "match__mentor_id")[:sockets]
    )
    users = User.objects.in_bulk([c for _, c, _ in members] + [m for _, _, m in members])
    keys = {c: token_issue(user=users[c]).key for _, c, _ in members}
    factory = APIRequestFactory(SERVER_NAME="localhost")  # a host ALLOWED_HOSTS knows (next links)
    view = api.MessageListApi.as_view()
    with daphne(port) as proc:
        client = _Sockets(port)
        try:
            # Warm: one socket opened and closed, so the baseline includes Django and Channels loaded.
            first_conv, first_client, _ = members[0]
            client.open_many([(first_conv, keys[first_client])])
            client.run(client.conns.pop().close())
            time.sleep(1.0)
            result.rss_before_mb = _rss_mb(proc.pid)
            result.refused = client.open_many([(conv, keys[c]) for conv, c, _ in members])
            result.sockets = len(client.conns)
            time.sleep(2.0)
            result.rss_after_mb = _rss_mb(proc.pid)
            # Live: one mentor per match conversation, one post each per round (30 a minute is the limit).
            senders = members[: min(len(members), 100)]
            for i in range(posts):
                conv_id, _, mentor_id = senders[i % len(senders)]
                request = factory.post(f"/api/v1/conversations/{conv_id}/messages/", {"body": f"Live check {i}"}, format="json")
                force_authenticate(request, user=users[mentor_id])
                t0 = time.perf_counter()
                response = view(request, conversation_id=conv_id)
                response.render()
                message_id = response.data["id"]
                at = client.wait_for(message_id)
                result.latencies_ms.append((at - t0) * 1000 if at is not None else 5000.0)
                time.sleep(0.02)
        finally:
            client.close()
    return result
