"""The Meeting Guide (code4recovery spec) type codes groups can carry. The 0002 migration loads
them; `meeting_types_ensure` puts back any that are missing (a flushed test database, a
database restored without data)."""

from __future__ import annotations

from .models import MeetingType

TYPES = [
    ("11", "11th Step Meditation"), ("12x12", "12 Steps & 12 Traditions"), ("A", "Secular"),
    ("AL-AN", "Concurrent with Al-Anon"), ("ASL", "American Sign Language"), ("B", "Big Book"),
    ("BA", "Babysitting Available"), ("BE", "Newcomer"), ("BI", "Bisexual"), ("C", "Closed"),
    ("CF", "Child-Friendly"), ("D", "Discussion"), ("DD", "Dual Diagnosis"), ("DR", "Daily Reflections"),
    ("EN", "English"), ("FF", "Fragrance Free"), ("FR", "French"), ("G", "Gay"), ("L", "Lesbian"),
    ("LGBTQ", "LGBTQ"), ("LIT", "Literature"), ("M", "Men"), ("MED", "Meditation"), ("N", "Native American"),
    ("NB", "Non-Binary"), ("NDG", "Indigenous"), ("O", "Open"), ("OUT", "Outdoor"), ("P", "Professionals"),
    ("POC", "People of Color"), ("S", "Spanish"), ("SEN", "Seniors"), ("SP", "Speaker"), ("ST", "Step Study"),
    ("T", "Transgender"), ("TC", "Location Temporarily Closed"), ("TR", "Tradition Study"), ("W", "Women"),
    ("X", "Wheelchair Access"), ("XB", "Wheelchair-Accessible Bathroom"), ("XT", "Cross Talk Permitted"),
    ("Y", "Young People"),
]  # fmt: skip


def meeting_types_ensure() -> None:
    if MeetingType.objects.count() >= len(TYPES):
        return
    MeetingType.objects.bulk_create([MeetingType(code=c, name=n) for c, n in TYPES], ignore_conflicts=True)
