"""Pricing the pairs the batch solver's pruned graph left out (the optimality proof of
solver.assign_certified): from blocks held in memory (`improving_arcs`) or streamed, block by
block, in bounded memory (`StreamedPricer`)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .scoring import (
    MAX_POINTS,
    Arcs,
    ClientBatch,
    MentorPool,
    PruneBounds,
    _excluded_by_row,
    _keyed_block,
    nonzero_2d,
    score_tasks,
)


class StreamedPricer:
    """Prices every feasible pair the pruned graph left out, block by block, without holding
    them (memory: one block at a time). A left-out pair (i, j) improves the plan only if its
    reduced cost is negative, score > MAX + π(i) − π(j); since it was left out its score is at
    most min(client_kth[i], mentor_kth[j]) (PruneBounds), so whole clients and most pairs are
    ruled out from the bounds alone and only the few rows that could hold one are scored again."""

    def __init__(
        self,
        clients: ClientBatch,
        pool: MentorPool,
        bounds: PruneBounds,
        *,
        excluded: Iterable[tuple[int, int]] = (),
        chunk: int = 1024,
    ) -> None:
        self.clients, self.pool, self.bounds = clients, pool, bounds
        self.excluded_by_row = _excluded_by_row(excluded)
        self.tasks = score_tasks(clients, pool, chunk=chunk) if len(pool) and len(clients) else []
        self.rows_scored = 0

    def __call__(
        self,
        client_potential: np.ndarray,
        mentor_potential: np.ndarray,
        *,
        in_graph: np.ndarray,
        n_mentors: int,
        margin: float = 0.0,
    ) -> Arcs:
        found: list[Arcs] = []
        eps = 1e-6 - margin  # pairs with a reduced cost below `margin` (see improving_arcs)
        for rows, cols, sub_pool in self.tasks:
            kth = self.bounds.client_kth[rows].astype(np.float64)
            pi_c = client_potential[rows]
            pi_m = mentor_potential[cols]
            # Client bound: some mentor of the block must have π(j) > MAX + π(i) − kth(i).
            alive = (kth >= 0) & (pi_m.max() > MAX_POINTS + pi_c - kth + eps)
            if not alive.any():
                continue
            sel = np.flatnonzero(alive)
            threshold = MAX_POINTS + pi_c[sel][:, None] - pi_m[None, :]
            limit = np.minimum(kth[sel][:, None], self.bounds.mentor_kth[cols].astype(np.float64)[None, :])
            maybe = limit > threshold + eps
            sel_rows = np.flatnonzero(maybe.any(axis=1))
            if sel_rows.size == 0:
                continue
            sel = sel[sel_rows]
            self.rows_scored += int(sel.size)
            keyed = _keyed_block(self.clients, rows[sel], cols, sub_pool, self.excluded_by_row)
            r, c = nonzero_2d((keyed >= 0) & (keyed > threshold[sel_rows] + eps))
            if r.size == 0:
                continue
            cr, mc = rows[sel][r].astype(np.int64), cols[c].astype(np.int64)
            keys = cr * n_mentors + mc
            pos = np.searchsorted(in_graph, keys)
            new = (pos >= in_graph.size) | (in_graph[np.minimum(pos, in_graph.size - 1)] != keys)
            found.append((cr[new], mc[new], keyed[r, c][new].astype(np.int16)))
        found = [f for f in found if f[0].size]
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.int16)
        return (
            np.concatenate([f[0] for f in found]),
            np.concatenate([f[1] for f in found]),
            np.concatenate([f[2] for f in found]),
        )


def improving_arcs(
    chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    client_potential: np.ndarray,
    mentor_potential: np.ndarray,
    *,
    in_graph: np.ndarray,
    n_mentors: int,
    max_cost: int,
    margin: float = 0.0,
) -> Arcs:
    """Feasible pairs left out of the solver's graph whose reduced cost is negative under the
    given node potentials: max_cost - score + π(client) - π(mentor) < 0. None means the plan
    solved on the pruned graph is optimal on the full one (LP duality); otherwise these arcs
    are added and the plan solved again. `in_graph`: sorted keys client*n_mentors+mentor.
    With `margin`, pairs whose reduced cost is below it come too (the caller tells the
    improving ones apart): adding the nearly improving ones with them saves solve rounds."""
    found: list[Arcs] = []
    base = max_cost - margin + 1e-6 + client_potential
    for rows, cols, keyed in chunks:
        row_base, col_potential = base[rows], mentor_potential[cols]
        for start in range(0, rows.size, PRICE_ROWS):
            r, c = nonzero_2d(
                keyed[start : start + PRICE_ROWS] > _int8_threshold(row_base[start : start + PRICE_ROWS], col_potential)
            )
            if r.size == 0:
                continue
            r += start
            cr, mc = rows[r].astype(np.int64), cols[c].astype(np.int64)
            keys = cr * n_mentors + mc
            pos = np.searchsorted(in_graph, keys)
            new = (pos >= in_graph.size) | (in_graph[np.minimum(pos, in_graph.size - 1)] != keys)
            found.append((cr[new], mc[new], keyed[r, c][new].astype(np.int16)))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.int16)
    return (
        np.concatenate([f[0] for f in found]),
        np.concatenate([f[1] for f in found]),
        np.concatenate([f[2] for f in found]),
    )


# Rows priced at once: the threshold temporaries stay in the CPU cache.
PRICE_ROWS = 16


def _int8_threshold(row_base: np.ndarray, col_potential: np.ndarray) -> np.ndarray:
    """floor(row_base[i] - col_potential[j]) clipped to [-1, MAX_POINTS], as int8: for an
    integer score s (or -1, infeasible) in [-1, MAX_POINTS], s > x exactly when s > this, so a
    held int8 block is compared without widening it, and infeasible pairs never pass."""
    threshold = row_base[:, None] - col_potential[None, :]
    np.floor(threshold, out=threshold)
    np.clip(threshold, -1, MAX_POINTS, out=threshold)
    return threshold.astype(np.int8)
