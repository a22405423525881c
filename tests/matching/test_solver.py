"""The batch solver is optimal: it matches as many people as possible, then maximizes the total
score, under every mentor's capacity. Checked against brute force on many small instances."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matching.solver import assign, assign_certified


def brute_force(n_clients, capacities, arcs):
    """Best (matched, total score) over every capacity-respecting assignment."""
    options = [[None] + [(m, s) for (c, m, s) in arcs if c == i] for i in range(n_clients)]
    best = (0, 0)
    for choice in itertools.product(*options):
        used = [0] * len(capacities)
        ok = True
        for pick in choice:
            if pick is not None:
                used[pick[0]] += 1
                if used[pick[0]] > capacities[pick[0]]:
                    ok = False
                    break
        if ok:
            picked = [p for p in choice if p is not None]
            best = max(best, (len(picked), sum(s for _, s in picked)))
    return best


def greedy(n_clients, capacities, arcs):
    used = [0] * len(capacities)
    taken = set()
    total = 0
    for c, m, s in sorted(arcs, key=lambda a: -a[2]):
        if c not in taken and used[m] < capacities[m]:
            taken.add(c)
            used[m] += 1
            total += s
    return len(taken), total


def solve(n_clients, capacities, arcs):
    a = np.array(arcs, dtype=np.int64).reshape(-1, 3)
    result = assign(
        n_clients=n_clients, capacities=np.array(capacities), arc_clients=a[:, 0], arc_mentors=a[:, 1], arc_scores=a[:, 2]
    )
    used = np.bincount(result.mentor_rows, minlength=len(capacities))
    assert (used <= np.array(capacities)).all(), "a mentor got more mentees than places"
    assert len(set(result.client_rows.tolist())) == result.matched, "a client was matched twice"
    lookup = {(c, m): s for c, m, s in arcs}
    for c, m, s in zip(result.client_rows, result.mentor_rows, result.scores, strict=True):
        assert lookup[(int(c), int(m))] == s, "only feasible pairs, with their own score"
    return result.matched, result.objective


def test_greedy_would_leave_someone_unmatched_but_the_solver_does_not():
    # Ana fits both mentors, Ben only Jo. Greedy gives Ana her best (Jo, 95) and strands Ben.
    arcs = [(0, 0, 95), (0, 1, 90), (1, 0, 40)]
    assert greedy(2, [1, 1], arcs) == (1, 95)
    assert solve(2, [1, 1], arcs) == (2, 130) == brute_force(2, [1, 1], arcs)


def test_higher_total_beats_the_single_best_pair():
    arcs = [(0, 0, 90), (0, 1, 85), (1, 0, 80), (1, 1, 20)]
    assert greedy(2, [1, 1], arcs) == (2, 110)
    assert solve(2, [1, 1], arcs) == (2, 165)


def test_capacity_above_one_and_nobody_feasible():
    assert solve(3, [2], [(0, 0, 10), (1, 0, 20), (2, 0, 30)]) == (2, 50)
    assert solve(2, [0, 3], [(0, 0, 50)]) == (0, 0)
    assert solve(0, [1], []) == (0, 0)


@pytest.mark.parametrize("seed", range(300))
def test_matches_brute_force_on_random_small_instances(seed):
    rng = np.random.default_rng(seed)
    n_clients = int(rng.integers(1, 7))
    n_mentors = int(rng.integers(1, 4))
    capacities = [int(c) for c in rng.integers(0, 3, size=n_mentors)]
    density = rng.uniform(0.2, 0.9)
    arcs = [(c, m, int(rng.integers(0, 101))) for c in range(n_clients) for m in range(n_mentors) if rng.random() < density]
    assert solve(n_clients, capacities, arcs) == brute_force(n_clients, capacities, arcs)


def test_random_instances_include_cases_where_greedy_strands_someone():
    stranded = 0
    for seed in range(300):
        rng = np.random.default_rng(seed)
        n_clients, n_mentors = int(rng.integers(1, 7)), int(rng.integers(1, 4))
        capacities = [int(c) for c in rng.integers(0, 3, size=n_mentors)]
        density = rng.uniform(0.2, 0.9)
        arcs = [(c, m, int(rng.integers(0, 101))) for c in range(n_clients) for m in range(n_mentors) if rng.random() < density]
        if greedy(n_clients, capacities, arcs)[0] < brute_force(n_clients, capacities, arcs)[0]:
            stranded += 1
    assert stranded >= 10  # the brute-force comparison above covers these, not just easy cases


def solve_pruned(n_clients, capacities, arcs, keep_per_client):
    """Start from each client's `keep_per_client` best arcs only (as large programs do) and let
    the optimality proof add whatever the plan still needs."""
    n_mentors = len(capacities)
    keyed = np.full((n_clients, n_mentors), -1, dtype=np.int16)
    for c, m, s in arcs:
        keyed[c, m] = s
    chunks = [(np.arange(n_clients), np.arange(n_mentors), keyed)]
    start = sorted(arcs, key=lambda a: -a[2])
    kept, per_client = [], {}
    for c, m, s in start:
        if per_client.get(c, 0) < keep_per_client:
            kept.append((c, m, s))
            per_client[c] = per_client.get(c, 0) + 1
    a = np.array(kept, dtype=np.int64).reshape(-1, 3)
    result, _arcs, rounds = assign_certified(
        n_clients=n_clients, capacities=np.array(capacities), arcs=(a[:, 0], a[:, 1], a[:, 2]), chunks=chunks
    )
    return (result.matched, result.objective), rounds


@pytest.mark.parametrize("seed", range(200))
def test_pruned_start_is_proved_or_made_optimal(seed):
    rng = np.random.default_rng(1000 + seed)
    n_clients = int(rng.integers(1, 7))
    n_mentors = int(rng.integers(1, 4))
    capacities = [int(c) for c in rng.integers(0, 3, size=n_mentors)]
    density = rng.uniform(0.3, 1.0)
    arcs = [(c, m, int(rng.integers(0, 101))) for c in range(n_clients) for m in range(n_mentors) if rng.random() < density]
    if not arcs:
        return
    pruned, _rounds = solve_pruned(n_clients, capacities, arcs, keep_per_client=1)
    assert pruned == brute_force(n_clients, capacities, arcs)


def test_pruning_that_strands_someone_is_repaired_by_the_proof():
    # Both clients' single best mentor is Jo (one place); Ben's only other fit is Sam. With one
    # arc per client the pruned graph matches one person; the proof adds Ben → Sam.
    arcs = [(0, 0, 95), (1, 0, 90), (1, 1, 30)]
    (matched, total), rounds = solve_pruned(2, [1, 1], arcs, keep_per_client=1)
    assert (matched, total) == (2, 125) == brute_force(2, [1, 1], arcs)
    assert rounds >= 2


def test_larger_random_instances_match_the_full_graph():
    rng = np.random.default_rng(7)
    for _ in range(5):
        n_clients, n_mentors = 300, 40
        capacities = [int(c) for c in rng.integers(0, 9, size=n_mentors)]
        arcs = [(c, m, int(rng.integers(0, 101))) for c in range(n_clients) for m in range(n_mentors) if rng.random() < 0.5]
        pruned, _rounds = solve_pruned(n_clients, capacities, arcs, keep_per_client=2)
        assert pruned == solve(n_clients, capacities, arcs)
