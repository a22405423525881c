"""The daily rollups equal the live computation from the source rows, over random data with
members in different time zones, whether they were kept up to date write by write or rebuilt."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from checkins.models import CheckIn
from checkins.services import checkin_record
from dashboard.models import ActiveSpan, DailyRollup, ProgramDay
from dashboard.rollups import rollups_rebuild, spans_of
from dashboard.selectors.program import active_members_on
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


def program_truth(truth):
    """The organization's days by hand: sums of the members' days."""
    days = {}
    for (_, d), r in truth.items():
        day = days.setdefault(d, dict.fromkeys(PROGRAM_FIELDS, 0))
        day["checkins"] += r["checked_in"]
        for name in ("mood", "craving"):
            if r[name] is not None:
                day[f"{name}_sum"] += r[name]
                day[f"{name}_count"] += 1
        for name in ("attended", "missed", "contacts"):
            day[name] += r[name]
    return days


PROGRAM_FIELDS = (
    "checkins",
    "mood_sum",
    "mood_count",
    "craving_sum",
    "craving_count",
    "attended",
    "missed",
    "contacts",
)


def program_stored():
    return {d.local_date: {f: getattr(d, f) for f in PROGRAM_FIELDS} for d in ProgramDay.objects.all()}


def active_truth(truth, day):
    """Distinct members with a check-in, attendance or contact on one of the 30 days ending `day`."""
    return len(
        {
            c
            for (c, d), r in truth.items()
            if day - timedelta(days=29) <= d <= day and (r["checked_in"] or r["attended"] or r["contacts"])
        }
    )


def assert_program_equal(org, truth):
    stored_days = {d: v for d, v in program_stored().items() if any(v.values())}
    assert stored_days == program_truth(truth)
    days = sorted({d for _, d in truth})
    for day in [days[0] - timedelta(days=1), *days, days[-1] + timedelta(days=29), days[-1] + timedelta(days=30)]:
        assert active_members_on(organization_id=org.pk, day=day) == active_truth(truth, day), day


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
    for _step in range(60):
        # Moments all around the clock (near midnight somewhere the local day differs from UTC's),
        # over 80 days: some members go quiet for more than 30 days, which splits their spans.
        moment = start + timedelta(hours=rng.randint(0, 24 * 80), minutes=rng.randint(0, 59))
        c = rng.choice(clients)
        if c is clients[0] and start + timedelta(days=5) < moment < start + timedelta(days=50):
            continue  # she goes quiet for more than 30 days: her active spans split
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
    assert_program_equal(org, truth)
    DailyRollup.objects.all().delete()
    ProgramDay.objects.all().delete()
    ActiveSpan.objects.all().delete()
    rollups_rebuild()
    assert stored() == truth
    assert_program_equal(org, truth)


def test_active_days_merge_into_spans_when_30_days_apart_or_less():
    d = date(2026, 1, 1)
    assert spans_of([]) == []
    assert spans_of([d]) == [(d, d + timedelta(days=29))]
    # 30 days later still continues her span (the first day's cover ends the day before).
    assert spans_of([d, d + timedelta(days=30)]) == [(d, d + timedelta(days=59))]
    assert spans_of([d + timedelta(days=31), d]) == [
        (d, d + timedelta(days=29)),
        (d + timedelta(days=31), d + timedelta(days=60)),
    ]
