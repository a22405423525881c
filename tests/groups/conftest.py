"""Groups fixtures: a weekly Tuesday 7 pm group in Chicago run by Dr. Reyes with Jordan
facilitating; time is frozen a couple of weeks before the 2026 fall-back (1 November)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from groups import services
from members.choices import Role
from members.models import ClientProfile, User

NOW = datetime(2026, 10, 20, 15, 0, tzinfo=UTC)  # Tuesday 20 Oct 2026, 10:00 in Chicago


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def group_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "Tuesday SMART Recovery",
        "kind": "smart",
        "description": "Tools for coping with urges, in a friendly room.",
        "capacity": 12,
        "visibility": "organization",
        "attendance_mode": "in_person",
        "address": "412 Main St, Springfield, IL 62701",
        "timezone": "America/Chicago",
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "start_local": "2026-10-06T19:00",
        "duration_minutes": 90,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_group(dr_reyes, jordan):  # type: ignore[no-untyped-def]
    def make(actor=None, facilitators=None, **overrides):  # type: ignore[no-untyped-def]
        data = group_data(**overrides)
        data["facilitators"] = [u.pk for u in (facilitators if facilitators is not None else [jordan])]
        return services.group_create(actor=actor or dr_reyes, data=data)

    return make


@pytest.fixture
def clients(org):  # type: ignore[no-untyped-def]
    """n more members of Riverbend. They never sign in, so no password is hashed (a roster of
    40 stays fast)."""
    counter = iter(range(10_000))

    def make(n: int):  # type: ignore[no-untyped-def]
        people = []
        for _ in range(n):
            i = next(counter)
            user = User.objects.create_user(
                f"member{i}-{org.pk}@example.org", None, display_name=f"Member {i:02d}", role=Role.CLIENT, organization=org
            )
            ClientProfile.objects.create(user=user, organization=org)
            people.append(user)
        return people

    return make
