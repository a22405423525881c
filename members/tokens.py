"""API tokens (API.md "Accounts"): each sign-in gets its own token, which expires
(API_TOKEN_TTL_HOURS: 12 hours for staff and clinicians, 30 days for others unless set) and ends
on logout, on any password change or reset, and on deactivation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from .choices import Role
from .models import ApiToken, User

PRIVILEGED_ROLES = frozenset({Role.STAFF, Role.CLINICIAN})


@dataclass(frozen=True)
class IssuedToken:
    key: str
    expires_at: datetime


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    # Changes whenever the password hash changes (change, reset, set by staff): old tokens stop.
    return salted_hmac("kinship.api-token", user.password, algorithm="sha256").hexdigest()


def token_ttl(user: User) -> timedelta:
    hours = settings.API_TOKEN_TTL_HOURS_PRIVILEGED if user.role in PRIVILEGED_ROLES else settings.API_TOKEN_TTL_HOURS
    return timedelta(hours=hours)


def token_issue(*, user: User) -> IssuedToken:
    key = secrets.token_hex(20)
    now = timezone.now()
    expires_at = now + token_ttl(user)
    ApiToken.objects.create(
        user=user,
        key_hash=_hash(key),
        password_fingerprint=password_fingerprint(user),
        created_at=now,
        expires_at=expires_at,
        last_used_at=now,
    )
    return IssuedToken(key=key, expires_at=expires_at)


def token_revoke(*, key: str) -> None:
    ApiToken.objects.filter(key_hash=_hash(key), revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_revoke_all(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_user(key: str) -> User | None:
    """The user a live token belongs to, or None (unknown, expired, revoked, password changed, inactive)."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user__organization")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.password_fingerprint, password_fingerprint(token.user)):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # coarse, to keep reads cheap
    return token.user


def request_token_key(request: Any) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if len(parts) == 2 and parts[0].lower() == "token":
        return parts[1]
    return None


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against members.ApiToken. A staff member or clinician who
    must enrol in two-factor sign-in may use the token only to enrol (403 elsewhere)."""

    def authenticate(self, request: Any) -> tuple[User, str] | None:
        found = super().authenticate(request)
        if found is not None:
            from .middleware import TWO_FACTOR_NEEDED, two_factor_gate_allows
            from .two_factor import two_factor_missing

            if not two_factor_gate_allows(request.path) and two_factor_missing(found[0]):
                raise PermissionDenied(TWO_FACTOR_NEEDED)
            # The caller's own language answers, as on pages (members.middleware.UserLanguageMiddleware).
            if found[0].language in dict(settings.LANGUAGES):
                translation.activate(found[0].language)
                getattr(request, "_request", request).LANGUAGE_CODE = found[0].language
        return found

    def authenticate_credentials(self, key: str) -> tuple[User, str]:
        user = token_user(key)
        if user is None:
            raise AuthenticationFailed(_("Invalid or expired token. Sign in again."))
        return user, key
