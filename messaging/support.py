"""The check-in that answers (DESIGN.md): after a hard day, her mentor's conversation is one tap
away. checkins asks; messaging fills the `reach_mentor` slot of its support providers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from checkins.providers import SupportContext, SupportItem
from members.models import User

from .selectors import active_match_conversation_of
from .services import first_name


def reach_mentor(client: User, context: SupportContext) -> list[SupportItem]:
    conversation = active_match_conversation_of(client=client)
    if conversation is None or conversation.match is None:
        return []
    name = first_name(conversation.match.mentor)
    return [
        SupportItem(
            kind="reach_mentor",
            text=_("Message %(name)s: you don't have to carry today alone.") % {"name": name},
            url=reverse("conversation", args=[conversation.pk]),
        )
    ]
