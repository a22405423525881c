"""seed_demo's groups: realistic, with history, and safe to run twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from groups.models import Attendance, Enrollment, RecoveryGroup, Session
from groups.selectors import clients_missed_last_two_sessions
from members.models import Organization

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_groups_with_months_of_history_once():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    org = Organization.objects.get(slug="demo")
    groups = RecoveryGroup.objects.filter(organization=org)
    assert set(groups.values_list("kind", flat=True)) >= {"clinical_therapy", "smart", "peer_support", "family", "harm_reduction"}
    assert groups.filter(attendance_mode="online").exists()
    now = timezone.now()
    oldest = Session.objects.filter(group__organization=org).order_by("starts_at").first()
    assert (now - oldest.starts_at).days > 100
    assert Session.objects.filter(group__organization=org, starts_at__gt=now).exists()
    assert Attendance.objects.filter(organization=org).count() > 1000
    assert Enrollment.objects.filter(organization=org, status="waitlisted").exists()
    assert Session.objects.filter(group__organization=org, status="cancelled").exists()
    assert clients_missed_last_two_sessions(organization_id=org.pk)
    before = (RecoveryGroup.objects.count(), Session.objects.count(), Attendance.objects.count())
    from devtools.demo.groups import seed

    assert seed() == {}
    assert (RecoveryGroup.objects.count(), Session.objects.count(), Attendance.objects.count()) == before
