"""The daily rollups equal the live computation from the source rows, over random data with
members in different time zones, whether they were kept up to date write by write or rebuilt."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from checkins.models import CheckIn
from checkins.services import checkin_record
from dashboard.models import DailyRollup, ProgramDay
from dashboard.rollups import rollups_rebuild
from groups.models import Attendance
from matching.services import contact_record

from .conftest import attendance, group, make_client, match

ZONES = ["America/Chicago", "Pacific/Honolulu", "Asia/Tokyo", "Europe/Madrid", "Pacific/Kiritimati"]


def live_truth(clients):
    """By hand, per member per her local day: the definition the rollups hold."""
    truth = {}

    def row(c, d):
        return truth.setdefault(
            (c.pk, d), {"checked_in": False, "mood": None, "craving": None, "attended": 0, "missed": 0, "contacts": 0}
        )

    for c in clients:
        tz = ZoneInfo(c.timezone)
        for ci in CheckIn.objects.filter(client=c):
            row(c, ci.local_date).update(checked_in=True, mood=ci.mood, craving=ci.craving)
        for a in Attendance.objects.filter(member=c, session__status="scheduled").select_related("session"):
            if a.status in ("present", "late"):
                row(c, a.session.starts_at.astimezone(tz).date())["attended"] += 1
            elif a.status == "absent":
                row(c, a.session.starts_at.astimezone(tz).date())["missed"] += 1
        from matching.models import ContactLog

        for cl in ContactLog.objects.filter(client=c):
            row(c, cl.occurred_at.astimezone(tz).date())["contacts"] += 1
    return truth


def stored():
    fields = ("checked_in", "mood", "craving", "attended", "missed", "contacts")
    return {(r.client_id, r.local_date): {f: getattr(r, f) for f in fields} for r in DailyRollup.objects.all()}


@pytest.mark.parametrize("seed", range(3))
def test_rollups_equal_the_live_computation_across_time_zones(db, org, jordan, seed):
    rng = random.Random(seed)
    clients = []
    for i in range(5):
        c = make_client(org, f"Member {i}", joined=date(2026, 1, 5))
        c.timezone = ZONES[(i + seed) % len(ZONES)]
        c.save(update_fields=["timezone"])
        clients.append(c)
    grp = group(org)
    matches = [match(c, jordan, accepted=datetime(2026, 10, 1, tzinfo=UTC)) for c in clients]
    start = datetime(2026, 11, 1, 3, tzinfo=UTC)
    for _step in range(40):
        # Moments all around the clock: near midnight somewhere, the local day differs from UTC's.
        moment = start + timedelta(hours=rng.randint(0, 23 * 14), minutes=rng.randint(0, 59))
        c = rng.choice(clients)
        with time_machine.travel(moment, tick=False):
            what = rng.random()
            if what < 0.5:
                checkin_record(actor=c, client=c, mood=rng.randint(1, 5), craving=rng.randint(0, 10))
            elif what < 0.75:
                contact_record(
                    mentor=jordan, match=matches[clients.index(c)], occurred_at=moment, mode="call", duration_minutes=10
                )
            elif not Attendance.objects.filter(member=c, session__original_start__date=moment.date()).exists():
                attendance(grp, c, [(moment.date(), rng.choice(["present", "late", "absent", "excused"]))])
    truth = live_truth(clients)
    assert stored() == truth
    assert sum(ProgramDay.objects.values_list("checkins", flat=True)) == sum(r["checked_in"] for r in truth.values())
    DailyRollup.objects.all().delete()
    rollups_rebuild()
    assert stored() == truth
