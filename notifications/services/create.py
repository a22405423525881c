"""Creating notifications, one or a hundred thousand at a time.

`notifications_create_many` is what planners call: every step is one statement for the whole
batch (or one per time zone in use), never one per row:

1. the recipients and their preferences (one query);
2. on PostgreSQL, for batches with capped kinds, a transaction-level advisory lock per
   organization, so two planners at once cannot both see "5 today" and both add a sixth;
3. the dedupe keys already used (one query) and today's capped count per recipient (one query
   per time zone);
4. one `INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING` for the notifications and one
   INSERT for their deliveries;
5. on commit, the deliveries due now go to the broker in batches (`deliver_batch`); if the
   broker is away the rows wait in PostgreSQL for the dispatcher.

`notification_create` (one row) is the same path with a batch of one, so both obey the same
cap, quiet hours, opt-outs and dedupe rules."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation

from members.models import User

from ..kinds import capped_kinds, kind_info, kind_known
from ..models import Channel, Delivery, EmailOptOut, Notification, Priority
from .preferences import channels_for, quiet_release_at

log = logging.getLogger(__name__)

# Deliveries per broker message: one worker claims the batch, opens one email connection, sends.
DELIVERY_BATCH = 100
# Advisory lock namespace (pg_advisory_xact_lock(int, int)): "daily cap, organization N".
CAP_LOCK_CLASS = 14_001
_SQLITE_CHUNK = 500  # SQLite allows 999 bound parameters per statement


@dataclass(frozen=True)
class NotificationSpec:
    """One notification to create. `title` and `body` stay in Kinship (the inbox); email and
    SMS carry only `outside_text` (default: the kind's bare line) and a link."""

    recipient_id: int
    kind: str
    title: str
    dedupe_key: str
    body: str = ""
    url: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    priority: int = Priority.NORMAL
    force_channels: tuple[str, ...] | None = None
    # Quiet hours would hold the email past this moment (a reminder for a session that has begun
    # by then): the inbox copy is enough, no email or text arrives too late.
    stale_after: datetime | None = None
    outside_text: str = ""


@dataclass(frozen=True)
class _Recipient:
    pk: int
    is_active: bool
    organization_id: int | None
    timezone: str
    has_phone: bool
    channels: list[str] | None
    quiet_start: time | None
    quiet_end: time | None
    language: str = "en"


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _pg_execute(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one statement on Django's connection (so inside its transaction) with server-side
    binding: big arrays travel as binary parameters instead of being quoted into the SQL text
    in Python (which cost more than the statement itself at 100,000 rows)."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_binary_lists(sql, params), params)
        return cursor.fetchall() if cursor.description else []


_PLACEHOLDER = re.compile(r"%%|%s")


def _binary_lists(sql: str, params: Sequence[Any]) -> str:
    """The placeholders of list parameters as `%b`: psycopg then sends those arrays in binary,
    without quoting and escaping each of 100,000 strings in Python."""
    index = -1

    def swap(match: re.Match[str]) -> str:
        nonlocal index
        if match.group() == "%%":
            return "%%"
        index += 1
        return "%b" if isinstance(params[index], list) else "%s"

    return _PLACEHOLDER.sub(swap, sql)


def _in_ids(qs: Any, field_name: str, values: Sequence[Any], sql_type: str, *, flat: bool = False) -> Iterable[Any]:
    """`qs.filter(<field>__in=values)` (a values_list queryset), as one `IN (unnest(array))`
    with a binary array parameter on PostgreSQL and in chunks on SQLite."""
    if not values:
        return []
    if _pg():
        query = qs.filter(**{f"{field_name}__in": RawSQL(f"SELECT unnest(%s::{sql_type}[])", (list(values),))})  # noqa: S611 (a fixed type name)
        sql, params = query.query.sql_with_params()
        rows = _pg_execute(sql, params)
        return [row[0] for row in rows] if flat else rows
    out: list[Any] = []
    for i in range(0, len(values), _SQLITE_CHUNK):
        out.extend(qs.filter(**{f"{field_name}__in": values[i : i + _SQLITE_CHUNK]}))
    return out


def _recipients(ids: Sequence[int]) -> dict[int, _Recipient]:
    """The recipients with their preferences (one query: users left-joined to preferences)."""
    out = {}
    decoded: dict[str, list[str]] = {}  # most people share a handful of channel choices
    columns = ("pk", "is_active", "organization_id", "timezone", "phone", "language")
    preferences = (
        "notification_preference__channels",
        "notification_preference__quiet_start",
        "notification_preference__quiet_end",
    )
    for pk, active, org_id, zone, phone, language, channels, qs, qe in _in_ids(
        User.objects.values_list(*columns, *preferences), "pk", ids, "bigint"
    ):
        if isinstance(channels, str):  # a raw jsonb read on PostgreSQL
            if channels not in decoded:
                decoded[channels] = json.loads(channels)
            channels = decoded[channels]
        out[pk] = _Recipient(pk, active, org_id, zone, bool(phone), channels, qs, qe, language)
    return out


def _existing_keys(keys: Sequence[str]) -> set[str]:
    return set(_in_ids(Notification.objects.values_list("dedupe_key", flat=True), "dedupe_key", keys, "text", flat=True))


def _opted_out(recipient_ids: Sequence[int], kinds: set[str]) -> set[tuple[int, str]]:
    unsubscribable = [k for k in kinds if kind_info(k).unsubscribable]
    if not unsubscribable:
        return set()
    qs = EmailOptOut.objects.filter(kind__in=unsubscribable).values_list("user_id", "kind")
    return set(_in_ids(qs, "user_id", recipient_ids, "bigint"))


def local_midnight(zone: str, now: datetime) -> datetime:
    tz = ZoneInfo(zone)
    return datetime.combine(now.astimezone(tz).date(), time(0), tz)


def _capped_today(recipients: list[_Recipient], capped: tuple[str, ...], now: datetime) -> dict[int, int]:
    """How many capped notifications each recipient already has today, her local day: one
    query per time zone in use."""
    by_zone: dict[str, list[int]] = {}
    for r in recipients:
        by_zone.setdefault(r.timezone, []).append(r.pk)
    counts: dict[int, int] = {}
    for zone, ids in by_zone.items():
        qs = (
            Notification.objects.filter(kind__in=capped, created_at__gte=local_midnight(zone, now))
            .values("recipient_id")
            .annotate(n=Count("pk"))
            .values_list("recipient_id", "n")
            .order_by()
        )
        counts.update(dict(_in_ids(qs, "recipient_id", ids, "bigint")))
    return counts


def _lock_caps(organization_ids: set[int | None]) -> None:
    """Serialize capped creation per organization until this transaction ends (PostgreSQL):
    the second planner counts after the first one's rows are committed, so the cap is exact."""
    if not _pg():
        return  # SQLite runs one writer at a time
    with connection.cursor() as cursor:
        for org_id in sorted(o or 0 for o in organization_ids):  # a fixed order: no deadlock
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CAP_LOCK_CLASS, org_id])


