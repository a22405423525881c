from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

from babel import Locale
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _zones():
        raise ValidationError(
            _("“%(value)s” is not a known IANA time zone (for example America/Chicago).") % {"value": value}, code="timezone"
        )


# ISO 639-1 codes: Django's locale table and CLDR's (through Babel), so Tagalog (tl), Chinese (zh),
# Gujarati (gu) or Yiddish (yi) are languages too.
LANGUAGE_CODES: frozenset[str] = frozenset(
    {code for code in LANG_INFO if len(code) == 2}
    | {str(code) for code in Locale("en").languages if isinstance(code, str) and len(code) == 2}
)


def validate_language(value: str) -> None:
    if value not in LANGUAGE_CODES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 639-1 language code (for example en, es).") % {"value": value}, code="language"
        )


TAG_RE = re.compile(r"^[a-z0-9_]{1,40}$")


def validate_tag(value: str) -> None:
    if not TAG_RE.match(value):
        raise ValidationError(_("Tags are lowercase letters, digits and underscores, at most 40 characters."), code="tag")


PHONE_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value):
        raise ValidationError(_("Enter the phone number in international form, for example +15551234567."), code="phone")
