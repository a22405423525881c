"""The clinicians' weekly digest: Monday from 8 am local, once per ISO week, counts only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from checkins.models import CheckIn
from checkins.services import risk_flag_open
from checkins.tasks import weekly_digest_plan
from groups import services as groups
from groups.models import Session
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile
from notifications.models import Channel, Delivery, Notification
from notifications.services import preference_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY_8AM = datetime(2026, 10, 26, 13, 0, tzinfo=UTC)  # Monday 26 Oct 2026, 8 am in Chicago


def digests(user=None):  # type: ignore[no-untyped-def]
    qs = Notification.objects.filter(kind="digest").order_by("pk")
    return list(qs.filter(recipient=user) if user is not None else qs)


def on_caseload(clinician, client, consent=True):  # type: ignore[no-untyped-def]
    CareTeamMember.objects.create(organization=client.organization, client=client, member=clinician, role=CareRole.CLINICIAN)
    if consent:
        ClientProfile.objects.filter(user=client).update(treatment_consent_at=timezone.now(), treatment_consent_version="2026-11")


@pytest.fixture
def caseload(frozen, make_group, care_team, maya, jordan, dr_reyes, org):  # type: ignore[no-untyped-def]
    """Maya: low mood flag, no check-in, attended Tuesday's group. Luis: checked in Sunday.
    Nora: on the caseload without treatment consent (her flag is not the clinician's to see)."""
    luis = UserFactory(display_name="Luis", role=Role.CLIENT, organization=org)
    nora = UserFactory(display_name="Nora", role=Role.CLIENT, organization=org)
    on_caseload(dr_reyes, luis)
    on_caseload(dr_reyes, nora, consent=False)
    risk_flag_open(client=maya, kind="low_mood", reason="Mood of 2 or lower 3 days running")
    risk_flag_open(client=nora, kind="high_craving", reason="Cravings 8 and 9")
    group = make_group()
    groups.enrollment_join(actor=maya, group=group, member=maya)
    frozen.move_to(datetime(2026, 10, 21, 2, 0, tzinfo=UTC))  # Tuesday's meeting has started
    session = Session.objects.filter(group=group, starts_at__lt=timezone.now()).latest("starts_at")
    groups.attendance_record(actor=jordan, session=session, entries=[{"member": maya.pk, "status": "present"}])
    CheckIn.objects.create(
        organization=org, client=luis, local_date=date(2026, 10, 25), mood=4, craving=1, note="Talked about my brother"
    )
    return {"maya": maya, "luis": luis, "nora": nora}


def test_monday_8am_once_per_week_with_counts_only(frozen, caseload, dr_reyes):
    frozen.move_to(MONDAY_8AM - timedelta(minutes=1))
    assert weekly_digest_plan() == 0
    frozen.move_to(MONDAY_8AM + timedelta(minutes=5))
    assert weekly_digest_plan() == 1
    assert weekly_digest_plan() == 0
    frozen.move_to(MONDAY_8AM + timedelta(hours=10))  # later that Monday: still once
    assert weekly_digest_plan() == 0
    [digest] = digests(dr_reyes)
    assert digest.title == "Your weekly caseload digest, week of October 26"
    assert digest.payload["caseload"] == 3
    assert digest.payload["flags"] == {"low_mood": 1}  # Nora's flag is not shared with Dr. Reyes
    assert digest.payload["no_checkin_3d"] == 1  # Maya; Luis checked in yesterday; Nora's check-ins are not shared
    assert digest.payload["sessions_attended_7d"] == 1
    assert "Low mood: 1" in digest.body
    assert "without a check-in in 3 days: 1" in digest.body
    for private in ("Maya", "Luis", "Nora", "brother", "Mood of 2", "Cravings"):
        assert private not in digest.body and private not in digest.title
    frozen.move_to(MONDAY_8AM + timedelta(days=7, minutes=59))  # 7:59 am next Monday (standard time now)
    assert weekly_digest_plan() == 0
    frozen.move_to(MONDAY_8AM + timedelta(days=7, hours=1))  # 8 am CST: a new digest
    assert weekly_digest_plan() == 1
    assert len(digests(dr_reyes)) == 2


def test_clinicians_own_time_zone_decides(frozen, caseload, dr_reyes):
    dr_reyes.timezone = "America/Los_Angeles"
    dr_reyes.save(update_fields=["timezone"])
    frozen.move_to(MONDAY_8AM + timedelta(minutes=5))  # 6:05 am in Los Angeles
    assert weekly_digest_plan() == 0
    frozen.move_to(MONDAY_8AM + timedelta(hours=2, minutes=5))
    assert weekly_digest_plan() == 1


def test_quiet_hours_hold_the_digest(frozen, caseload, dr_reyes):
    preference_update(user=dr_reyes, actor=dr_reyes, data={"quiet_start": time(20, 0), "quiet_end": time(9, 0)})
    frozen.move_to(MONDAY_8AM + timedelta(minutes=5))
    assert weekly_digest_plan() == 1
    email = Delivery.objects.get(notification__recipient=dr_reyes, notification__kind="digest", channel=Channel.EMAIL)
    assert email.scheduled_for == MONDAY_8AM + timedelta(hours=1)


def test_outsider_clinician_gets_only_their_own_program(frozen, caseload, dr_reyes, dr_kim, priya):
    on_caseload(dr_kim, priya)
    risk_flag_open(client=priya, kind="no_checkin_3d", reason="No check-in")
    frozen.move_to(datetime(2026, 10, 26, 12, 5, tzinfo=UTC))  # 8:05 am in New York, 7:05 in Chicago
    dr_kim.timezone = "America/New_York"
    dr_kim.save(update_fields=["timezone"])
    assert weekly_digest_plan() == 1
    [kim] = digests(dr_kim)
    assert kim.payload["caseload"] == 1 and kim.payload["flags"] == {"no_checkin_3d": 1}
    frozen.move_to(MONDAY_8AM + timedelta(minutes=5))
    assert weekly_digest_plan() == 1
    [reyes] = digests(dr_reyes)
    assert reyes.payload["caseload"] == 3 and "no_checkin_3d" not in reyes.payload["flags"]


def test_clinician_without_caseload_gets_nothing(frozen, dr_reyes):
    frozen.move_to(MONDAY_8AM + timedelta(minutes=5))
    assert weekly_digest_plan() == 0
