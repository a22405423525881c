"""Optimal capacity-respecting assignment of clients to mentors (pure, no database).

Objective, in order: match as many clients as possible, then maximize the total score. Solved
exactly as a min-cost max-flow with OR-Tools' SimpleMinCostFlow:

    source ──1──▶ client ──1, cost 100 − score──▶ mentor ──free places──▶ sink

`solve_max_flow_with_min_cost` first maximizes the flow (people matched), then minimizes the
cost among maximum flows (= maximizes the total score). Never greedy: a greedy pass that gives
each person their favourite can strand someone whose only fit was taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_SCORE = 100


class SolverError(RuntimeError):
    pass


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
    """capacities[j]: free places of mentor j; arcs: feasible (client, mentor, score 0–100),
    at most one per pair."""
    capacities = np.maximum(np.asarray(capacities, dtype=np.int64), 0)
    arc_clients = np.asarray(arc_clients, dtype=np.int64)
    arc_mentors = np.asarray(arc_mentors, dtype=np.int64)
    arc_scores = np.asarray(arc_scores, dtype=np.int64)
    if arc_mentors.size:
        keep = capacities[arc_mentors] > 0
        arc_clients, arc_mentors, arc_scores = arc_clients[keep], arc_mentors[keep], arc_scores[keep]
    empty = Assignment(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    if n_clients == 0 or arc_clients.size == 0:
        return empty

    from ortools.graph.python import min_cost_flow  # imported on first use: web processes rarely need it

    n_mentors = capacities.shape[0]
    source, sink = n_clients + n_mentors, n_clients + n_mentors + 1
    n_arcs = arc_clients.size
    tails = np.concatenate([np.full(n_clients, source), arc_clients, n_clients + np.arange(n_mentors)])
    heads = np.concatenate([np.arange(n_clients), n_clients + arc_mentors, np.full(n_mentors, sink)])
    caps = np.concatenate([np.ones(n_clients + n_arcs, dtype=np.int64), capacities])
    costs = np.concatenate(
        [np.zeros(n_clients, dtype=np.int64), MAX_SCORE - np.clip(arc_scores, 0, MAX_SCORE), np.zeros(n_mentors, dtype=np.int64)]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, n_clients)
    flow.set_node_supply(sink, -n_clients)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    used = flow.flows(np.arange(n_clients, n_clients + n_arcs)) > 0
    client_rows, mentor_rows, scores = arc_clients[used], arc_mentors[used], arc_scores[used]
    order = np.argsort(client_rows, kind="stable")
    return Assignment(client_rows[order], mentor_rows[order], scores[order])
