"""Check-in helpers on top of the shared personas (tests/conftest.py)."""

from datetime import UTC, datetime

import pytest
import time_machine

from members.choices import Role
from members.models import ConsentGrant
from tests.factories import UserFactory

# 15:00 UTC on Friday 2026-11-20 is 09:00 in Chicago (Maya's zone): a plain morning.
NOON = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def checkin_body(**overrides):
    body = {"mood": 4, "craving": 2, "used": "no", "connected": True, "note": "", "need_support": False}
    body.update(overrides)
    return body


@pytest.fixture
def post_checkin(api):
    def post(user, **overrides):
        return api(user).post("/api/v1/checkins/", checkin_body(**overrides), format="json")

    return post


@pytest.fixture
def grant():
    def make(client, grantee, *scopes):
        return ConsentGrant.objects.create(organization=client.organization, client=client, grantee=grantee, scopes=list(scopes))

    return make


@pytest.fixture
def luis(org):
    """Another member of Maya's program: his id is someone else's for Maya."""
    return UserFactory(email="luis@example.org", display_name="Luis", role=Role.CLIENT, organization=org)
