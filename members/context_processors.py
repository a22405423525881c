"""Template context every page needs from members."""

from __future__ import annotations

from django.http import HttpRequest

from .exports import REDISCLOSURE_NOTICE


def redisclosure_notice(request: HttpRequest) -> dict[str, str]:
    """42 CFR § 2.32: a printed page of member records carries the notice in its footer (shown
    only in print). Signed-in pages only: public pages hold no records."""
    user = getattr(request, "user", None)
    return {"redisclosure_notice": REDISCLOSURE_NOTICE} if user is not None and user.is_authenticated else {}
