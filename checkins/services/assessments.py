"""Questionnaires (BARC-10, PHQ-9, GAD-7, BAM): scored at once; PHQ-9 item 9 above 0 opens
the crisis path."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from common.errors import Invalid, NotAllowed
from members.choices import Role
from members.models import User
from members.services import audit_record

from .. import scoring
from ..models import Assessment, FlagKind, Instrument
from .crisis import crisis_alert_send, crisis_resources
from .flags import risk_flag_open
from .streaks import local_today


@dataclass
class AssessmentResult:
    assessment: Assessment
    plain: str
    crisis: bool
    crisis_resources: list[dict[str, str]] = field(default_factory=list)


@transaction.atomic
def assessment_record(
    *, actor: User, client: User, instrument: Any, answers: Any, now: datetime | None = None
) -> AssessmentResult:
    if actor.pk != client.pk or client.role != Role.CLIENT:
        raise NotAllowed(gettext("Only members fill in their own questionnaires."))
    if not isinstance(instrument, str):
        raise Invalid(gettext("Choose one of BARC-10, PHQ-9, GAD-7, BAM."), field="instrument")
    result = scoring.score(instrument, answers)
    now = now or timezone.now()
    today = local_today(client, now)
    assessment = Assessment.objects.create(
        organization_id=client.org_id,
        client=client,
        instrument=instrument,
        answers=list(answers),
        score=result.score,
        band=result.band,
        flags=result.flags,
        subscores=result.subscores,
        local_date=today,
        taken_at=now,
    )
    audit_record(actor=actor, action="assessment.create", target=assessment, client=client, changes={"instrument": instrument})
    crisis = instrument == Instrument.PHQ9 and "phq9_item9" in result.flags
    if crisis:
        reason = (
            f"PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered {answers[8]} of 3 on {today.isoformat()}."
        )
        risk_flag_open(client=client, kind=FlagKind.PHQ9_ITEM9, reason=reason, now=now)
        flag, _ = risk_flag_open(client=client, kind=FlagKind.CRISIS, reason=reason, now=now)
        crisis_alert_send(client=client, flag=flag, local_date=today, source="PHQ-9")
    return AssessmentResult(
        assessment=assessment,
        plain=scoring.plain_result(instrument, result.band),
        crisis=crisis,
        crisis_resources=crisis_resources(client.organization) if crisis else [],
    )
