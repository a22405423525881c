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
    # Reached months ago: recorded on her plan, not announced as news.
    assert maya.notifications.filter(kind="milestone").count() == 0


def test_a_milestone_reached_today_is_announced_in_her_inbox_once(maya):
    from django.utils import timezone

    today = timezone.now().astimezone(__import__("zoneinfo").ZoneInfo(maya.timezone)).date()
    _checkins(maya, 7, start=today - timedelta(days=6))
    milestones_plan()
    milestones_plan()
    notices = list(maya.notifications.filter(kind="milestone").values_list("title", flat=True))
    assert notices == ["A milestone: 7 days with a check-in"]  # the first check-in was 6 days ago: quiet


def test_no_sober_day_count_unless_she_turns_it_on(maya, api):
    _checkins(maya, 3)
    milestones_plan(full=True)
    kinds = [m["kind"] for m in api(maya).get("/api/v1/me/milestones/").data]
    assert "days_without_use" not in kinds
