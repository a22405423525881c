"""Matching personas on top of tests/conftest.py: Maya (moderation goal, SMART + harm
reduction, English/Spanish, video/phone) and mentors with lived-experience profiles."""

from __future__ import annotations

import pytest

from members.choices import Role
from members.models import MentorProfile
from tests.factories import UserFactory

EVENINGS = [{"day": 2, "start": "18:00", "end": "21:00"}, {"day": 4, "start": "18:00", "end": "21:00"}]


def make_mentor(org, name: str, **profile):  # type: ignore[no-untyped-def]
    defaults = {
        "pathways": ["smart"],
        "languages": ["en"],
        "formats": ["video", "phone"],
        "supports_harm_reduction": True,
        "years_in_recovery": 4,
        "capacity": 3,
        "gender": "man",
        "availability": [],
        "experience_tags": [],
    }
    defaults.update(profile)
    user = UserFactory(
        email=f"{name.lower().replace(' ', '')}@example.org", display_name=name, role=Role.MENTOR, organization=org
    )
    MentorProfile.objects.filter(user=user).update(**defaults)
    return user


@pytest.fixture
def mentor_factory(org):  # type: ignore[no-untyped-def]
    return lambda name, **profile: make_mentor(org, name, **profile)


@pytest.fixture
def jordan(org):  # type: ignore[no-untyped-def]
    """Maya's best fit: SMART and harm reduction, Spanish, Tuesday/Thursday evenings."""
    return make_mentor(
        org,
        "Jordan",
        pathways=["smart", "harm_reduction"],
        languages=["en", "es"],
        years_in_recovery=6,
        availability=EVENINGS,
        experience_tags=["parent"],
    )


@pytest.fixture
def maya_ready(maya):  # type: ignore[no-untyped-def]
    from members.models import ClientProfile

    ClientProfile.objects.filter(user=maya).update(availability=EVENINGS, experience_tags=["parent"])
    maya.refresh_from_db()
    return maya


@pytest.fixture
def open_request(maya_ready, api):  # type: ignore[no-untyped-def]
    response = api(maya_ready).post("/api/v1/match-requests/", {}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]
