"""Scoring is pure: hard filters, a 0–100 score from documented weights, and reasons."""

from __future__ import annotations

import numpy as np

from matching import fit_reasons, scoring


def mentor(id, **kw):
    base = {
        "id": id, "pathways": ["smart"], "languages": ["en"], "formats": ["video"], "availability": [],
        "experience_tags": [], "gender": "woman", "supports_harm_reduction": True, "years_in_recovery": 5, "capacity": 2,
    }  # fmt: skip
    base.update(kw)
    return base


CLIENT = {"id": 1, "goal": "abstinence", "pathways": ["smart"], "languages": ["en"], "formats": ["video"], "availability": []}


def test_weights_are_documented_and_sum_to_100():
    assert sum(scoring.WEIGHTS.values()) == 100


def test_a_perfect_fit_scores_100_and_the_score_is_bounded():
    slots = [{"day": 1, "start": "09:00", "end": "17:00"}]
    client = {**CLIENT, "availability": slots, "experience_tags": ["parent", "veteran"]}
    pool = scoring.pool_build([mentor(10, availability=slots, experience_tags=["parent", "veteran"])], {})
    feasible, score = scoring.score_matrix(scoring.clients_encode([client], pool), pool)
    assert feasible[0, 0] and score[0, 0] == 100


def test_vectorized_scores_equal_one_by_one_scores():
    rng = np.random.default_rng(7)
    paths = ["smart", "twelve_step", "moud", "harm_reduction"]
    mentors = [
        mentor(
            i,
            pathways=list(rng.choice(paths, size=int(rng.integers(0, 3)), replace=False)),
            languages=["en"] if rng.random() < 0.7 else ["es"],
            years_in_recovery=int(rng.integers(0, 12)),
            availability=[{"day": int(rng.integers(0, 7)), "start": "18:00", "end": "21:00"}],
        )
        for i in range(50)
    ]
    loads = {i: int(rng.integers(0, 3)) for i in range(50)}
    pool = scoring.pool_build(mentors, loads)
    client = {**CLIENT, "availability": [{"day": 2, "start": "17:00", "end": "22:00"}]}
    feasible, score = scoring.score_matrix(scoring.clients_encode([client], pool), pool)
    for i, m in enumerate(mentors):
        single = scoring.pool_build([m], {m["id"]: loads[i]})
        f1, s1 = scoring.score_matrix(scoring.clients_encode([client], single), single)
        assert (feasible[0, i], score[0, i]) == (f1[0, 0], s1[0, 0])


def test_hard_filters():
    pool = scoring.pool_build(
        [
            mentor(1),
            mentor(2, supports_harm_reduction=False),
            mentor(3, languages=["fr"]),
            mentor(4, gender="man"),
            mentor(5, formats=["in_person"]),
            mentor(6, capacity=1),
        ],
        {6: 1},
    )
    client = {**CLIENT, "goal": "moderation", "mentor_gender": "woman", "mentor_gender_required": True}
    feasible, _ = scoring.score_matrix(scoring.clients_encode([client], pool), pool)
    assert feasible[0].tolist() == [True, False, False, False, False, False]


def test_reasons_read_like_a_person_wrote_them():
    evenings = [{"day": 2, "start": "18:00", "end": "21:00"}, {"day": 4, "start": "18:00", "end": "21:00"}]
    client = {**CLIENT, "goal": "moderation", "languages": ["en", "es"], "availability": evenings, "experience_tags": ["parent"]}
    m = mentor(1, languages=["es", "en"], availability=evenings, experience_tags=["parent"], years_in_recovery=6)
    reasons = fit_reasons.reasons_for(client, m, load=0)
    assert reasons[:3] == ["Both on a SMART Recovery path", "Free Tuesday and Thursday evenings", "Speaks Spanish"]
    assert "Shares your experience: parent" in reasons
    assert "6 years in recovery" in reasons
    assert "Supports moderation and harm-reduction goals" in reasons


def test_suggestions_rank_best_first_and_skip_excluded():
    pool = scoring.pool_build([mentor(1, years_in_recovery=1), mentor(2), mentor(3, pathways=[])], {})
    ranked = scoring.suggestions_rank(CLIENT, pool, excluded_ids=[2])
    assert [int(pool.ids[row]) for row, _ in ranked] == [1, 3]
    assert ranked[0][1] > ranked[1][1]


