"""The Meeting Guide (code4recovery spec) type codes groups can carry, loaded by the migrations;
`meeting_types_ensure` puts back any that are missing (a flushed test database, a database
restored without data)."""

from __future__ import annotations

from .meeting_type_codes import TYPES
from .models import MeetingType


def meeting_types_ensure() -> None:
    if MeetingType.objects.count() >= len(TYPES):
        return
    MeetingType.objects.bulk_create([MeetingType(code=c, name=en, name_es=es) for c, en, es in TYPES], ignore_conflicts=True)
