"""The milestone planner: set-based, idempotent, never sober days unless she asks."""

from datetime import date, timedelta

import pytest

from checkins.models import Assessment, CheckIn
from plans.services import milestones_plan

pytestmark = pytest.mark.django_db


def _checkins(client, n, start=date(2026, 1, 1)):  # type: ignore[no-untyped-def]
    CheckIn.objects.bulk_create(
        [
            CheckIn(organization_id=client.org_id, client=client, local_date=start + timedelta(days=i), mood=3, craving=2)
            for i in range(n)
        ]
    )


def test_check_in_days_and_barc10_milestones_once(maya, api):
    _checkins(maya, 31)
    for score, day in ((30, date(2026, 1, 2)), (33, date(2026, 1, 20)), (36, date(2026, 2, 1))):
        Assessment.objects.create(
            organization_id=maya.org_id, client=maya, instrument="BARC-10", score=score, band="", local_date=day
        )
    first = milestones_plan(full=True)
    assert first.inserted == 4
    again = milestones_plan(full=True)
    assert again.inserted == 0
    got = {m["kind"]: m["reached_on"] for m in api(maya).get("/api/v1/me/milestones/").data}
    assert got == {
        "first_checkin": "2026-01-01",
        "checkin_days_7": "2026-01-07",
        "checkin_days_30": "2026-01-30",
        "barc10_up_5": "2026-02-01",
    }
    assert maya.notifications.filter(kind="milestone").count() == 4


def test_no_sober_day_count_unless_she_turns_it_on(maya, api):
    _checkins(maya, 3)
    milestones_plan(full=True)
    kinds = [m["kind"] for m in api(maya).get("/api/v1/me/milestones/").data]
    assert "days_without_use" not in kinds
