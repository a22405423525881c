"""People pick a language by its name, in English, Spanish or the language itself ("Polish",
"polaco", "polski"); profiles store ISO 639-1 codes. Names come from Babel's CLDR data."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .validators import LANGUAGE_CODES


def _fold(text: str) -> str:
    """Case and accents do not matter: "Español" = "espanol"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _names_to_codes() -> dict[str, str]:
    found: dict[str, str] = {}
    for ui in ("en", "es"):
        for code, name in Locale(ui).languages.items():
            if code in LANGUAGE_CODES:
                found.setdefault(_fold(name), code)
    for code in LANGUAGE_CODES:
        try:
            own = Locale(code).get_display_name(code)
        except (UnknownLocaleError, ValueError):
            continue
        if own:
            found.setdefault(_fold(own), code)
    for code in LANGUAGE_CODES:
        found.setdefault(code, code)
    return found


def language_code_for(text: str) -> str | None:
    """The ISO 639-1 code of a language typed by its name (or by its code); None if unknown."""
    return _names_to_codes().get(_fold(text))


def language_name(code: str) -> str:
    """The language's name in the language of the page ("Polish", or "polaco" in Spanish)."""
    ui = (translation.get_language() or "en").split("-")[0]
    try:
        name = Locale(ui if ui in ("en", "es") else "en").languages.get(code)
    except UnknownLocaleError:  # pragma: no cover - en and es always exist
        name = None
    return name or code


# Each language by its name in the reader's language, then in its own ("Spanish · Español").
LANGUAGE_LABELS = {
    "en": _("English"),
    "es": _("Spanish"),
    "fr": _("French"),
    "pt": _("Portuguese"),
    "ht": _("Haitian Creole"),
    "zh": _("Chinese"),
    "vi": _("Vietnamese"),
    "ar": _("Arabic"),
    "ru": _("Russian"),
    "ko": _("Korean"),
    "tl": _("Tagalog"),
    "so": _("Somali"),
}
OWN_NAMES = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
    "ht": "Kreyòl",
    "zh": "中文",
    "vi": "Tiếng Việt",
    "ar": "العربية",
    "ru": "Русский",
    "ko": "한국어",
    "tl": "Tagalog",
    "so": "Soomaali",
}


def language_choice(code: str) -> Any:
    label, own = LANGUAGE_LABELS[code], OWN_NAMES[code]
    # "English", "Tagalog": no second name when both are the same word in English
    return lazy(lambda: str(label) if str(label) == own else f"{label} · {own}", str)()
