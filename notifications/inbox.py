"""In-app notices in bulk, for planners that announce something to thousands at once (a
milestone): inbox rows only, no email or text, idempotent on the unique dedupe key."""

from __future__ import annotations

from dataclasses import dataclass

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
