"""Writes of the matching app: every state change goes through a function here (STYLE.md)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from common.errors import Conflict, Invalid, NotAllowed, NotVisible
from members.choices import CareRole, Role, VettingStatus
from members.models import CareTeamMember, ClientProfile, MentorProfile, User
from members.services import audit_record, care_team_add, care_team_end
from notifications.models import Kind
from notifications.services import notification_create

from . import scoring, selectors
from .models import OPEN_MATCH_STATUSES, ContactLog, Match, MatchRequest, MatchStatus, RequestStatus
from .solver import assign, assign_certified

PROPOSAL_TTL = timedelta(hours=72)
# Each client's best K mentors become the first arcs of the batch solver; left-out pairs that
# could still improve the plan are added until it is provably optimal on the full graph
# (solver.assign_certified). Small runs use the full graph directly.
BATCH_TOP_K = 20
# ... plus each mentor's best clients (at least 10, or twice their free places).
MENTOR_TOP_K = 10
FULL_GRAPH_BELOW_PAIRS = 2_000_000
# The optimality proof keeps every scored pair in memory (2 bytes each): up to 50 M pairs
# (100 MB, e.g. 25,000 requests × 2,000 mentors). Beyond that the pruned plan stands unproved
# and the run says so (`certified_optimal`).
CERTIFY_MAX_PAIRS = 50_000_000


def _url(name: str) -> str:
    try:
        return reverse(name)
    except Exception:  # the page may not be installed (API-only deployments)
        return ""


# --- requests ---------------------------------------------------------------------------


@transaction.atomic
def match_request_create(*, client: User, preferences: dict[str, Any] | None = None) -> MatchRequest:
    if client.role != Role.CLIENT:
        raise NotAllowed("Only members can ask for a mentor.")
    if selectors.open_request_for_client(client=client) is not None:
        raise Conflict("You already have an open request for a mentor.")
    if Match.objects.filter(client=client, status=MatchStatus.ACTIVE).exists():
        raise Conflict("You already have a mentor. End that match before asking for a new one.")
    try:
        with transaction.atomic():
            req = MatchRequest.objects.create(organization_id=client.org_id, client=client, preferences=preferences or {})
    except IntegrityError:
        # Another request of the same client committed a moment ago (one_open_match_request_per_client).
        raise Conflict("You already have an open request for a mentor.") from None
    audit_record(actor=client, action="match_request.create", target=req, client=client, changes=preferences or {})
    return req


# --- choosing and answering ------------------------------------------------------------------


def _pair_check(*, prefs: dict[str, Any], profile: MentorProfile, load: int) -> tuple[bool, int, list[str]]:
    mentor = {
        "id": profile.user_id,
        "pathways": profile.pathways,
        "languages": profile.languages,
        "formats": profile.formats,
        "availability": profile.availability,
        "experience_tags": profile.experience_tags,
        "gender": profile.gender,
        "supports_harm_reduction": profile.supports_harm_reduction,
        "years_in_recovery": profile.years_in_recovery,
        "capacity": profile.capacity,
    }
    pool = scoring.pool_build([mentor], {profile.user_id: load})
    feasible, score = scoring.score_matrix(scoring.clients_encode([prefs], pool), pool)
    return bool(feasible[0, 0]), int(score[0, 0]), scoring.reasons_for(prefs, mentor, load=load)


@transaction.atomic
def match_choose(*, client: User, request: MatchRequest, mentor_id: int | str) -> Match:
    """The client proposes a mentor. The mentor's profile row is locked, so two clients who
    choose the same last place at the same instant cannot both get it."""
    req = MatchRequest.objects.select_for_update().filter(pk=request.pk, client=client).first()
    if req is None:
        raise NotVisible()
    if req.status != RequestStatus.OPEN:
        raise Conflict("This request is no longer open. Start a new one to look for a mentor.")
    try:
        mentor_pk = int(mentor_id)
    except (TypeError, ValueError):
        raise NotVisible("No such mentor.") from None
    profile = (
        MentorProfile.objects.select_for_update()
        .filter(user_id=mentor_pk, organization_id=client.org_id, user__role=Role.MENTOR, user__is_active=True)
        .select_related("user")
        .first()
    )
    if profile is None:
        raise NotVisible("No such mentor.")
    if Match.objects.filter(client=client, status__in=OPEN_MATCH_STATUSES).exists():
        raise Conflict("You already have a proposal or a mentor. Wait for their answer first.")
    if profile.status != VettingStatus.APPROVED:
        raise Conflict(f"{profile.user.display_name} is not taking new mentees right now. Please choose someone else.")
    if profile.user_id in selectors.excluded_mentor_ids(client_id=client.pk):
        raise Conflict(f"You have already worked with {profile.user.display_name}. Please choose someone else.")
    load = Match.objects.filter(mentor_id=profile.user_id, status__in=OPEN_MATCH_STATUSES).count()
    if load >= profile.capacity:
        raise Conflict(f"{profile.user.display_name} has no room for a new mentee right now. Please choose someone else.")
    prefs = selectors.client_preferences(
        profile=ClientProfile.objects.filter(user=client).first(), request=req, client_id=client.pk
    )
    feasible, score, reasons = _pair_check(prefs=prefs, profile=profile, load=load)
    if not feasible:
        raise Conflict(f"{profile.user.display_name} does not fit your language, format or other needs.")
    now = timezone.now()
    try:
        with transaction.atomic():
            match = Match.objects.create(
                organization_id=client.org_id,
                client=client,
                mentor=profile.user,
                request=req,
                score=score,
                reasons=reasons,
                source="client",
                proposed_by=client,
                proposed_at=now,
                expires_at=now + PROPOSAL_TTL,
            )
    except IntegrityError:
        raise Conflict("You already have a proposal or a mentor. Wait for their answer first.") from None
    audit_record(
        actor=client, action="match.propose", target=match, client=client, changes={"mentor": profile.user_id, "score": score}
    )
    _notify_proposed(match)
    selectors.mentor_pool_invalidate(organization_id=client.org_id)
    return match


def _notify_proposed(match: Match) -> None:
    notification_create(
        recipient=match.mentor,
        kind=Kind.MATCH_PROPOSED,
        title=f"{match.client.display_name} would like you as their mentor",
        body="Please accept or decline within 72 hours. If you can't take a new mentee now, declining is fine.",
        url=_url("mentor-proposals"),
        dedupe_key=f"match:{match.pk}:proposed",
        payload={"match": match.pk},
    )


def _locked_proposal(match: Match) -> Match:
    locked = Match.objects.select_for_update().select_related("client", "mentor").get(pk=match.pk)
    if locked.status != MatchStatus.PROPOSED:
        raise Conflict(f"This proposal is already {locked.get_status_display().lower()}.")
    if locked.expires_at is not None and locked.expires_at <= timezone.now():
        raise Conflict("This proposal has expired.")
    return locked


@transaction.atomic
def match_accept(*, mentor: User, match: Match) -> Match:
    if match.mentor_id != mentor.pk:
        raise NotVisible()
    match = _locked_proposal(match)
    now = timezone.now()
    match.status, match.responded_at, match.accepted_at = MatchStatus.ACTIVE, now, now
    match.save(update_fields=["status", "responded_at", "accepted_at"])
    if match.request_id:
        MatchRequest.objects.filter(pk=match.request_id, status=RequestStatus.OPEN).update(
            status=RequestStatus.MATCHED, closed_at=now
        )
    if not CareTeamMember.objects.filter(client=match.client, member=mentor, ended_at__isnull=True).exists():
        care_team_add(actor=mentor, client=match.client, member=mentor, role=CareRole.MENTOR)
    audit_record(actor=mentor, action="match.accept", target=match, client=match.client)
    notification_create(
        recipient=match.client,
        kind=Kind.MATCH_ACCEPTED,
        title=f"{mentor.display_name} is now your mentor",
        body=f"{mentor.display_name} accepted. Expect them to reach out soon, or say hello first.",
        url=_url("find-mentor"),
        dedupe_key=f"match:{match.pk}:accepted",
        payload={"match": match.pk},
    )
    selectors.mentor_pool_invalidate(organization_id=match.organization_id)
    return match


@transaction.atomic
def match_decline(*, mentor: User, match: Match) -> Match:
    if match.mentor_id != mentor.pk:
        raise NotVisible()
    match = _locked_proposal(match)
    match.status, match.responded_at = MatchStatus.DECLINED, timezone.now()
    match.save(update_fields=["status", "responded_at"])
    audit_record(actor=mentor, action="match.decline", target=match, client=match.client)
    notification_create(
        recipient=match.client,
        kind=Kind.MATCH_DECLINED,
        title="Your mentor request needs a new choice",
        body=f"{mentor.display_name} can't take a new mentee right now. It isn't about you: choose another mentor.",
        url=_url("find-mentor"),
        dedupe_key=f"match:{match.pk}:declined",
        payload={"match": match.pk},
    )
    selectors.mentor_pool_invalidate(organization_id=match.organization_id)
    return match


@transaction.atomic
def match_end(*, actor: User, match: Match, reason: str, rating: int | None = None) -> Match:
    if actor.pk not in (match.client_id, match.mentor_id) and actor.role != Role.STAFF:
        raise NotAllowed("Only the member, their mentor or program staff can end a match.")
    match = Match.objects.select_for_update().select_related("client", "mentor").get(pk=match.pk)
    if match.status != MatchStatus.ACTIVE:
        raise Conflict("Only an active match can be ended.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say briefly why the match ends.", field="reason")
    if rating is not None and not 1 <= int(rating) <= 5:
        raise Invalid("A rating is from 1 to 5.", field="rating")
    match.status, match.ended_at, match.ended_by = MatchStatus.ENDED, timezone.now(), actor
    match.end_reason, match.rating = reason[:2000], rating
    match.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "rating"])
    for membership in CareTeamMember.objects.filter(
        client=match.client, member=match.mentor, role=CareRole.MENTOR, ended_at__isnull=True
    ):
        care_team_end(actor=actor, membership=membership)
    audit_record(actor=actor, action="match.end", target=match, client=match.client, changes={"rating": rating})
    selectors.mentor_pool_invalidate(organization_id=match.organization_id)
    return match


def proposals_expire(*, now: datetime | None = None) -> int:
    """Planner: proposals unanswered for 72 hours expire, and the client is told they can choose
    again. Safe twice: rows are claimed with a conditional update, keys are unique."""
    now = now or timezone.now()
    expired = 0
    orgs: set[int] = set()
    ids = list(selectors.proposals_due_to_expire(now=now).values_list("pk", flat=True)[:1000])
    for match_id in ids:
        with transaction.atomic():
            claimed = Match.objects.filter(pk=match_id, status=MatchStatus.PROPOSED, expires_at__lte=now).update(
                status=MatchStatus.EXPIRED, responded_at=now
            )
            if not claimed:
                continue  # answered, or another beat got it first
            match = Match.objects.select_related("client", "mentor").get(pk=match_id)
            audit_record(actor=None, action="match.expire", target=match, client=match.client)
            notification_create(
                recipient=match.client,
                kind=Kind.PROPOSAL_EXPIRED,
                title="Your mentor request expired — choose again",
                body=f"{match.mentor.display_name} didn't answer within 72 hours. Your request is still open: pick another mentor.",
                url=_url("find-mentor"),
                dedupe_key=f"match:{match.pk}:expired",
                payload={"match": match.pk},
            )
            expired += 1
            orgs.add(match.organization_id)
    for org_id in orgs:
        selectors.mentor_pool_invalidate(organization_id=org_id)
    return expired


# --- batch matching ------------------------------------------------------------------------


def batch_plan(*, organization_id: int, top_k: int | None = BATCH_TOP_K) -> dict[str, Any]:
    """An optimal plan for every open request of the organization (nothing written).

    Clients who already have a proposed or active match are left alone; mentors offer only
    their free places. With `top_k`, each client's best K feasible mentors are the arcs (small
    programs use every feasible pair)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    clients = selectors.open_requests_for_batch(organization_id=organization_id)
    pool = selectors.mentor_pool_load(organization_id=organization_id)
    excluded_raw = selectors.excluded_pairs(organization_id=organization_id)
    timings["load_ms"] = (time.perf_counter() - t0) * 1000

    t1 = time.perf_counter()
    batch = scoring.clients_encode(clients, pool)
    client_row = {int(c["id"]): i for i, c in enumerate(clients)}
    excluded = [(client_row[c], pool.index[m]) for c, m in excluded_raw if c in client_row and m in pool.index]
    k = top_k if top_k is not None and len(clients) * max(len(pool), 1) > FULL_GRAPH_BELOW_PAIRS else None
    free = np.maximum(pool.capacity.astype(np.int64) - pool.load.astype(np.int64), 0)
    mentor_k = max(MENTOR_TOP_K, 2 * int(free.max())) if k is not None and len(pool) else 0
    certify = k is not None and len(clients) * len(pool) <= CERTIFY_MAX_PAIRS
    chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = [] if certify else None
    rows, cols, scores = scoring.top_candidates(batch, pool, k=k, mentor_k=mentor_k, excluded=excluded, keep_chunks=chunks)
    timings["score_ms"] = (time.perf_counter() - t1) * 1000

    t2 = time.perf_counter()
    result = assign(n_clients=len(clients), capacities=free, arc_clients=rows, arc_mentors=cols, arc_scores=scores)
    timings["solve_ms"] = (time.perf_counter() - t2) * 1000
    rounds = 1
    if chunks is not None:
        # Pruning is only a starting point: the plan is proved optimal on the full graph, or
        # improved until it is (solver.assign_certified).
        t3 = time.perf_counter()
        result, (rows, cols, scores), rounds = assign_certified(
            n_clients=len(clients), capacities=free, arcs=(rows, cols, scores), chunks=chunks, first=result, timings=timings
        )
        timings["certify_ms"] = (time.perf_counter() - t3) * 1000

    assignments = [
        {
            "request": int(clients[ci]["request_id"]),
            "client": {"id": int(clients[ci]["id"]), "display_name": clients[ci]["display_name"]},
            "mentor": int(pool.ids[mi]),
            "mentor_name": pool.profiles[mi]["display_name"],
            "score": int(s),
        }
        for ci, mi, s in zip(result.client_rows.tolist(), result.mentor_rows.tolist(), result.scores.tolist(), strict=True)
    ]
    matched_rows = set(result.client_rows.tolist())
    has_arc = np.zeros(len(clients), dtype=bool)
    has_arc[rows] = True
    unmatched = [
        {
            "request": int(c["request_id"]),
            "client": {"id": int(c["id"]), "display_name": c["display_name"]},
            "reason": (
                "All mentors who fit are full: every place went to someone with no other fit or a better score."
                if has_arc[i]
                else _why_no_fit(c, pool)
            ),
        }
        for i, c in enumerate(clients)
        if i not in matched_rows
    ]
    return {
        "matched": result.matched,
        "unmatched": len(unmatched),
        "objective": result.objective,
        "assignments": assignments,
        "unmatched_requests": unmatched,
        "arcs": int(rows.shape[0]),
        "top_k": k,
        "mentor_top_k": mentor_k,
        "solve_rounds": rounds,
        "certified_optimal": k is None or certify,
        "timings": timings,
    }


