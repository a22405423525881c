"""seed_demo's matching part: believable, constraint-respecting, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from matching.models import ContactLog, Match, MatchRequest
from members.models import CareTeamMember, MentorProfile, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_matching_data_once():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    maya = User.objects.get(email__startswith="maya@")
    jordan = User.objects.get(email__startswith="jordan@")
    assert Match.objects.get(client=maya, status="active").mentor == jordan
    assert ContactLog.objects.filter(client=maya).count() >= 5
    assert Match.objects.filter(status="proposed", mentor=jordan).exists()
    assert Match.objects.filter(status="ended", rating__isnull=False).exists()
    assert MatchRequest.objects.filter(status="open", matches__isnull=True).count() >= 10
    for profile in MentorProfile.objects.all():
        taken = Match.objects.filter(mentor_id=profile.user_id, status__in=["proposed", "active"]).count()
        assert taken <= profile.capacity
        if taken:
            assert profile.status == "approved"
    for m in Match.objects.filter(status="active"):
        assert CareTeamMember.objects.filter(client=m.client, member=m.mentor, ended_at__isnull=True).exists()
    before = (Match.objects.count(), ContactLog.objects.count(), MatchRequest.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Match.objects.count(), ContactLog.objects.count(), MatchRequest.objects.count()) == before
