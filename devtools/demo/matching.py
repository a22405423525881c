"""The matching part of `seed_demo` (settings.DEMO_SEEDERS). Runs after members and notifications.

Maya has an active match with Jordan (and a history of weekly contacts); a few other members
have active or ended matches; some proposals wait for mentors (Jordan has one to answer); and
a dozen open requests wait for a batch run. Pairs are picked with the real scoring, so every
demo match respects the hard constraints. Deterministic, and a second run changes nothing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from devtools.demo.members import DEMO_SLUG
from matching import fit_reasons, scoring, selectors
from matching.models import ContactLog, ContactMode, Match, MatchRequest, MatchStatus, RequestStatus
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile, Organization, User

NOTES = [
    "Talked through a rough weekend; made a plan for Friday nights.",
    "Celebrated a good week at work.",
    "Went over what helps when cravings hit in the evening.",
    "Short check-in, sounded steady.",
    "Practised saying no at family dinner.",
    "Met for coffee before the group meeting.",
    "Talked about sleep and getting back to running.",
    "",
]
END_REASONS = [
    ("Feels steady and ready to go on their own.", 5),
    ("Schedules stopped lining up after a job change.", 4),
    ("Moved to another city.", None),
]


def _contacts(rng: random.Random, match: Match, since_days: int, now: datetime) -> list[ContactLog]:
    rows = []
    day = since_days - rng.randint(1, 3)
    while day > 0:
        rows.append(
            ContactLog(
                organization_id=match.organization_id,
                match=match,
                client_id=match.client_id,
                mentor_id=match.mentor_id,
                occurred_at=now - timedelta(days=day, hours=rng.randint(0, 8)),
                mode=rng.choice([ContactMode.CALL, ContactMode.CALL, ContactMode.TEXT, ContactMode.VIDEO, ContactMode.IN_PERSON]),
                duration_minutes=rng.choice([10, 15, 20, 30, 45, 60]),
                note=rng.choice(NOTES),
            )
        )
        day -= rng.randint(4, 9)
    return rows


@transaction.atomic
def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None or MatchRequest.objects.filter(organization=org).exists():
        return {}
    rng = random.Random(3)
    now = timezone.now()
    pool = selectors.mentor_pool_load(organization_id=org.pk)
    clients = list(User.objects.filter(organization=org, role=Role.CLIENT).order_by("pk"))
    profiles = {p.user_id: p for p in ClientProfile.objects.filter(user__in=clients)}
    counts = {"active": 0, "ended": 0, "proposed": 0, "open_requests": 0, "contacts": 0}
    used: dict[int, set[int]] = {}  # client -> mentors already paired (never re-propose)

    def best_mentor(client: User, *, prefer: int | None = None) -> tuple[int, int, list[str]] | None:
        prefs = selectors.client_preferences(profile=profiles.get(client.pk), request=None, client_id=client.pk)
        ranked = scoring.suggestions_rank(prefs, pool, excluded_ids=used.get(client.pk, set()), limit=len(pool))
        if prefer is not None:
            ranked = sorted(ranked, key=lambda r: int(pool.ids[r[0]]) != prefer)
        if not ranked:
            return None
        row, score = ranked[0]
        pool.load[row] += 1  # keep capacities honest as the demo fills places
        return row, score, fit_reasons.reasons_for(prefs, pool.profiles[row], load=0)

    def make(client: User, status: str, *, days_ago: int, prefer: int | None = None) -> Match | None:
        picked = best_mentor(client, prefer=prefer)
        if picked is None:
            return None
        row, score, reasons = picked
        mentor_id = int(pool.ids[row])
        used.setdefault(client.pk, set()).add(mentor_id)
        proposed_at = now - timedelta(days=days_ago)
        req = MatchRequest.objects.create(
            organization=org,
            client=client,
            status=RequestStatus.OPEN if status == MatchStatus.PROPOSED else RequestStatus.MATCHED,
            created_at=proposed_at - timedelta(hours=rng.randint(2, 30)),
            closed_at=None if status == MatchStatus.PROPOSED else proposed_at + timedelta(days=1),
        )
        match = Match.objects.create(
            organization=org,
            client=client,
            mentor_id=mentor_id,
            request=req,
            status=status,
            score=score,
            reasons=reasons,
            proposed_by=client,
            proposed_at=proposed_at,
            expires_at=proposed_at + timedelta(hours=72),
            responded_at=None if status == MatchStatus.PROPOSED else proposed_at + timedelta(hours=rng.randint(3, 40)),
            accepted_at=None if status == MatchStatus.PROPOSED else proposed_at + timedelta(hours=rng.randint(3, 40)),
        )
        return match

    maya = next((c for c in clients if c.email.startswith("maya@")), clients[0])
    jordan = User.objects.filter(organization=org, email__startswith="jordan@").first()
    others = [c for c in clients if c.pk != maya.pk]

    # Ended matches first: they free their places again, and those pairs are never re-proposed.
    for client, (reason, rating) in zip(others[12:15], END_REASONS, strict=False):
        match = make(client, MatchStatus.ACTIVE, days_ago=rng.randint(150, 220))
        if match is None:
            continue
        ContactLog.objects.bulk_create(_contacts(rng, match, 90, now - timedelta(days=60)))
        match.status, match.ended_at, match.end_reason, match.rating = MatchStatus.ENDED, now - timedelta(days=60), reason, rating
        match.save(update_fields=["status", "ended_at", "end_reason", "rating"])
        pool.load[pool.index[match.mentor_id]] -= 1
        counts["ended"] += 1

    def activate(client: User, days: int, prefer: int | None = None) -> None:
        match = make(client, MatchStatus.ACTIVE, days_ago=days, prefer=prefer)
        if match is None:
            return
        if not CareTeamMember.objects.filter(client=client, member_id=match.mentor_id, ended_at__isnull=True).exists():
            CareTeamMember.objects.create(
                organization=org, client=client, member_id=match.mentor_id, role=CareRole.MENTOR, started_at=match.accepted_at
            )
        contacts = _contacts(rng, match, days, now)
        ContactLog.objects.bulk_create(contacts)
        counts["active"] += 1
        counts["contacts"] += len(contacts)

    def propose(client: User, hours_ago: int, prefer: int | None = None) -> None:
        match = make(client, MatchStatus.PROPOSED, days_ago=0, prefer=prefer)
        if match is None:
            return
        match.proposed_at = now - timedelta(hours=hours_ago)
        match.expires_at = match.proposed_at + timedelta(hours=72)
        match.save(update_fields=["proposed_at", "expires_at"])
        counts["proposed"] += 1

    # Maya's mentor is Jordan; Jordan also has one proposal to answer (his demo login).
    activate(maya, 62, prefer=jordan.pk if jordan else None)
    waiting = others[7:11]
    if jordan is not None:

        def fits_jordan(client: User) -> bool:
            prefs = selectors.client_preferences(profile=profiles.get(client.pk), request=None, client_id=client.pk)
            ranked = scoring.suggestions_rank(prefs, pool, excluded_ids=used.get(client.pk, set()), limit=len(pool))
            return any(int(pool.ids[row]) == jordan.pk for row, _ in ranked)

        first = next((c for c in [*waiting, *others[27:]] if fits_jordan(c)), None)
        if first is not None:
            propose(first, 6, prefer=jordan.pk)
            waiting = [c for c in waiting if c.pk != first.pk][:3]
    # Other active matches with a history of contacts, and proposals waiting for mentors.
    for client in others[:7]:
        activate(client, rng.randint(10, 120))
    for i, client in enumerate(waiting):
        propose(client, 18 + 12 * i)

    # Open requests for the staff batch run.
    for client in others[15:27]:
        MatchRequest.objects.create(organization=org, client=client, created_at=now - timedelta(days=rng.randint(0, 6)))
        counts["open_requests"] += 1

    selectors.mentor_pool_invalidate(organization_id=org.pk)
    return counts
