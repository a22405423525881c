"""Batch matching (staff): an optimal, capacity-respecting assignment of every open request,
shown as a plan (dry run) or written as proposals that mentors still accept."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import NotAllowed
from members.access import access_log_record_query
from members.choices import Role, VettingStatus
from members.models import MentorProfile, User
from members.services import audit_record

from .. import pricing, scoring, selectors
from ..models import OPEN_MATCH_STATUSES, Match, MatchRequest, MatchStatus, RequestStatus
from ..solver import assign, assign_certified
from .matches import PROPOSAL_TTL, notify_proposed

# Each client's best K mentors become the first arcs of the batch solver; left-out pairs that
# could still improve the plan are added until it is provably optimal on the full graph
# (solver.assign_certified). Small runs use the full graph directly.
BATCH_TOP_K = 20
# ... plus each mentor's best clients (at least 10, or twice their free places).
MENTOR_TOP_K = 10
FULL_GRAPH_BELOW_PAIRS = 2_000_000
# The optimality proof prices the pairs the pruning left out. Up to this many pairs the scored
# blocks are kept (2 bytes a pair: 100 MB at most) and read again; beyond it they are priced in
# streamed blocks (pricing.StreamedPricer: bounded memory, rows ruled out by the pruning's score
# bounds are not scored again), so programs of every size are proved optimal.
HOLD_BLOCKS_MAX_PAIRS = 50_000_000
# Streamed proofs score each client's best RESERVE_K at first: the best BATCH_TOP_K (and each
# mentor's best) go to the solver, the rest wait in a reserve priced exactly each round, and the
# streamed pricer's bounds (the RESERVE_K-th score) rule out about half the pairs the 20th would
# not (measured at 30,000 × 6,000: 65 M pairs scored again instead of 127 M, same 3 solves).
RESERVE_K = 50


def batch_plan(*, organization_id: int, top_k: int | None = BATCH_TOP_K, prove: bool = True) -> dict[str, Any]:
    """Members' open requests against the mentors, and family members' against the family peer
    mentors: two optimal plans, never mixed (a mentor is in one pool or the other), merged."""
    members = _batch_plan_kind(organization_id=organization_id, top_k=top_k, family=False, prove=prove)
    if not selectors.open_requests_for_batch(organization_id=organization_id, family=True):
        return members
    family = _batch_plan_kind(organization_id=organization_id, top_k=top_k, family=True, prove=prove)
    merged = dict(members)
    for key in ("matched", "unmatched", "objective", "arcs"):
        merged[key] = members[key] + family[key]
    merged["assignments"] = members["assignments"] + family["assignments"]
    merged["unmatched_requests"] = members["unmatched_requests"] + family["unmatched_requests"]
    merged["certified_optimal"] = members["certified_optimal"] and family["certified_optimal"]
    merged["timings"] = {
        k: members["timings"].get(k, 0) + family["timings"].get(k, 0) for k in {*members["timings"], *family["timings"]}
    }
    return merged


def _batch_plan_kind(*, organization_id: int, top_k: int | None, family: bool, prove: bool = True) -> dict[str, Any]:
    """An optimal plan for every open request of the organization (nothing written).

    Clients who already have a proposed or active match are left alone; mentors offer only
    their free places. With `top_k`, each client's best K feasible mentors are the arcs (small
    programs use every feasible pair), and the plan is proved optimal on every feasible pair
    (`prove=False` skips the proof: benchmarks compare against it)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    clients = selectors.open_requests_for_batch(organization_id=organization_id, family=family)
    pool = selectors.mentor_pool_load(organization_id=organization_id, family_peers=family)
    excluded_raw = selectors.excluded_pairs(organization_id=organization_id)
    timings["load_ms"] = (time.perf_counter() - t0) * 1000

    t1 = time.perf_counter()
    batch = scoring.clients_encode(clients, pool)
    client_row = {int(c["id"]): i for i, c in enumerate(clients)}
    excluded = [(client_row[c], pool.index[m]) for c, m in excluded_raw if c in client_row and m in pool.index]
    k = top_k if top_k is not None and len(clients) * max(len(pool), 1) > FULL_GRAPH_BELOW_PAIRS else None
    free = np.maximum(pool.capacity.astype(np.int64) - pool.load.astype(np.int64), 0)
    mentor_k = max(MENTOR_TOP_K, 2 * int(free.max())) if k is not None and len(pool) else 0
    certify = k is not None and prove
    hold = certify and len(clients) * len(pool) <= HOLD_BLOCKS_MAX_PAIRS
    chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = [] if hold else None
    bounds = scoring.PruneBounds() if certify and not hold else None
    with_reserve = bounds is not None and k is not None
    rows, cols, scores = scoring.top_candidates(
        batch, pool, k=RESERVE_K if with_reserve else k, mentor_k=mentor_k, excluded=excluded, keep_chunks=chunks, bounds=bounds
    )
    reserve = None
    if with_reserve and k is not None:
        (rows, cols, scores), reserve = _split_reserve(rows, cols, scores, k=k, mentor_k=mentor_k)
    timings["score_ms"] = (time.perf_counter() - t1) * 1000

    t2 = time.perf_counter()
    result = assign(n_clients=len(clients), capacities=free, arc_clients=rows, arc_mentors=cols, arc_scores=scores)
    timings["solve_ms"] = (time.perf_counter() - t2) * 1000
    rounds = 1
    if certify:
        # Pruning is only a starting point: the plan is proved optimal on the full graph, or
        # improved until it is (solver.assign_certified), pricing the left-out pairs from the
        # kept blocks or in streamed blocks (memory: one block, whatever the size of the program).
        t3 = time.perf_counter()
        pricer = pricing.StreamedPricer(batch, pool, bounds, excluded=excluded) if bounds is not None else None
        result, (rows, cols, scores), rounds = assign_certified(
            n_clients=len(clients),
            capacities=free,
            arcs=(rows, cols, scores),
            reserve=reserve,
            chunks=chunks,
            price=pricer,
            first=result,
            timings=timings,
        )
        if pricer is not None:
            timings["rows_priced"] = float(pricer.rows_scored)
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
                _("All mentors who fit are full: every place went to someone with no other fit or a better score.")
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


