"""Medications: the member's list with reminder times (PUT /me/medications/ replaces it), her
answer to "took your medication?" and the reminder planner (set-based per time zone,
idempotent on the dedupe key)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.errors import Invalid, NotAllowed
from members.choices import Role
from members.models import User
from members.services import audit_record
from notifications.services import NotificationSpec, notifications_create_many

from ..medication_models import Medication, MedicationAnswer
from ..models import Used

MEDICATION_REMINDER = "medication_reminder"
MAX_MEDICATIONS, MAX_TIMES = 10, 6
HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
REMINDER_WINDOW = timedelta(minutes=30)  # a reminder missed by a late beat still goes within this


def _clean(items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list) or len(items) > MAX_MEDICATIONS:
        raise Invalid(
            _("A list of at most %(max_medications)s medications.") % {"max_medications": MAX_MEDICATIONS}, field="medications"
        )
    out = []
    for n, item in enumerate(items):
        where = f"medications[{n}]"
        if not isinstance(item, dict):
            raise Invalid(_("Each medication is {name, times, days}."), field=where)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise Invalid(_("Give the medication a name (up to 100 characters)."), field=f"{where}.name")
        times = item.get("times", [])
        if not isinstance(times, list) or len(times) > MAX_TIMES or not all(isinstance(t, str) and HHMM.match(t) for t in times):
            raise Invalid(_('Times are a list of up to 6 local times, "HH:MM" (e.g. "08:00").'), field=f"{where}.times")
        days = item.get("days", [0, 1, 2, 3, 4, 5, 6])
        if not isinstance(days, list) or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days):
            raise Invalid(_("Days are 0 (Sunday) to 6 (Saturday)."), field=f"{where}.days")
        out.append({"name": name.strip(), "times": sorted(set(times)), "days": sorted(set(days))})
    return out


@transaction.atomic
def medications_set(*, actor: User, client: User, items: Any) -> list[Medication]:
    if actor.pk != client.pk or client.role != Role.CLIENT:
        raise NotAllowed(_("Members keep their own medication list."))
    cleaned = _clean(items)
    Medication.objects.filter(client=client).delete()
    meds = Medication.objects.bulk_create([Medication(organization_id=client.org_id, client=client, **m) for m in cleaned])
    audit_record(actor=actor, action="medications.set", target=client, organization_id=client.org_id, client=client,
                 changes={"count": len(meds)})  # fmt: skip
    return meds


def medications_for(*, client: User) -> list[Medication]:
    return list(Medication.objects.filter(client=client).order_by("pk"))


def medication_answer_check(*, client: User, took: Any) -> None:
    """Only members who set a medication are asked; anyone else's answer is a 400."""
    if took not in Used.values:
        raise Invalid(_("Answer yes, no or skip."), field="took_medication")
    if not Medication.objects.filter(client=client).exists():
        raise Invalid(_("Add a medication first (My medications); then the check-in asks."), field="took_medication")


def medication_answer_record(*, client: User, local_date: date, took: Any) -> None:
    medication_answer_check(client=client, took=took)
    MedicationAnswer.objects.update_or_create(
        client=client,
        local_date=local_date,
        defaults={"organization_id": client.org_id, "took": took, "updated_at": timezone.now()},
    )


def medication_adherence(*, client: User, today: date, days: int = 30) -> dict[str, Any] | None:
    """On "my progress": of the days she answered in the window, how many she took it."""
    if not Medication.objects.filter(client=client).exists():
        return None
    answers = list(
        MedicationAnswer.objects.filter(client=client, local_date__gt=today - timedelta(days=days)).values_list("took", flat=True)
    )
    answered = [a for a in answers if a != Used.SKIP]
    return {
        "days": days,
        "answered": len(answered),
        "took": sum(1 for a in answered if a == Used.YES),
        "rate": round(sum(1 for a in answered if a == Used.YES) / len(answered), 2) if answered else None,
    }


def medication_reminders_plan(*, now: datetime | None = None) -> int:
    """Every 5 minutes: a reminder for each medication time that has come in the member's zone
    in the last half hour, on her chosen days. One query finds the medications; the dedupe key
    (medication, local day, time) makes a second run send nothing."""
    now = now or timezone.now()
    specs: list[NotificationSpec] = []
    meds = Medication.objects.filter(client__is_active=True).select_related("client").order_by("client_id", "pk")
    url = reverse("medications")
    for med in meds:
        local = now.astimezone(ZoneInfo(med.client.timezone))
        weekday = (local.weekday() + 1) % 7
        if weekday not in med.days:
            continue
        for hhmm in med.times:
            due = datetime.combine(local.date(), time.fromisoformat(hhmm), tzinfo=local.tzinfo)
            if not (due <= local < due + REMINDER_WINDOW):
                continue
            with translation.override(med.client.language):
                title = _("A reminder you asked for: %(name)s") % {"name": med.name}
                body = _("Your medication reminder for %(time)s.") % {"time": hhmm}
            specs.append(
                NotificationSpec(
                    recipient_id=med.client_id,
                    kind=MEDICATION_REMINDER,
                    title=title,
                    body=body,
                    url=url,
                    dedupe_key=f"medication:{med.pk}:{local.date().isoformat()}:{hhmm}",
                )
            )
    return len(notifications_create_many(specs, now=now))  # one set-based write for them all
