"""What a check-in that shows trouble gives back from her own plan: her coping steps and her
people, in her words (checkins.providers support registry). Never a lecture."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from checkins.providers import SupportContext, SupportItem
from members.models import User

from ..models import Plan

STEPS_SHOWN, PEOPLE_SHOWN = 3, 2


def plan_support(client: User, context: SupportContext) -> list[SupportItem]:
    plan = Plan.objects.filter(client=client).only("coping_steps", "people").first()
    if plan is None:
        return [
            SupportItem(
                kind="coping_step",
                text=_("Write down what helps you on a hard day: it will be here next time."),
                url="/plan/#backup",
            )
        ]
    items = [SupportItem(kind="coping_step", text=step) for step in plan.coping_steps[:STEPS_SHOWN]]
    for person in plan.people[:PEOPLE_SHOWN]:
        phone = re.sub(r"[^0-9+]", "", person.get("phone") or "")
        text = _("Call %(name)s") % {"name": person.get("name", "")}
        items.append(SupportItem(kind="coping_step", text=text, url=f"tel:{phone}" if phone else ""))
    return items
