"""The mentor's contact log: who may write it is decided here (who may read it: selectors)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, Invalid, NotAllowed
from members.models import User
from members.services import audit_record

from ..models import ContactLog, Match, MatchStatus


@transaction.atomic
def contact_record(
    *, mentor: User, match: Match, occurred_at: datetime, mode: str, duration_minutes: int, note: str = ""
) -> ContactLog:
    """Only the mentor of an active match writes its log (API.md): once the match ends the
    ex-mentor is no longer on the member's care team."""
    if match.mentor_id != mentor.pk or match.organization_id != mentor.org_id:
        raise NotAllowed(_("Only the mentor of this match records contacts."))
    if match.status != MatchStatus.ACTIVE:
        raise Conflict(_("Contacts are recorded while the match is active."))
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise Invalid(_("A contact can't be in the future."), field="occurred_at")
    contact = ContactLog.objects.create(
        organization_id=match.organization_id,
        match=match,
        client_id=match.client_id,
        mentor=mentor,
        occurred_at=occurred_at,
        mode=mode,
        duration_minutes=duration_minutes,
        note=note,
    )
    audit_record(
        actor=mentor,
        action="contact.record",
        target=contact,
        client=match.client,
        changes={"mode": mode, "duration_minutes": duration_minutes},
    )
    return contact