def _random_program(seed, n_clients, n_mentors):
    rng = np.random.default_rng(seed)
    paths = ["smart", "twelve_step", "moud", "harm_reduction", "faith_based"]
    langs = [["en"], ["en"], ["en"], ["es"], ["en", "es"]]

    def person(i):
        return {
            "id": i,
            "pathways": list(rng.choice(paths, size=int(rng.integers(1, 3)), replace=False)),
            "languages": langs[int(rng.integers(0, 5))],
            "formats": list(rng.choice(["video", "phone", "text", "in_person"], size=int(rng.integers(1, 4)), replace=False)),
            "availability": [{"day": int(rng.integers(0, 7)), "start": "18:00", "end": "21:00"}],
            "goal": ["abstinence", "moderation"][int(rng.integers(0, 2))],
        }

    mentors = [
        {
            **person(1000 + j),
            "supports_harm_reduction": bool(rng.random() < 0.6),
            "capacity": 2,
            "years_in_recovery": int(rng.integers(0, 9)),
        }
        for j in range(n_mentors)
    ]
    pool = scoring.pool_build(mentors, {})
    return scoring.clients_encode([person(i) for i in range(n_clients)], pool), pool


def test_pruned_arcs_are_a_subset_with_each_clients_best_and_each_mentors_best():
    batch, pool = _random_program(1, 300, 40)
    fr, fc, fs = scoring.top_candidates(batch, pool, k=None, chunk=64)
    pr, pc, ps = scoring.top_candidates(batch, pool, k=5, mentor_k=4, chunk=64)
    full = {(int(r), int(c)): int(s) for r, c, s in zip(fr, fc, fs, strict=True)}
    pruned = {(int(r), int(c)): int(s) for r, c, s in zip(pr, pc, ps, strict=True)}
    assert len(pruned) == len(pr) and pruned.items() <= full.items()
    for client in range(300):
        mine = sorted((s for (r, _), s in full.items() if r == client), reverse=True)[:5]
        kept = sorted((s for (r, _), s in pruned.items() if r == client), reverse=True)[: len(mine)]
        assert kept == mine
    for mentor in range(40):
        best = sorted((s for (_, c), s in full.items() if c == mentor), reverse=True)[:4]
        kept = sorted((s for (_, c), s in pruned.items() if c == mentor), reverse=True)[: len(best)]
        assert kept == best


def test_pruning_keeps_every_match_and_nearly_all_the_score():
    from matching.solver import assign

    batch, pool = _random_program(2, 400, 60)
    free = pool.capacity.astype(np.int64)
    full = assign(
        n_clients=400,
        capacities=free,
        **dict(zip(("arc_clients", "arc_mentors", "arc_scores"), scoring.top_candidates(batch, pool, k=None), strict=True)),
    )
    pruned = assign(
        n_clients=400,
        capacities=free,
        **dict(
            zip(("arc_clients", "arc_mentors", "arc_scores"), scoring.top_candidates(batch, pool, k=10, mentor_k=10), strict=True)
        ),
    )
    assert pruned.matched == full.matched
    assert pruned.objective >= 0.99 * full.objective


def test_excluded_pairs_never_become_arcs_and_groups_cover_every_feasible_pair():
    batch, pool = _random_program(3, 200, 30)
    full = scoring.top_candidates(batch, pool, k=None)
    pairs = set(zip(full[0].tolist(), full[1].tolist(), strict=True))
    # Reference: the plain all-pairs matrix.
    feasible, _ = scoring.score_matrix(batch, pool)
    assert pairs == set(zip(*np.nonzero(feasible), strict=True))
    banned = sorted(pairs)[:25]
    pruned = scoring.top_candidates(batch, pool, k=3, mentor_k=3, excluded=banned, chunk=16)
    again = scoring.top_candidates(batch, pool, k=None, excluded=banned)
    assert not set(banned) & set(zip(pruned[0].tolist(), pruned[1].tolist(), strict=True))
    assert set(zip(again[0].tolist(), again[1].tolist(), strict=True)) == pairs - set(banned)
