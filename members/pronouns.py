"""A person's pronouns, for sentences written about her ("her check-in summary")."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from .models import User

# Subject and possessive pronouns from the pronouns a person gave ("she/her" → she, her).
PRONOUNS = {"she": ("she", "her"), "he": ("he", "his"), "they": ("they", "their")}


def pronouns_for(user: User) -> tuple[str, str]:
    """(subject, possessive): "she/her" gives ("she", "her"); unknown gives "they"/"their"."""
    first = (user.pronouns or "").strip().lower().split("/")[0].strip()
    return PRONOUNS.get(first, PRONOUNS["they"])


# The common pronoun sets, as the reader's language writes them ("she/her" reads "ella" in
# Spanish); anything else a person typed is shown as she typed it.
SHOWN = {
    "she/her": pgettext_lazy("pronouns", "she/her"),
    "he/him": pgettext_lazy("pronouns", "he/him"),
    "they/them": pgettext_lazy("pronouns", "they/them"),
}


def pronouns_shown(pronouns: str) -> str:
    """The pronouns a person gave, in the reader's language where they are a common set."""
    key = "/".join(part.strip() for part in (pronouns or "").strip().lower().split("/"))
    shown = str(SHOWN[key]) if key in SHOWN else key
    return shown if shown != key else pronouns  # untranslated: as she wrote it
