"""checkins.providers: the registries checkins defines and higher apps fill, so checkins never
imports them (DESIGN.md Layout). The weekly digest counts attendance through it, and asks
members.access first whose attendance the clinician may count."""

from datetime import UTC, datetime

import pytest

from checkins import digest, providers
from members.choices import CareRole
from members.models import CareTeamMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 11, 13, tzinfo=UTC)


@pytest.fixture
def counters(monkeypatch):
    """An empty registry for the test (the groups feature's counter is set aside)."""
    registry: list = []
    monkeypatch.setattr(providers, "_attendance_counters", registry)
    return registry


def test_counts_of_every_registered_counter_add_up(counters, maya):
    providers.register_attendance_counter(lambda clients, since: {c.pk: 2 for c in clients})
    providers.register_attendance_counter(lambda clients, since: {maya.pk: 1})
    assert providers.sessions_attended_counts([maya], SINCE) == {maya.pk: 3}


def test_a_counter_registers_once(counters, maya):
    def counter(clients, since):
        return {c.pk: 1 for c in clients}

    providers.register_attendance_counter(counter)
    providers.register_attendance_counter(counter)
    assert providers.sessions_attended_counts([maya], SINCE) == {maya.pk: 1}


def test_with_no_counter_nothing_is_counted(counters, maya):
    assert providers.sessions_attended_counts([maya], SINCE) == {}


def test_the_groups_feature_fills_it():
    from groups.selectors import sessions_attended_count

    assert sessions_attended_count in providers._attendance_counters


def test_the_digest_counts_only_members_who_share_attendance(counters, care_team, dr_reyes, org):
    nora = UserFactory(display_name="Nora", role="client", organization=org)  # on the team, no treatment consent
    CareTeamMember.objects.create(organization=org, client=nora, member=dr_reyes, role=CareRole.CLINICIAN)
    asked: list[set[int]] = []

    def counter(clients, since):
        asked.append({c.pk for c in clients})
        return {c.pk: 1 for c in clients}

    providers.register_attendance_counter(counter)
    assert digest._sessions_attended(clinician=dr_reyes, clients=[care_team, nora], since=SINCE) == 1
    assert asked == [{care_team.pk}]  # Nora's attendance is never even asked for
