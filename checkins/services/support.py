"""What a check-in gives back (API.md: the check-in response's `support`): after a use the
member did not plan, cravings of 7 or more or mood of 2 or less, her own coping steps and
people, her mentor, a resource (checkins.providers: apps above fill it); after a cry for help,
the crisis lines first. A calm check-in gets nothing extra: no lecture, no extra query."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from members.choices import Goal
from members.models import ClientProfile, User

from ..models import CheckIn, Used
from ..providers import SupportContext, SupportItem, support_items

TROUBLE_CRAVING = 7
TROUBLE_MOOD = 2


def checkin_shows_trouble(*, client: User, checkin: CheckIn) -> bool:
    if checkin.need_support or checkin.craving >= TROUBLE_CRAVING or checkin.mood <= TROUBLE_MOOD:
        return True
    if checkin.used != Used.YES:
        return False
    # A use on a moderation goal is part of her plan; on any other goal it was not planned.
    goal = ClientProfile.objects.filter(user=client).values_list("goal", flat=True).first()
    return goal != Goal.MODERATION


def checkin_support(*, client: User, checkin: CheckIn) -> list[dict[str, Any]]:
    if not checkin_shows_trouble(client=client, checkin=checkin):
        return []
    items: list[SupportItem] = []
    if checkin.need_support:
        items.append(SupportItem(kind="crisis", text=_("Call or text 988, any time, day or night."), url="tel:988"))
    context = SupportContext(
        mood=checkin.mood,
        craving=checkin.craving,
        used=checkin.used,
        need_support=checkin.need_support,
        language=getattr(client, "language", "en") or "en",
    )
    items += support_items(client, context)
    return [{"kind": i.kind, "text": i.text, **({"url": i.url} if i.url else {})} for i in items]
