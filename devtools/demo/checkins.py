"""The checkins part of `seed_demo` (settings.DEMO_SEEDERS). Runs after members and notifications.

Months of believable check-ins for the demo members: most check in most days, some drift
away, moods and cravings move in waves, abstinence members have the odd lapse (and keep
checking in), moderation members record amounts, a few skip the use question. Then the risk
rules run over that history, so the open flags are the ones the product would have raised;
a few older flags are resolved with clinicians' notes. Deterministic (seeded), idempotent."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from checkins import scoring, services
from checkins.models import Assessment, CheckIn, FlagKind, RiskFlag, Used
from devtools.demo.members import DEMO_SLUG
from members.choices import CareRole, Goal, Role
from members.models import CareTeamMember, Organization, User

NOTES = [
    "Went to my meeting tonight.",
    "Called my sponsor.",
    "Long shift, tired but ok.",
    "Kids' soccer game — good day.",
    "Hard morning, better after a walk.",
    "Cravings after work, texted my mentor.",
    "Slept badly.",
    "Cooked dinner for my sister.",
    "Payday is always tough.",
    "Grateful today.",
    "Argued with my landlord. Stayed on track.",
    "SMART meeting online, useful tools.",
    "Started a new job!",
    "Anniversary of my dad passing.",
]


def _history(rng: random.Random, *, goal: str, days: int, today: date, profile: dict) -> list[CheckIn]:
    rows = []
    phase = rng.uniform(0, 2 * math.pi)
    lapse_days: set[int] = set()
    if goal == Goal.ABSTINENCE and rng.random() < 0.45:
        start = rng.randint(5, max(days - 5, 6))
        lapse_days = set(range(start, start + rng.randint(1, 3)))
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        if back == 0 and rng.random() < 0.55:
            continue  # many have not checked in yet today
        if back < profile["quiet_for"]:
            continue  # drifting away lately
        if rng.random() > profile["rate"]:
            continue
        wave = math.sin(phase + back / 9)
        lapse = back in lapse_days
        mood = round(profile["mood"] + wave * 0.9 + rng.uniform(-0.8, 0.8) - (1.2 if lapse else 0))
        craving = round(profile["craving"] - wave * 1.5 + rng.uniform(-1.5, 1.5) + (3 if lapse else 0))
        if back < 3 and profile.get("rough_now"):
            mood, craving = rng.choice([1, 2]), rng.choice([7, 8, 9])
        mood, craving = max(1, min(5, mood)), max(0, min(10, craving))
        amount = None
        if goal == Goal.MODERATION:
            used = rng.choices([Used.YES, Used.NO, Used.SKIP], weights=[45, 45, 10])[0]
            if used == Used.YES:
                amount = Decimal(rng.choice(["1", "1.5", "2", "2", "3", "4"]))
        elif goal == Goal.UNDECIDED:
            used = rng.choices([Used.YES, Used.NO, Used.SKIP], weights=[20, 55, 25])[0]
        else:
            used = Used.YES if lapse else rng.choices([Used.NO, Used.SKIP], weights=[92, 8])[0]
        note = rng.choice(NOTES) if rng.random() < 0.22 else ""
        stamp = timezone.now() - timedelta(days=back, hours=rng.randint(0, 10))
        rows.append(
            CheckIn(
                local_date=day,
                mood=mood,
                craving=craving,
                used=used,
                amount=amount,
                connected=rng.random() < 0.55,
                note=note,
                created_at=stamp,
                updated_at=stamp,
            )
        )
    return rows


def _answers(rng: random.Random, instrument: str, level: float) -> list[int]:
    """level 0 (best) .. 1 (worst): answers that land in a believable band."""
    count, low, high = scoring.SHAPES[instrument]
    answers = []
    for i in range(count):
        if instrument == "BARC-10":
            value = round(high - level * (high - low) + rng.uniform(-1, 1))
        elif instrument == "PHQ-9" and i == 8:
            value = 0
        else:
            value = round(level * high + rng.uniform(-0.8, 0.8))
        answers.append(max(low, min(high, value)))
    return answers


@transaction.atomic
def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None or CheckIn.objects.filter(organization=org).exists():
        return {}
    rng = random.Random(5)
    now = timezone.now()
    clients = list(
        User.objects.filter(organization=org, role=Role.CLIENT, is_active=True).select_related("client_profile").order_by("pk")
    )
    checkins: list[CheckIn] = []
    assessments: list[Assessment] = []
    for i, client in enumerate(clients):
        profile = getattr(client, "client_profile", None)
        goal = profile.goal if profile else Goal.UNDECIDED
        today = services.local_today(client, now)
        days = min((now - client.date_joined).days, 150)
        shape = {
            "rate": rng.choice([0.95, 0.9, 0.85, 0.8, 0.7, 0.55]),
            "mood": rng.uniform(2.8, 4.2),
            "craving": rng.uniform(1.5, 5),
            "quiet_for": 5 if i % 9 == 4 else 0,  # a few have not checked in for days
            "rough_now": i % 11 == 6,  # a few are going through a hard stretch right now
        }
        if i == 0:  # Maya: moderation, checks in nearly every day, improving
            shape.update(rate=0.97, mood=3.7, craving=3.0, quiet_for=0, rough_now=False)
        for row in _history(rng, goal=goal, days=days, today=today, profile=shape):
            row.organization_id = org.pk
            row.client = client
            checkins.append(row)
        # Questionnaires: BARC-10 monthly, PHQ-9 / GAD-7 fortnightly, for those who take them.
        if rng.random() < 0.7 or i == 0:
            start_level = rng.uniform(0.2, 0.55)
            for back in range(days, 0, -14):
                level = max(0.05, start_level - (days - back) / 600 + rng.uniform(-0.08, 0.08))
                taken = now - timedelta(days=back, hours=rng.randint(1, 8))
                instruments = ["PHQ-9", "GAD-7"] + (["BARC-10"] if (days - back) % 28 == 0 else [])
                for instrument in instruments:
                    answers = _answers(rng, instrument, level)
                    result = scoring.score(instrument, answers)
                    assessments.append(
                        Assessment(
                            organization_id=org.pk,
                            client=client,
                            instrument=instrument,
                            answers=answers,
                            score=result.score,
                            band=result.band,
                            flags=result.flags,
                            subscores=result.subscores,
                            local_date=services.local_today(client, taken),
                            taken_at=taken,
                        )
                    )
    CheckIn.objects.bulk_create(checkins, batch_size=1000)
    Assessment.objects.bulk_create(assessments, batch_size=1000)

    # The product's own rules raise today's flags from that history.
    for client in clients:
        recent = list(
            CheckIn.objects.filter(client=client).order_by("-local_date").values_list("local_date", "mood", "craving")[:3]
        )
        if recent and (services.local_today(client, now) - recent[0][0]).days <= 1:
            for kind, reason in services._risk_rules(recent):
                flag, opened = services.risk_flag_open(client=client, kind=kind, reason=reason)
                if opened:
                    services.mentor_notify_flag(client=client, flag=flag)
    services.no_checkin_flags_plan(organization_id=org.pk)

    # History the care team has already handled.
    clinician_of = dict(
        CareTeamMember.objects.filter(organization=org, role=CareRole.CLINICIAN, ended_at__isnull=True).values_list(
            "client_id", "member_id"
        )
    )
    resolved = [
        (
            clients[2],
            FlagKind.CRISIS,
            41,
            "Asked for support in a check-in.",
            "Called within 20 minutes; safety plan reviewed, extra session booked.",
        ),
        (
            clients[5],
            FlagKind.HIGH_CRAVING,
            23,
            "Craving of 7 or more on 2 of the last 3 check-ins.",
            "Met Tuesday; adjusted MOUD dose with prescriber.",
        ),
        (
            clients[0],
            FlagKind.LOW_MOOD,
            60,
            "Mood of 2 or lower 3 days running.",
            "Talked it through; Maya joined the Thursday women's group.",
        ),
        (clients[8], FlagKind.NO_CHECKIN_3D, 15, "No check-in for 3 days.", "Phone was broken; back on track."),
    ]
    for client, kind, ago, reason, note in resolved:
        RiskFlag.objects.create(
            organization=org,
            client=client,
            kind=kind,
            reason=reason,
            opened_at=now - timedelta(days=ago),
            resolved_at=now - timedelta(days=ago - 1),
            resolved_by_id=clinician_of.get(client.pk),
            resolution_note=note,
        )
    # One open crisis from last night, so the care team's view shows what it looks like.
    crisis_client = clients[12]
    flag, _ = services.risk_flag_open(
        client=crisis_client, kind=FlagKind.CRISIS, reason="Asked for support in the check-in of last night."
    )
    last = CheckIn.objects.filter(client=crisis_client).order_by("-local_date").first()
    if last is not None:
        CheckIn.objects.filter(pk=last.pk).update(need_support=True, mood=1)
    services.crisis_alert_send(
        client=crisis_client,
        flag=flag,
        local_date=services.local_today(crisis_client, now) - timedelta(days=1),
        source="check-in",
    )
    return {
        "check-ins": len(checkins),
        "assessments": len(assessments),
        "open risk flags": RiskFlag.objects.filter(organization=org, resolved_at__isnull=True).count(),
    }
