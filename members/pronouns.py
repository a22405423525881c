"""A person's pronouns, for sentences written about her ("her check-in summary")."""

from __future__ import annotations

from .models import User

# Subject and possessive pronouns from the pronouns a person gave ("she/her" → she, her).
PRONOUNS = {"she": ("she", "her"), "he": ("he", "his"), "they": ("they", "their")}


def pronouns_for(user: User) -> tuple[str, str]:
    """(subject, possessive): "she/her" gives ("she", "her"); unknown gives "they"/"their"."""
    first = (user.pronouns or "").strip().lower().split("/")[0].strip()
    return PRONOUNS.get(first, PRONOUNS["they"])
