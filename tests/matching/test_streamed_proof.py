"""The batch plan's optimality proof prices the pairs the pruning left out in streamed blocks
(pricing.StreamedPricer): the proved plan must equal the optimum of the full graph, with tight
capacities, excluded pairs and clients whose best mentors everyone wants."""

import numpy as np
import pytest

from devtools.bench.matching import GOALS, _pick, _profile_fields
from matching import pricing, scoring
from matching.solver import assign, assign_certified


def _program(seed: int, n_clients: int, n_mentors: int, capacity: int):
    rng = np.random.default_rng(seed)
    mentors = [
        {"id": 1000 + i, "capacity": int(rng.integers(0, capacity + 1)), "years_in_recovery": int(rng.integers(0, 20)),
         "supports_harm_reduction": bool(rng.random() < 0.5), **f}
        for i, f in enumerate(_profile_fields(rng, n_mentors))
    ]  # fmt: skip
    pool = scoring.pool_build(mentors, loads={1000: 1})
    goals = _pick(rng, GOALS, n_clients)
    clients = [{"id": i, "goal": goals[i], "mentor_gender": "any", **f} for i, f in enumerate(_profile_fields(rng, n_clients))]
    return scoring.clients_encode(clients, pool), pool, rng


def _full_optimum(batch, pool, free, excluded):
    rows, cols, scores = scoring.top_candidates(batch, pool, k=None, excluded=excluded)
    full = assign(n_clients=len(batch), capacities=free, arc_clients=rows, arc_mentors=cols, arc_scores=scores)
    return full.matched, full.objective


@pytest.mark.parametrize("seed", range(12))
def test_streamed_proof_reaches_the_full_graph_optimum(seed):
    batch, pool, rng = _program(seed, n_clients=int(60 + 40 * (seed % 4)), n_mentors=int(8 + 3 * (seed % 5)), capacity=3)
    free = np.maximum(pool.capacity.astype(np.int64) - pool.load.astype(np.int64), 0)
    excluded = [(int(rng.integers(0, len(batch))), int(rng.integers(0, len(pool)))) for _ in range(10)]
    k, mentor_k = 1 + seed % 3, 2 * (seed % 2)
    bounds = scoring.PruneBounds()
    rows, cols, scores = scoring.top_candidates(batch, pool, k=k, mentor_k=mentor_k, excluded=excluded, chunk=16, bounds=bounds)
    pricer = pricing.StreamedPricer(batch, pool, bounds, excluded=excluded, chunk=16)
    result, (rows2, cols2, _scores2), _rounds = assign_certified(
        n_clients=len(batch), capacities=free, arcs=(rows, cols, scores), price=pricer
    )
    assert (result.matched, result.objective) == _full_optimum(batch, pool, free, excluded)
    excluded_set = set(excluded)
    assert not any((int(c), int(m)) in excluded_set for c, m in zip(result.client_rows, result.mentor_rows, strict=True))


def test_bounds_rule_out_pairs_instead_of_scoring_them_all():
    batch, pool, _rng = _program(99, n_clients=400, n_mentors=30, capacity=20)
    free = np.maximum(pool.capacity.astype(np.int64) - pool.load.astype(np.int64), 0)
    bounds = scoring.PruneBounds()
    arcs = scoring.top_candidates(batch, pool, k=10, mentor_k=10, chunk=64, bounds=bounds)
    pricer = pricing.StreamedPricer(batch, pool, bounds, chunk=64)
    result, _arcs, rounds = assign_certified(n_clients=len(batch), capacities=free, arcs=arcs, price=pricer)
    assert (result.matched, result.objective) == _full_optimum(batch, pool, free, [])
    # Plenty of room: the pruned plan is already optimal and few rows are scored again.
    assert pricer.rows_scored < len(batch) * rounds


def test_reserve_and_augmenting_paths_reach_the_full_graph_optimum():
    # Scarce places and a solver graph of one arc a client: first plans strand people who could
    # be matched (the cardinality phase must find the augmenting paths), and the other scored
    # pairs wait in the reserve, priced exactly each round.
    from matching.services.batch import _split_reserve

    stranded = 0
    for seed in range(8):
        batch, pool, _rng = _program(200 + seed, n_clients=120, n_mentors=10, capacity=4)
        free = np.maximum(pool.capacity.astype(np.int64) - pool.load.astype(np.int64), 0)
        bounds = scoring.PruneBounds()
        known = scoring.top_candidates(batch, pool, k=4, mentor_k=2, chunk=32, bounds=bounds)
        arcs, reserve = _split_reserve(*known, k=1, mentor_k=2)
        first = assign(n_clients=len(batch), capacities=free, arc_clients=arcs[0], arc_mentors=arcs[1], arc_scores=arcs[2])
        pricer = pricing.StreamedPricer(batch, pool, bounds, chunk=32)
        result, _arcs, _rounds = assign_certified(
            n_clients=len(batch), capacities=free, arcs=arcs, reserve=reserve, price=pricer, first=first
        )
        optimum = _full_optimum(batch, pool, free, [])
        assert (result.matched, result.objective) == optimum
        stranded += first.matched < optimum[0]
    assert stranded  # the cardinality phase was exercised, not only the cost phase