def _split_reserve(
    rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, *, k: int, mentor_k: int
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(solver arcs, reserve): each client's best k arcs and each mentor's best mentor_k go to
    the solver, the others to the reserve."""

    def rank_within(group: np.ndarray) -> np.ndarray:
        order = np.lexsort((-scores.astype(np.int32), group))
        ranked = group[order]
        rank = np.empty(group.size, dtype=np.int64)
        rank[order] = np.arange(group.size) - np.searchsorted(ranked, ranked)
        return rank

    solve = (rank_within(rows) < k) | (rank_within(cols) < mentor_k)
    return (rows[solve], cols[solve], scores[solve]), (rows[~solve], cols[~solve], scores[~solve])


def _why_no_fit(client: dict[str, Any], pool: scoring.MentorPool) -> str:
    """The first hard filter that leaves nobody, in words a coordinator can act on."""
    if len(pool) == 0:
        return _("No approved mentors with capacity in this program.")
    batch = scoring.clients_encode([client], pool)
    checks = [
        ((pool.load < pool.capacity), _("Every approved mentor is at capacity.")),
        ((batch.languages[0] & pool.languages) != 0, _("No mentor with a free place speaks their language.")),
        (
            ~batch.needs_harm_reduction[0] | pool.harm_reduction,
            _("Their goal needs a mentor who supports harm reduction; none has a free place."),
        ),
        (
            ~batch.gender_required[0] | (batch.gender_wanted[0] == pool.gender),
            _("They require a mentor of a specific gender; none fits with a free place."),
        ),
        ((batch.formats[0] & pool.formats) != 0, _("No mentor offers a meeting format they chose.")),
    ]
    ok = np.ones(len(pool), dtype=bool)
    for mask, reason in checks:
        ok &= mask
        if not ok.any():
            return reason
    return _("They have already worked with every mentor who fits.")


def batch_run(*, staff: User, dry_run: bool = True, top_k: int | None = BATCH_TOP_K) -> dict[str, Any]:
    """Plan (and unless dry_run, propose) an optimal assignment of all open requests."""
    if staff.role != Role.STAFF:
        raise NotAllowed(_("Only program staff run batch matching."))
    started = time.perf_counter()
    # The plan reads every open request's matching profile: each of those members is logged (M4).
    waiting = User.objects.filter(
        pk__in=MatchRequest.objects.filter(organization_id=staff.org_id, status=RequestStatus.OPEN).values("client_id")
    )
    access_log_record_query(viewer=staff, clients=waiting, resource="matching_run")
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
        from ..tasks import proposals_notify

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
            notify_proposed(match)
        sent += 1
    return sent
