"""Demo data for issue 10 (families in their own recovery, testing results), through the real
services: Lee (Maya's mother) checks in herself, has a family peer mentor, and sees what Maya
shares (check-in summary, attendance, testing results); Maya, on a moderation goal, takes a
daily breath test on a schedule."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from checkins import services as checkins
from checkins.models import FamilyCheckIn
from matching import services as matching
from members import services as members
from members.choices import Role, VettingStatus
from members.models import CareTeamMember, MentorProfile, Organization, User

from .members import DEMO_PASSWORD, DEMO_SLUG, DOMAIN


def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None:
        return {}
    lee = User.objects.filter(email=f"lee@{DOMAIN}").first()
    maya = User.objects.filter(email=f"maya@{DOMAIN}").first()
    staff = User.objects.filter(organization=org, role=Role.STAFF).order_by("pk").first()
    if lee is None or maya is None or staff is None or FamilyCheckIn.objects.filter(member=lee).exists():
        return {}
    rng = random.Random(10)
    now = timezone.now()
    counts = {"family_checkins": 0, "test_results": 0, "family_peers": 0}

    # Lee is Maya's mother; Maya shares her attendance and testing results with her too.
    CareTeamMember.objects.filter(client=maya, member=lee, ended_at__isnull=True).update(relationship="parent")
    members.consent_grant(
        client=maya,
        grantee=lee,
        scopes=["checkin_summary", "attendance", "test_results"],
        purpose="so my mother knows how I am doing",
    )

    # Lee's own check-ins: three weeks, most days.
    for days_ago in range(20, -1, -1):
        if days_ago and rng.random() < 0.2:
            continue
        checkins.family_checkin_record(
            actor=lee,
            mood=rng.choice([2, 3, 3, 4, 4, 5]),
            stress=rng.randint(2, 8),
            took_time_for_myself=rng.random() < 0.5,
            now=now - timedelta(days=days_ago),
        )
        counts["family_checkins"] += 1

    # A family peer mentor: lived experience as the mother of a son in recovery.
    gloria = members.user_create(
        organization=org,
        email=f"gloria@{DOMAIN}",
        display_name="Gloria",
        role=Role.MENTOR,
        actor=staff,
        password=DEMO_PASSWORD,
        pronouns="she/her",
    )
    profile = MentorProfile.objects.get(user=gloria)
    members.mentor_profile_update(
        actor=gloria,
        profile=profile,
        data={
            "family_peer": True,
            "languages": ["en", "es"],
            "formats": ["phone", "video", "in_person"],
            "years_in_recovery": 8,
            "bio": "My son has been in recovery for eight years. I learned to look after myself too; I'm here for you.",
        },
    )
    members.mentor_vet(staff=staff, profile=profile, status=VettingStatus.APPROVED, capacity=4)
    counts["family_peers"] = 1
    request = matching.match_request_create(client=lee)
    proposed = matching.match_choose(client=lee, request=request, mentor_id=gloria.pk)
    matching.match_accept(mentor=gloria, match=proposed)

    # Maya (moderation goal) tests her breath every morning at 8; her limit is 0.020.
    checkins.testing_schedule_set(client=maya, days=[0, 1, 2, 3, 4, 5, 6], at=time(8, 0), limit=Decimal("0.020"))
    zone = ZoneInfo(maya.timezone)
    today = now.astimezone(zone).date()
    for days_ago in range(30, 0, -1):
        day = today - timedelta(days=days_ago)
        taken = datetime.combine(day, time(8, rng.randint(0, 20)), tzinfo=zone)
        roll = rng.random()
        if roll < 0.08:
            continue  # a missed morning
        result, value = ("negative", None) if roll < 0.8 else ("positive", Decimal(rng.choice(["0.010", "0.015", "0.030"])))
        checkins.test_result_record(actor=maya, taken_at=taken, kind="breath", result=result, value=value, now=taken)
        counts["test_results"] += 1
    return counts