# One row of a batch: (organization, recipient, kind, priority, title, body, outside text, url,
# payload as JSON, dedupe key) and the deliveries it gets if it is new, as (channel, release) pairs.
_Row = tuple[Any, ...]
_Pairs = tuple[tuple[str, datetime], ...]


def _insert(rows: list[_Row], pairs: list[_Pairs], now: datetime) -> tuple[dict[str, int], list[tuple[int, int, datetime]]]:
    """Insert the notifications (ON CONFLICT (dedupe_key) DO NOTHING) and the deliveries of the
    new ones. Returns ({dedupe_key: id} of the rows inserted, [(delivery id, notification id,
    scheduled_for)] of the deliveries; on PostgreSQL only those due by `now`, which are all
    the caller enqueues). Every row of a batch shares `now` as its created_at."""
    if not rows:
        return {}, []
    if _pg():
        return _insert_pg(rows, pairs, now)
    objs = [
        Notification(
            organization_id=o, recipient_id=r, kind=k, priority=p, title=t, body=b, outside_text=ot, url=u,
            payload=json.loads(pl), dedupe_key=dk, created_at=now,
        )
        for o, r, k, p, t, b, ot, u, pl, dk in rows
    ]  # fmt: skip
    Notification.objects.bulk_create(objs, ignore_conflicts=True, batch_size=_SQLITE_CHUNK // 12)
    keys = [row[9] for row in rows]
    found = _in_ids(Notification.objects.values_list("dedupe_key", "id", "created_at"), "dedupe_key", keys, "text")
    created = {key: pk for key, pk, at in found if at == now}
    wanted = [
        Delivery(notification_id=created[row[9]], channel=c, scheduled_for=when)
        for row, row_pairs in zip(rows, pairs, strict=True)
        if row[9] in created
        for c, when in row_pairs
    ]
    made = Delivery.objects.bulk_create(wanted, batch_size=_SQLITE_CHUNK // 4)
    return created, [(d.pk, d.notification_id, d.scheduled_for) for d in made]


def _insert_pg(rows: list[_Row], pairs: list[_Pairs], now: datetime) -> tuple[dict[str, int], list[tuple[int, int, datetime]]]:
    """One statement: the notifications and, for those it inserted, their deliveries (two
    data-modifying CTEs), so 100,000 ids never travel to Python and back between the two.
    Most rows share their text (a planner's nudge is one text per language) and their
    deliveries (one channel and release for everyone in a zone): each row sends its
    recipient, key and the index of its shape and of its deliveries; those travel once."""
    shapes: dict[tuple[Any, ...], int] = {}
    plans: dict[_Pairs, int] = {}
    orgs, recipients, shape_of, keys, plan_of = [], [], [], [], []
    for (o, r, k, p, t, b, ot, u, pl, dk), row_pairs in zip(rows, pairs, strict=True):
        orgs.append(o)
        recipients.append(r)
        shape_of.append(shapes.setdefault((k, p, t, b, ot, u, pl), len(shapes) + 1))
        keys.append(dk)
        plan_of.append(plans.setdefault(row_pairs, len(plans) + 1))
    shape_cols = [list(c) for c in zip(*shapes, strict=True)]
    plan_index, plan_channel, plan_when = [], [], []
    for row_pairs, i in plans.items():
        for channel, when in row_pairs:
            plan_index.append(i)
            plan_channel.append(channel)
            plan_when.append(when)
    notifications, deliveries = Notification._meta.db_table, Delivery._meta.db_table
    out = _pg_execute(
        f"""
        WITH x AS MATERIALIZED (
            SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::int[], %s::text[], %s::int[]) AS x(o, r, si, dk, di)
        ), ins AS (
            INSERT INTO {notifications} (organization_id, recipient_id, kind, priority, title, body, outside_text, url,
                                         payload, dedupe_key, created_at)
            SELECT x.o, x.r, s.k, s.p, s.t, s.b, s.ot, s.u, s.pl::jsonb, x.dk, %s
            FROM x
            JOIN unnest(%s::text[], %s::smallint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
                 WITH ORDINALITY AS s(k, p, t, b, ot, u, pl, i) ON s.i = x.si
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id, dedupe_key
        ), dl AS (
            INSERT INTO {deliveries} (notification_id, channel, status, scheduled_for, attempts, last_error)
            SELECT ins.id, d.c, 'pending', d.s, 0, ''
            FROM ins
            JOIN x ON x.dk = ins.dedupe_key
            JOIN unnest(%s::int[], %s::text[], %s::timestamptz[]) AS d(i, c, s) ON d.i = x.di
            RETURNING id, notification_id, scheduled_for
        )
        SELECT ins.dedupe_key, ins.id, NULL::bigint FROM ins
        UNION ALL
        SELECT NULL, dl.id, dl.notification_id FROM dl WHERE dl.scheduled_for <= %s
        """,  # noqa: S608 (the table names are ours, every value is a parameter)
        [orgs, recipients, shape_of, keys, plan_of, now, *shape_cols, plan_index, plan_channel, plan_when, now],
    )
    created = {key: pk for key, pk, _n in out if key is not None}
    # Only the deliveries due now come back (the rest wait for the dispatcher): as due `now`.
    return created, [(pk, n, now) for key, pk, n in out if key is None]


def deliveries_enqueue(delivery_ids: list[int]) -> None:
    """After commit, hand these deliveries to the workers in batches. The broker being away
    never fails the request or planner that wrote them: the rows are committed as pending and
    the dispatcher (beat, every 30 s) sends them once it is back."""
    if not delivery_ids:
        return
    from ..tasks import deliver_batch

    def send() -> None:
        try:
            for i in range(0, len(delivery_ids), DELIVERY_BATCH):
                deliver_batch.delay(delivery_ids[i : i + DELIVERY_BATCH])
        except Exception as exc:  # the broker is away (C1)
            log.warning(
                "broker unavailable, %d deliveries wait for the dispatcher: %s", len(delivery_ids), exc.__class__.__name__
            )

    transaction.on_commit(send)


def notifications_create_many(specs: Iterable[NotificationSpec], *, now: datetime | None = None) -> dict[str, int]:
    """Create these notifications (inbox rows + their email/SMS deliveries) in a constant number
    of statements. Idempotent on `dedupe_key`: a key already used, in the database or earlier
    in this batch, creates nothing. A recipient who cannot be reached (inactive, unless the kind
    may reach her) or a routine nudge past her daily cap is left out. Returns {dedupe_key: id}
    of the notifications created."""
    now = now or timezone.now()
    batch: dict[str, NotificationSpec] = {}
    for spec in specs:
        if not kind_known(spec.kind):
            # Each app registers its kinds from its AppConfig.ready() (notifications.kinds).
            raise ValueError(f"unknown notification kind {spec.kind!r}")
        batch.setdefault(spec.dedupe_key, spec)
    if not batch:
        return {}  # nothing to do costs nothing (no transaction either)
    with transaction.atomic():
        return _create(batch, now)


def _create(batch: dict[str, NotificationSpec], now: datetime) -> dict[str, int]:
    recipients = _recipients(sorted({s.recipient_id for s in batch.values()}))
    wanted = [
        s
        for s in batch.values()
        if s.recipient_id in recipients and (recipients[s.recipient_id].is_active or kind_info(s.kind).to_inactive)
    ]
    cap = getattr(settings, "NOTIFICATION_DAILY_CAP", 6)  # None or 0: no cap
    capped = capped_kinds()
    capped_specs = [s for s in wanted if cap and s.kind in capped and s.priority < Priority.CRITICAL]
    if capped_specs:
        _lock_caps({recipients[s.recipient_id].organization_id for s in capped_specs})
    used = _existing_keys([s.dedupe_key for s in wanted])
    wanted = [s for s in wanted if s.dedupe_key not in used]
    if capped_specs:
        capped_ids = {s.recipient_id for s in capped_specs}
        today = _capped_today([recipients[pk] for pk in capped_ids], capped, now)
        kept = []
        for s in wanted:
            if cap and s.kind in capped and s.priority < Priority.CRITICAL:
                n = today.get(s.recipient_id, 0)
                if n >= cap:
                    continue  # over today's cap: left out (the dedupe key stays free)
                today[s.recipient_id] = n + 1
            kept.append(s)
        wanted = kept
    if not wanted:
        return {}

    outside: dict[tuple[str, str], str] = {}  # the kind's line, once per kind and language

    def outside_for(s: NotificationSpec) -> str:
        if s.outside_text:
            return str(s.outside_text)[:200]
        key = (s.kind, recipients[s.recipient_id].language)
        if key not in outside:
            outside[key] = _kind_outside(s.kind, recipients[s.recipient_id])[:200]
        return outside[key]

    opted_out = _opted_out(sorted({s.recipient_id for s in wanted}), {s.kind for s in wanted})
    releases: dict[tuple[str, time | None, time | None], datetime] = {}
    rows: list[_Row] = []
    pairs: list[_Pairs] = []
    for s in wanted:
        r = recipients[s.recipient_id]
        if s.priority >= Priority.CRITICAL:
            release = now
        else:
            window = (r.timezone, r.quiet_start, r.quiet_end)
            if window not in releases:
                releases[window] = quiet_release_at(zone=r.timezone, quiet_start=r.quiet_start, quiet_end=r.quiet_end, now=now)
            release = releases[window]
        rows.append(
            (
                r.organization_id,
                s.recipient_id,
                s.kind,
                int(s.priority),
                s.title[:200],
                s.body,
                outside_for(s),
                s.url,
                json.dumps(s.payload) if s.payload else "{}",
                s.dedupe_key,
            )
        )
        if s.stale_after is not None and release > s.stale_after:
            pairs.append(())  # the inbox copy only: an email would come too late
            continue
        pairs.append(
            tuple(
                (channel, release)
                for channel in channels_for(wanted=r.channels, has_phone=r.has_phone, priority=s.priority, force=s.force_channels)
                # She unsubscribed from this kind's emails: the inbox still has it.
                if not (channel == Channel.EMAIL.value and (r.pk, s.kind) in opted_out)
            )
        )

    created, deliveries = _insert(rows, pairs, now)
    # Crisis alerts go to the broker first.
    urgent = {created[s.dedupe_key] for s in wanted if s.priority >= Priority.CRITICAL and s.dedupe_key in created}
    due = [pk for pk, n, when in sorted(deliveries, key=lambda d: (d[1] not in urgent, d[0])) if when <= now]
    deliveries_enqueue(due)
    return created


def notification_create(
    *,
    recipient: User,
    kind: str,
    title: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
    payload: dict[str, Any] | None = None,
    priority: int = Priority.NORMAL,
    force_channels: list[str] | None = None,
    stale_after: datetime | None = None,
    outside_text: str = "",
) -> Notification | None:
    """One notification: `notifications_create_many` with a batch of one (same cap, quiet
    hours, opt-outs and dedupe rules). Returns None when `dedupe_key` was already used, the
    recipient can no longer be reached, or a routine nudge would pass today's cap. Planners
    that create many should build `NotificationSpec`s and call `notifications_create_many`."""
    created = notifications_create_many(
        [
            NotificationSpec(
                recipient_id=recipient.pk,
                kind=kind,
                title=title,
                dedupe_key=dedupe_key,
                body=body,
                url=url,
                payload=payload or {},
                priority=priority,
                force_channels=tuple(force_channels) if force_channels is not None else None,
                stale_after=stale_after,
                outside_text=outside_text,
            )
        ]
    )
    if dedupe_key not in created:
        return None
    return Notification.objects.get(pk=created[dedupe_key])


def _kind_outside(kind: str, recipient: User | _Recipient) -> str:
    """The kind's bare line (email subject, text message) in the recipient's own language."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        return str(kind_info(kind).outside)


__all__ = [
    "DELIVERY_BATCH",
    "NotificationSpec",
    "deliveries_enqueue",
    "local_midnight",
    "notification_create",
    "notifications_create_many",
]
