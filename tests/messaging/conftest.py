"""Messaging personas on tests/conftest.py: Maya and Jordan matched (so their private match
conversation is open), her care team (Dr. Reyes, Lee), and a care-team conversation."""

from __future__ import annotations

import pytest

from matching import services as matching_services
from members.choices import CareRole
from members.models import CareTeamMember, ClientProfile
from messaging.models import Conversation, Kind
from tests.matching.conftest import make_mentor


@pytest.fixture
def jordan(org):  # type: ignore[no-untyped-def]
    return make_mentor(org, "Jordan", pathways=["smart", "harm_reduction"], languages=["en", "es"])


@pytest.fixture
def matched(maya, jordan, dr_reyes, lee):  # type: ignore[no-untyped-def]
    """Maya's mentor Jordan (an active match) and her care team: Dr. Reyes (treatment consent), Lee."""
    from django.utils import timezone

    ClientProfile.objects.filter(user=maya).update(treatment_consent_at=timezone.now(), treatment_consent_version="2026-11")
    maya.refresh_from_db()
    for member, role in ((dr_reyes, CareRole.CLINICIAN), (lee, CareRole.FAMILY)):
        CareTeamMember.objects.create(organization=maya.organization, client=maya, member=member, role=role)
    req = matching_services.match_request_create(client=maya)
    proposed = matching_services.match_choose(client=maya, request=req, mentor_id=jordan.pk)
    return matching_services.match_accept(mentor=jordan, match=proposed)


@pytest.fixture
def match_conv(matched):  # type: ignore[no-untyped-def]
    return Conversation.objects.get(match=matched, kind=Kind.MATCH)


@pytest.fixture
def team_conv(matched, maya):  # type: ignore[no-untyped-def]
    return Conversation.objects.get(client=maya, kind=Kind.CARE_TEAM)


@pytest.fixture(autouse=True)
def _no_persistent_connections(monkeypatch):  # type: ignore[no-untyped-def]
    """Consumers do their database work in asgiref's long-lived worker thread: a persistent
    connection there would outlive the test (and keep PostgreSQL from dropping the test
    database at the end of the run)."""
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
