"""Optimal capacity-respecting assignment of clients to mentors (pure, no database).

Objective, in order: match as many clients as possible, then maximize the total score. Solved
exactly as a minimum-weight full bipartite matching (LAPJVsp, scipy.sparse.csgraph) on a sparse
graph: each mentor with `c` free places becomes `c` slot columns, and every client also gets a
private "stays unmatched" column whose cost is so high that leaving one more person unmatched
never pays off, whatever happens to the scores. The same problem as a min-cost flow
(source → client → mentor[capacity] → sink); the slot expansion is exact because a pair's score
does not depend on which of the mentor's places it takes. Never greedy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

MAX_SCORE = 100


@dataclass
class Assignment:
    client_rows: np.ndarray  # matched clients (rows into the client batch)
    mentor_rows: np.ndarray  # their mentors (rows into the pool)
    scores: np.ndarray

    @property
    def matched(self) -> int:
        return int(self.client_rows.shape[0])

    @property
    def objective(self) -> int:
        return int(self.scores.sum())


def assign(
    *,
    n_clients: int,
    capacities: np.ndarray,
    arc_clients: np.ndarray,
    arc_mentors: np.ndarray,
    arc_scores: np.ndarray,
) -> Assignment:
    """capacities[j]: free places of mentor j; arcs: feasible (client, mentor, score 0–100)."""
    capacities = np.maximum(np.asarray(capacities, dtype=np.int64), 0)
    arc_clients = np.asarray(arc_clients, dtype=np.int64)
    arc_mentors = np.asarray(arc_mentors, dtype=np.int64)
    arc_scores = np.asarray(arc_scores, dtype=np.int64)
    keep = capacities[arc_mentors] > 0 if arc_mentors.size else np.zeros(0, dtype=bool)
    arc_clients, arc_mentors, arc_scores = arc_clients[keep], arc_mentors[keep], arc_scores[keep]
    empty = Assignment(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    if n_clients == 0 or arc_clients.size == 0:
        return empty

    # Slot columns: mentor j owns columns first_slot[j] .. first_slot[j] + cap[j] - 1.
    first_slot = np.concatenate([[0], np.cumsum(capacities)[:-1]])
    n_slots = int(capacities.sum())
    reps = capacities[arc_mentors]
    arc_of_edge = np.repeat(np.arange(arc_clients.size), reps)
    offsets = np.arange(arc_of_edge.size) - np.repeat(np.cumsum(reps) - reps, reps)
    edge_rows = arc_clients[arc_of_edge]
    edge_cols = first_slot[arc_mentors[arc_of_edge]] + offsets
    # Costs must be > 0 (a sparse zero is "no edge"): a real pair costs 1..101.
    edge_costs = (MAX_SCORE + 1 - arc_scores[arc_of_edge]).astype(np.float64)
    # One more matched client gains at least UNMATCHED - 101, and the scores of everyone else
    # can fall by at most 100 each: so the unmatched cost puts cardinality first.
    unmatched_cost = float(MAX_SCORE * n_clients + MAX_SCORE + 2)
    rows = np.concatenate([edge_rows, np.arange(n_clients)])
    cols = np.concatenate([edge_cols, n_slots + np.arange(n_clients)])
    costs = np.concatenate([edge_costs, np.full(n_clients, unmatched_cost)])
    graph = csr_matrix((costs, (rows, cols)), shape=(n_clients, n_slots + n_clients))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)

    real = col_ind < n_slots
    client_rows = row_ind[real].astype(np.int64)
    slots = col_ind[real]
    mentor_rows = (np.searchsorted(first_slot, slots, side="right") - 1).astype(np.int64)
    # Look the score of each chosen pair back up (arcs are unique per pair).
    n_mentors = capacities.shape[0]
    key = arc_clients * n_mentors + arc_mentors
    order = np.argsort(key)
    pos = order[np.searchsorted(key[order], client_rows * n_mentors + mentor_rows)]
    scores = arc_scores[pos]
    sort = np.argsort(client_rows)
    return Assignment(client_rows[sort], mentor_rows[sort], scores[sort])
