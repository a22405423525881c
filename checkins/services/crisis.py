"""The crisis path: the resources a member is shown at once, and the alert to her care team at
critical priority (quiet hours do not apply). A cry for help is never lost."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from members.choices import CareRole, Role
from members.models import Organization, User
from notifications.models import Priority
from notifications.services import NotificationSpec, notifications_create_many

from ..models import RiskFlag
from ..scopes import CRISIS_ALERT
from .flags import care_team_of

# A North American number in the program's own words: (555) 010-4400, 555-010-4400, +1 555 010 4400.
PHONE = re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}")


def crisis_resources(organization: Organization | None) -> list[dict[str, str]]:
    # In the reader's language; 988 and SAMHSA's line both answer in Spanish.
    resources = [
        {
            "name": _("988 Suicide & Crisis Lifeline"),
            "how": _("Call or text 988, any time. For Spanish, press 2."),
            "call": "tel:988",
            "text": "sms:988",
            "call_label": _("Call 988"),
        },
        {
            "name": _("SAMHSA National Helpline"),
            "how": _("Call 1-800-662-4357: free, confidential, 24/7, English and Spanish"),
            "call": "tel:18006624357",
            "text": "",
            "call_label": _("Call the Helpline"),
        },
        {
            "name": "911",
            "how": _("Call 911 if you are in immediate danger"),
            "call": "tel:911",
            "text": "",
            "call_label": _("Call 911"),
        },
    ]
    if organization is not None and organization.crisis_resources.strip():
        own = organization.crisis_resources.strip()
        phone = PHONE.search(own)  # the program's own line is a call link too (issue 13, 6)
        digits = re.sub(r"\D", "", phone.group(0)) if phone else ""
        if len(digits) == 10:
            digits = "1" + digits
        resources.append(
            {
                "name": organization.name,
                "how": own,
                "call": f"tel:+{digits}" if len(digits) == 11 else "",
                "text": "",
                "call_label": _("Call %(name)s") % {"name": organization.name} if len(digits) == 11 else "",
            }
        )
    return resources


def crisis_alert_send(*, client: User, flag: RiskFlag, local_date: date, source: str) -> int:
    """Alert the client's clinicians and mentor at critical priority (quiet hours do not apply).
    One alert per recipient per crisis flag per local day: a re-sent check-in alerts nobody
    twice; a new cry for help on a later day, or after a clinician resolved the flag, alerts
    again. With no clinician on the care team, program staff are alerted: a cry for help is
    never lost."""
    recipients = care_team_of(client, [CareRole.CLINICIAN, CareRole.MENTOR])
    if not any(r.role == Role.CLINICIAN for r in recipients):
        recipients += list(User.objects.filter(organization_id=client.org_id, role=Role.STAFF, is_active=True))
    url = reverse("client-timeline", kwargs={"client_id": client.pk})
    specs = []
    name = {"name": client.display_name}
    for recipient in recipients:
        # Each alert in its recipient's own language.
        with translation.override(recipient.language):
            specs.append(
                NotificationSpec(
                    recipient_id=recipient.pk,
                    kind=CRISIS_ALERT,
                    priority=Priority.CRITICAL,
                    # The alert names the member and says she needs support now; never the questionnaire,
                    # item or answer that raised it (API.md, H4): it may go out by email and text message.
                    title=_("%(name)s needs support now") % name,
                    body=_("%(name)s needs support now. Please reach out to her today. Open Kinship to see her page.") % name,
                    outside_text=_("%(name)s needs support now. Open Kinship.") % name,
                    url=url,
                    payload={"client": client.pk, "flag": flag.pk},
                    dedupe_key=f"crisis:{flag.pk}:{local_date.isoformat()}:{recipient.pk}",
                )
            )
    # One batch: every alert is written (and queued) together, or none is.
    return len(notifications_create_many(specs))
