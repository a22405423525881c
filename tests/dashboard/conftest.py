"""Dashboard fixtures: the shared personas plus quick builders for check-ins, flags, group
attendance and matches (plain model rows: the dashboards only read them)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from checkins.models import CheckIn, RiskFlag
from common.daily_facts import daily_facts_changed
from groups.models import Attendance, RecoveryGroup, Session
from matching.models import ContactLog, Match, MatchRequest
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile, ConsentGrant, User
from tests.factories import UserFactory

# Friday 2026-11-20, 09:00 in Chicago (the Riverbend organization's and the personas' zone).
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def local(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CHICAGO)


def make_client(org, name: str, *, joined: date | None = None, treating=None, consent: bool = True) -> User:
    user = UserFactory(display_name=name, role=Role.CLIENT, organization=org, email=f"{name.lower()}-{org.slug}@example.org")
    if joined is not None:
        User.objects.filter(pk=user.pk).update(date_joined=local(joined, 6))
    if consent:
        ClientProfile.objects.filter(user=user).update(treatment_consent_at=NOW, treatment_consent_version="2026-11")
    if treating is not None:
        CareTeamMember.objects.create(organization=org, client=user, member=treating, role=CareRole.CLINICIAN)
    user.refresh_from_db()
    return user


def checkins(client, days, **fields) -> None:
    days = list(days)
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                organization_id=client.org_id,
                client=client,
                local_date=d,
                mood=fields.get("mood", 4),
                craving=fields.get("craving", 2),
                created_at=local(d, 20),
                updated_at=local(d, 20),
            )
            for d in days
        ]
    )
    daily_facts_changed([(client.pk, d) for d in days])  # a bulk write says so (the dashboard rollups)


def flag(client, kind: str, *, resolved: bool = False, opened: datetime | None = None) -> RiskFlag:
    return RiskFlag.objects.create(
        organization_id=client.org_id,
        client=client,
        kind=kind,
        reason="test",
        opened_at=opened or NOW - timedelta(days=1),
        resolved_at=NOW - timedelta(hours=1) if resolved else None,
    )


def group(org, name: str = "Tuesday circle") -> RecoveryGroup:
    return RecoveryGroup.objects.create(
        organization=org,
        name=name,
        slug=name.lower().replace(" ", "-"),
        kind="peer_support",
        timezone="America/Chicago",
        rrule="FREQ=WEEKLY",
        start_date=date(2026, 1, 6),
        start_time=time(19),
        duration_minutes=60,
    )


def attendance(grp, member, marks: list[tuple[date, str]], status: str = "scheduled") -> None:
    for day, mark in marks:
        start = local(day, 19)
        session, _ = Session.objects.get_or_create(
            group=grp,
            original_start=start,
            defaults={
                "organization_id": grp.organization_id,
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "status": status,
            },
        )
        Attendance.objects.create(organization_id=grp.organization_id, session=session, member=member, status=mark)


def match(
    client, mentor, *, accepted: datetime, requested: datetime | None = None, ended: datetime | None = None, reason: str = ""
) -> Match:
    request = None
    if requested is not None:
        request = MatchRequest.objects.create(
            organization_id=client.org_id, client=client, status="matched", created_at=requested, closed_at=accepted
        )
    return Match.objects.create(
        organization_id=client.org_id,
        client=client,
        mentor=mentor,
        request=request,
        status="ended" if ended else "active",
        proposed_at=requested or accepted,
        accepted_at=accepted,
        ended_at=ended,
        end_reason=reason,
    )


def contact(m: Match, at: datetime) -> ContactLog:
    return ContactLog.objects.create(
        organization_id=m.organization_id,
        match=m,
        client=m.client,
        mentor=m.mentor,
        occurred_at=at,
        mode="call",
        duration_minutes=15,
    )


def grant(client, grantee, *scopes) -> ConsentGrant:
    return ConsentGrant.objects.create(organization=client.organization, client=client, grantee=grantee, scopes=list(scopes))
