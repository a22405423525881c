"""The Meeting Guide (code4recovery spec) type codes groups can carry. The 0002 migration loads
them; `meeting_types_ensure` puts back any that are missing (a flushed test database, a
database restored without data). The names are stored in English and marked for the catalogue:
`MeetingType.label` shows them in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from .models import MeetingType

TYPES = [
    ("11", gettext_noop("11th Step Meditation")), ("12x12", gettext_noop("12 Steps & 12 Traditions")), ("A", gettext_noop("Secular")),
    ("AL-AN", gettext_noop("Concurrent with Al-Anon")), ("ASL", gettext_noop("American Sign Language")), ("B", gettext_noop("Big Book")),
    ("BA", gettext_noop("Babysitting Available")), ("BE", gettext_noop("Newcomer")), ("BI", gettext_noop("Bisexual")), ("C", gettext_noop("Closed")),
    ("CF", gettext_noop("Child-Friendly")), ("D", gettext_noop("Discussion")), ("DD", gettext_noop("Dual Diagnosis")), ("DR", gettext_noop("Daily Reflections")),
    ("EN", gettext_noop("English")), ("FF", gettext_noop("Fragrance Free")), ("FR", gettext_noop("French")), ("G", gettext_noop("Gay")), ("L", gettext_noop("Lesbian")),
    ("LGBTQ", gettext_noop("LGBTQ")), ("LIT", gettext_noop("Literature")), ("M", gettext_noop("Men")), ("MED", gettext_noop("Meditation")), ("N", gettext_noop("Native American")),
    ("NB", gettext_noop("Non-Binary")), ("NDG", gettext_noop("Indigenous")), ("O", gettext_noop("Open")), ("OUT", gettext_noop("Outdoor")), ("P", gettext_noop("Professionals")),
    ("POC", gettext_noop("People of Color")), ("S", gettext_noop("Spanish")), ("SEN", gettext_noop("Seniors")), ("SP", gettext_noop("Speaker")), ("ST", gettext_noop("Step Study")),
    ("T", gettext_noop("Transgender")), ("TC", gettext_noop("Location Temporarily Closed")), ("TR", gettext_noop("Tradition Study")), ("W", gettext_noop("Women")),
    ("X", gettext_noop("Wheelchair Access")), ("XB", gettext_noop("Wheelchair-Accessible Bathroom")), ("XT", gettext_noop("Cross Talk Permitted")),
    ("Y", gettext_noop("Young People")),
]  # fmt: skip


def meeting_types_ensure() -> None:
    if MeetingType.objects.count() >= len(TYPES):
        return
    MeetingType.objects.bulk_create([MeetingType(code=c, name=n) for c, n in TYPES], ignore_conflicts=True)
