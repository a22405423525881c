"""In-app notices in bulk, for planners that announce something to thousands at once (a
milestone): inbox rows only, no email or text, idempotent on the unique dedupe key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from .kinds import GENERIC_OUTSIDE, kind_info, kind_known
from .models import Notification


@dataclass(frozen=True)
class InboxItem:
    recipient_id: int
    organization_id: int | None
    kind: str
    title: str
    dedupe_key: str
    body: str = ""
    url: str = ""


def inbox_notices_create(items: list[InboxItem], *, batch_size: int = 5000) -> int:
    """Insert the items a planner found (one INSERT per batch); a dedupe key already used is
    skipped, so a second run adds nothing. Returns how many were asked for."""
    if not items:
        return 0
    kinds = {i.kind for i in items}
    unknown = [k for k in kinds if not kind_known(k)]
    if unknown:
        raise ValueError(f"unknown notification kind {unknown[0]!r}")
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _insert_unnest(items, now=now)
    Notification.objects.bulk_create(
        [
            Notification(
                organization_id=i.organization_id,
                recipient_id=i.recipient_id,
                kind=i.kind,
                title=i.title[:200],
                body=i.body,
                url=i.url,
                outside_text=str(kind_info(i.kind).outside or GENERIC_OUTSIDE)[:200],
                dedupe_key=i.dedupe_key,
                created_at=now,
            )
            for i in items
        ],
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    return len(items)


def _insert_unnest(items: list[InboxItem], *, now: datetime) -> int:
    """PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per batch, no model instances (a planner
    may announce hundreds of thousands at once)."""
    table = Notification._meta.db_table
    sql = (
        f'INSERT INTO "{table}" ("organization_id", "recipient_id", "kind", "priority", "title", "body", "outside_text", '  # noqa: S608
        '"url", "payload", "dedupe_key", "created_at") '
        "SELECT o, r, k, 0, t, b, x, u, '{}'::jsonb, d, %s FROM unnest("
        "%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) AS v(o, r, k, t, b, x, u, d) "
        'ON CONFLICT ("dedupe_key") DO NOTHING'
    )
    outside = {k: str(kind_info(k).outside or GENERIC_OUTSIDE)[:200] for k in {i.kind for i in items}}
    step = 20000
    with connection.cursor() as cursor:
        for start in range(0, len(items), step):
            chunk = items[start : start + step]
            cursor.execute(
                sql,
                [
                    now,
                    [i.organization_id for i in chunk],
                    [i.recipient_id for i in chunk],
                    [i.kind for i in chunk],
                    [i.title[:200] for i in chunk],
                    [i.body for i in chunk],
                    [outside[i.kind] for i in chunk],
                    [i.url for i in chunk],
                    [i.dedupe_key for i in chunk],
                ],
            )
    return len(items)
