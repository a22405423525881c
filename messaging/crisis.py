"""Does a member's message read as a crisis? A short phrase list in English and Spanish,
matched on words after folding case and accents, so "quiero morirme" and "Quiero Morirme"
both count and "skill" does not match "kill". tests/messaging/test_crisis_phrases.py holds it."""

from __future__ import annotations

import re
import unicodedata

PHRASES_EN = (
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "want to die",
    "wanna die",
    "suicide",
    "suicidal",
    "hurt myself",
    "hurting myself",
    "no reason to live",
    "better off dead",
    "can't go on",
    "cant go on",
    "overdose on purpose",
    "take all my pills",
)
PHRASES_ES = (
    "matarme",
    "suicidarme",
    "suicidio",
    "suicida",
    "quiero morir",
    "quiero morirme",
    "me quiero morir",
    "quitarme la vida",
    "acabar con mi vida",
    "no quiero vivir",
    "hacerme dano",
    "no puedo mas",
    "mejor muerta",
    "mejor muerto",
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_PATTERN = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(_fold(p)) for p in sorted(PHRASES_EN + PHRASES_ES, key=len, reverse=True)) + r")(?![\w'])"
)


def reads_as_crisis(text: str) -> bool:
    return bool(_PATTERN.search(re.sub(r"\s+", " ", _fold(text))))
