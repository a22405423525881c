"""Two-factor sign-in (API.md "Two-factor sign-in"), on django-otp: a TOTP device plus ten
single-use recovery codes. Optional for everyone; required for staff and clinicians of an
organization that asks for it (`Organization.require_two_factor`), who cannot use Kinship until
they enrol. Codes are checked by django-otp, which also throttles repeated wrong codes."""

from __future__ import annotations

from base64 import b32encode

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.errors import Invalid, NotAllowed

from .choices import Role
from .models import User
from .services import audit_record

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user: User) -> bool:
    org = getattr(user, "organization", None)
    return bool(org is not None and org.require_two_factor and user.role in (Role.STAFF, Role.CLINICIAN))


def two_factor_missing(user: User) -> bool:
    """Required of this user but not set up yet: they may only enrol (and sign out)."""
    return two_factor_required(user) and not two_factor_enabled(user)


@transaction.atomic
def two_factor_start(*, user: User) -> tuple[str, str]:
    """A new (unconfirmed) authenticator: (base32 secret, otpauth:// URL). Starting again replaces
    an unconfirmed one; a confirmed one keeps working until the new one is confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    _audit(user, "two_factor.start")
    return b32encode(device.bin_key).decode(), device.config_url


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> list[str]:
    """The first code from the new authenticator turns two-factor sign-in on; returns ten
    recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise Invalid(_("Start two-factor set-up first."), field="code")
    if not _clean(code) or not device.verify_token(_clean(code)):
        raise Invalid(_("That code is not right. Enter the 6-digit code your app shows now."), field="code")
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    _audit(user, "two_factor.enable")
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, code: str) -> None:
    if two_factor_required(user):
        raise NotAllowed(_("Your program requires two-factor sign-in for your role."))
    if not two_factor_enabled(user):
        raise Invalid(_("Two-factor sign-in is not on."), field="code")
    if two_factor_verify(user=user, code=code) is None:
        raise Invalid(_("That code is not right."), field="code")
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    _audit(user, "two_factor.disable")


def two_factor_verify(*, user: User, code: str | None) -> Device | None:
    """The device that accepts `code` (a TOTP code, or an unused recovery code, which is then
    used up), or None."""
    cleaned = _clean(code)
    if not cleaned:
        return None
    return match_token(user, cleaned)


def _clean(code: str | None) -> str:
    return "".join(str(code or "").split()).lower()[:32]


def _audit(user: User, action: str) -> None:
    audit_record(actor=user, action=action, target=user)
