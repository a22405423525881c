"""One-click unsubscribe: every email of a kind that can be unsubscribed carries a signed link
(no sign-in needed) that stops emails of that kind for that person. The token names the person,
the kind and a fingerprint of her address, and expires: a forged, expired or altered token, or
one for an address that has since changed, changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse

from members.models import User

from ..kinds import kind_info, kind_known
from ..models import EmailOptOut

SALT = "notifications.unsubscribe.v1"
MAX_AGE_DAYS = 90


class UnsubscribeError(Exception):
    """The link cannot be used; `reason` is one of "invalid", "expired", "not_yours", "not_allowed"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class UnsubscribeRequest:
    user: User
    kind: str


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.pk}:{(user.email or '').lower()}".encode()).hexdigest()[:16]


def unsubscribe_token(*, user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind, "f": _fingerprint(user)}, salt=SALT, compress=True)


def unsubscribe_url(*, user: User, kind: str) -> str:
    return reverse("unsubscribe", kwargs={"token": unsubscribe_token(user=user, kind=kind)})


def unsubscribe_check(*, token: str, viewer: User | None = None) -> UnsubscribeRequest:
    """Who and what this token unsubscribes, or UnsubscribeError. Someone signed in as another
    person cannot use it (it is someone else's link)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise UnsubscribeError("expired") from None
    except signing.BadSignature:
        raise UnsubscribeError("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        raise UnsubscribeError("invalid")
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or data.get("f") != _fingerprint(user):
        raise UnsubscribeError("invalid")
    if viewer is not None and viewer.is_authenticated and viewer.pk != user.pk:
        raise UnsubscribeError("not_yours")
    kind = data["k"]
    if not kind_known(kind) or not kind_info(kind).unsubscribable:
        raise UnsubscribeError("not_allowed")  # crisis alerts cannot be unsubscribed
    return UnsubscribeRequest(user=user, kind=kind)


@transaction.atomic
def unsubscribe_apply(*, token: str, viewer: User | None = None) -> UnsubscribeRequest:
    """Stop emails of the token's kind to the token's person (idempotent)."""
    request = unsubscribe_check(token=token, viewer=viewer)
    _, created = EmailOptOut.objects.get_or_create(user=request.user, kind=request.kind)
    if created:
        from members.services import audit_record

        audit_record(
            actor=request.user,
            action="notification.unsubscribe",
            target=request.user,
            organization_id=request.user.organization_id,
            changes={"kind": request.kind},
        )
    return request


@transaction.atomic
def unsubscribe_undo(*, user: User, kind: str) -> int:
    """She wants those emails again (the reminder settings page)."""
    deleted, _ = EmailOptOut.objects.filter(user=user, kind=kind).delete()
    return deleted


def email_opt_outs(*, user: User) -> list[str]:
    return sorted(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