def _why_no_fit(client: dict[str, Any], pool: scoring.MentorPool) -> str:
    """The first hard filter that leaves nobody, in words a coordinator can act on."""
    if len(pool) == 0:
        return "No approved mentors with capacity in this program."
    batch = scoring.clients_encode([client], pool)
    checks = [
        ((pool.load < pool.capacity), "Every approved mentor is at capacity."),
        ((batch.languages[0] & pool.languages) != 0, "No mentor with a free place speaks their language."),
        (
            ~batch.needs_harm_reduction[0] | pool.harm_reduction,
            "Their goal needs a mentor who supports harm reduction; none has a free place.",
        ),
        (
            ~batch.gender_required[0] | (batch.gender_wanted[0] == pool.gender),
            "They require a mentor of a specific gender; none fits with a free place.",
        ),
        ((batch.formats[0] & pool.formats) != 0, "No mentor offers a meeting format they chose."),
    ]
    ok = np.ones(len(pool), dtype=bool)
    for mask, reason in checks:
        ok &= mask
        if not ok.any():
            return reason
    return "They have already worked with every mentor who fits."


def batch_run(*, staff: User, dry_run: bool = True, top_k: int | None = BATCH_TOP_K) -> dict[str, Any]:
    """Plan (and unless dry_run, propose) an optimal assignment of all open requests."""
    if staff.role != Role.STAFF:
        raise NotAllowed("Only program staff run batch matching.")
    started = time.perf_counter()
    plan = batch_plan(organization_id=staff.org_id, top_k=top_k)
    plan["dry_run"] = dry_run
    if not dry_run and plan["assignments"]:
        t = time.perf_counter()
        created = _batch_propose(staff=staff, assignments=plan["assignments"])
        plan["timings"]["write_ms"] = (time.perf_counter() - t) * 1000
        plan["proposed"] = created
        proposed_requests = {a["request"] for a in created}
        plan["assignments"] = [a for a in plan["assignments"] if a["request"] in proposed_requests]
        plan["matched"] = len(plan["assignments"])
        plan["objective"] = sum(a["score"] for a in plan["assignments"])
    plan["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return plan


@transaction.atomic
def _batch_propose(*, staff: User, assignments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write the plan as proposals. Mentor rows are locked (in id order, so two runs cannot
    deadlock) and places re-counted: anything that changed since planning is skipped."""
    org_id = staff.org_id
    mentor_ids = sorted({a["mentor"] for a in assignments})
    locked = dict(
        MentorProfile.objects.select_for_update()
        .filter(user_id__in=mentor_ids, organization_id=org_id, status=VettingStatus.APPROVED)
        .order_by("user_id")
        .values_list("user_id", "capacity")
    )
    loads = selectors.mentor_loads(organization_id=org_id, mentor_ids=mentor_ids)
    request_ids = [a["request"] for a in assignments]
    open_requests = dict(
        MatchRequest.objects.select_for_update()
        .filter(pk__in=request_ids, status=RequestStatus.OPEN, organization_id=org_id)
        .values_list("pk", "client_id")
    )
    busy = set(Match.objects.filter(organization_id=org_id, status__in=OPEN_MATCH_STATUSES).values_list("client_id", flat=True))
    now = timezone.now()
    rows: list[Match] = []
    kept: list[dict[str, Any]] = []
    for a in assignments:
        client_id = open_requests.get(a["request"])
        mentor_id = a["mentor"]
        if client_id is None or client_id in busy or mentor_id not in locked:
            continue
        if loads.get(mentor_id, 0) >= locked[mentor_id]:
            continue
        loads[mentor_id] = loads.get(mentor_id, 0) + 1
        busy.add(client_id)
        rows.append(
            Match(
                organization_id=org_id,
                client_id=client_id,
                mentor_id=mentor_id,
                request_id=a["request"],
                score=a["score"],
                source="batch",
                proposed_by=staff,
                proposed_at=now,
                expires_at=now + PROPOSAL_TTL,
            )
        )
        kept.append(a)
    match_ids = _matches_insert(rows)
    for a, pk in zip(kept, match_ids, strict=True):
        a["match"] = pk
    audit_record(
        actor=staff,
        action="matching.batch_propose",
        target=staff.organization,
        organization_id=org_id,
        changes={"proposed": len(match_ids)},
    )
    if match_ids:
        from .tasks import proposals_notify

        transaction.on_commit(lambda: proposals_notify.delay(match_ids))
    selectors.mentor_pool_invalidate(organization_id=org_id)
    return kept


def _matches_insert(rows: list[Match]) -> list[int]:
    """Insert many new proposals; ids in the order given. On PostgreSQL one INSERT ... SELECT
    FROM unnest(arrays) (a batch run writes thousands: model-by-model bulk_create spends most
    of its time building SQL in Python); elsewhere bulk_create."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return [m.pk for m in Match.objects.bulk_create(rows, batch_size=2000)]
    first = rows[0]
    sql = """
        INSERT INTO matching_match (organization_id, client_id, mentor_id, request_id, status, score, reasons, source,
            proposed_by_id, proposed_at, expires_at, end_reason)
        SELECT %s, c, m, r, 'proposed', s, '[]'::jsonb, 'batch', %s, %s, %s, ''
        FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::smallint[]) WITH ORDINALITY AS t(c, m, r, s, n)
        ORDER BY n
        RETURNING request_id, id
    """
    params = [
        first.organization_id,
        first.proposed_by_id,
        first.proposed_at,
        first.expires_at,
        [m.client_id for m in rows],
        [m.mentor_id for m in rows],
        [m.request_id for m in rows],
        [m.score for m in rows],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = dict(cursor.fetchall())  # request -> match: one proposal per request in a run
    return [ids[m.request_id] for m in rows]


def proposals_notify(*, match_ids: list[int]) -> int:
    """Tell each mentor about their new proposals (after a batch run; one message per match,
    deduplicated, so a retried task sends nothing twice)."""
    sent = 0
    matches = Match.objects.filter(pk__in=match_ids, status=MatchStatus.PROPOSED).select_related("client", "mentor")
    for match in matches:
        with transaction.atomic():
            _notify_proposed(match)
        sent += 1
    return sent


# --- contact log -----------------------------------------------------------------------------


@transaction.atomic
def contact_record(
    *, mentor: User, match: Match, occurred_at: datetime, mode: str, duration_minutes: int, note: str = ""
) -> ContactLog:
    if match.mentor_id != mentor.pk:
        raise NotAllowed("Only the mentor of this match records contacts.")
    if match.status not in (MatchStatus.ACTIVE, MatchStatus.ENDED):
        raise Conflict("Contacts are recorded once the match is active.")
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise Invalid("A contact can't be in the future.", field="occurred_at")
    contact = ContactLog.objects.create(
        organization_id=match.organization_id,
        match=match,
        client_id=match.client_id,
        mentor=mentor,
        occurred_at=occurred_at,
        mode=mode,
        duration_minutes=duration_minutes,
        note=note,
    )
    audit_record(
        actor=mentor,
        action="contact.record",
        target=contact,
        client=match.client,
        changes={"mode": mode, "duration_minutes": duration_minutes},
    )
    return contact


# --- personal data ---------------------------------------------------------------------------


def matching_erase(user: User) -> None:
    """Erasure: notes and free text about or by this person go; the bare facts that a match
    existed stay for program statistics, without words."""
    ContactLog.objects.filter(client=user).update(note="")
    ContactLog.objects.filter(mentor=user).update(note="")
    Match.objects.filter(client=user).update(end_reason="", reasons=[])
    MatchRequest.objects.filter(client=user).update(preferences={})
    MatchRequest.objects.filter(client=user, status=RequestStatus.OPEN).update(
        status=RequestStatus.CANCELLED, closed_at=timezone.now()
    )
