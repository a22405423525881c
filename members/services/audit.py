"""The audit trail: every service that changes data records who did it (`actor=`) and what
changed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..models import AuditEvent, User


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Any,
    organization_id: int | None = None,
    client: User | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        organization_id=organization_id if organization_id is not None else getattr(target, "organization_id", None),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=getattr(target, "pk", None),
        client=client,
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
    )


def _apply(instance: Any, data: dict[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Set the allowed fields that changed; return {field: [old, new]} for the audit trail."""
    changed: dict[str, Any] = {}
    for name in allowed:
        if name in data and getattr(instance, name) != data[name]:
            changed[name] = [_jsonable(getattr(instance, name)), _jsonable(data[name])]
            setattr(instance, name, data[name])
    return changed
