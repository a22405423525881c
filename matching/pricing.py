"""Pricing the pairs the batch solver's pruned graph left out (the optimality proof of
solver.assign_certified): from blocks held in memory (`improving_arcs`) or streamed, block by
block, in bounded memory (`StreamedPricer`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .scoring import (
    MAX_POINTS,
    SCORE_ROWS,
    SCORING_THREADS,
    Arcs,
    ClientBatch,
    MentorPool,
    PruneBounds,
    _excluded_by_row,
    _keyed_block,
    clients_subset,
    nonzero_2d,
    pool_subset,
    score_matrix,
    score_tasks,
)


class _RowIndex:
    """Where each client row sits among a list of blocks of rows (a client is in one block)."""

    def _index_rows(self, block_rows: list[np.ndarray]) -> None:
        n = 1 + max((int(r.max()) for r in block_rows if r.size), default=-1)
        self._block_of = np.full(n, -1, dtype=np.int64)
        self._position = np.zeros(n, dtype=np.int64)
        for b, r in enumerate(block_rows):
            self._block_of[r] = b
            self._position[r] = np.arange(r.size)

    def _locate(self, wanted: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        """(block, positions in it) of the wanted rows, block by block."""
        wanted = wanted[wanted < self._block_of.size]
        blocks = self._block_of[wanted]
        wanted, blocks = wanted[blocks >= 0], blocks[blocks >= 0]
        order = np.argsort(blocks, kind="stable")
        wanted, blocks = wanted[order], blocks[order]
        bounds = np.flatnonzero(np.diff(blocks)) + 1
        for part in np.split(np.arange(blocks.size), bounds) if blocks.size else []:
            yield int(blocks[part[0]]), np.sort(self._position[wanted[part]])


class StreamedPricer(_RowIndex):
    """Prices every feasible pair the pruned graph left out, block by block, without holding
    them (memory: one block at a time). A left-out pair (i, j) improves the plan only if its
    reduced cost is negative, score > MAX + π(i) − π(j); since it was left out its score is at
    most min(client_kth[i], mentor_kth[j]) (PruneBounds), so most pairs are ruled out from the
    bounds alone: each client is scored again only against the prefix of mentors (sorted by
    potential) that could still hold one (`_candidates`). `row_arcs` scores whole rows, for the
    cardinality search (solver.augmenting_arcs)."""

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
        excluded = list(excluded)
        self.excluded_by_row = _excluded_by_row(excluded)
        self.tasks = score_tasks(clients, pool, chunk=chunk) if len(pool) and len(clients) else []
        self.rows_scored = 0
        self.pairs_scored = 0
        pairs = sorted(set(excluded))
        self.excluded_keys = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        self._index_rows([rows for rows, _cols, _pool in self.tasks])

    def row_arcs(self, wanted: np.ndarray) -> Iterator[Arcs]:
        """Every feasible pair of the wanted client rows, block by block (scored again)."""
        for b, positions in self._locate(wanted):
            rows, cols, sub_pool = self.tasks[b]
            self.rows_scored += int(positions.size)
            self.pairs_scored += int(positions.size * cols.size)
            keyed = _keyed_block(self.clients, rows[positions], cols, sub_pool, self.excluded_by_row)
            r, c = nonzero_2d(keyed >= 0)
            yield rows[positions][r].astype(np.int64), cols[c].astype(np.int64), keyed[r, c].astype(np.int16)

    def __call__(
        self,
        client_potential: np.ndarray,
        mentor_potential: np.ndarray,
        *,
        in_graph: np.ndarray,
        n_mentors: int,
        margin: float = 0.0,
    ) -> Arcs:
        eps = 1e-6 - margin  # pairs with a reduced cost below `margin` (see improving_arcs)
        excluded_keys = self.excluded_keys[:, 0] * n_mentors + self.excluded_keys[:, 1]

        def one_task(task: tuple[np.ndarray, np.ndarray, MentorPool]) -> tuple[list[Arcs], int, int]:
            rows, cols, sub_pool = task
            out: list[Arcs] = []
            counts = [0, 0]
            for r, c, score in self._candidates(rows, cols, sub_pool, client_potential, mentor_potential, eps, counts):
                keys = r * n_mentors + c
                pos = np.searchsorted(in_graph, keys)
                new = (pos >= in_graph.size) | (in_graph[np.minimum(pos, in_graph.size - 1)] != keys)
                if excluded_keys.size:
                    new &= ~np.isin(keys, excluded_keys)
                out.append((r[new], c[new], score[new]))
            return out, counts[0], counts[1]

        # NumPy releases the GIL in the scoring loops: both cores, as in top_candidates.
        with ThreadPoolExecutor(max_workers=SCORING_THREADS) as executor:
            results = list(executor.map(one_task, self.tasks))
        found = [f for out, _rows, _pairs in results for f in out]
        self.rows_scored += sum(r for _out, r, _pairs in results)
        self.pairs_scored += sum(p for _out, _rows, p in results)
        found = [f for f in found if f[0].size]
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.int16)
        return (
            np.concatenate([f[0] for f in found]),
            np.concatenate([f[1] for f in found]),
            np.concatenate([f[2] for f in found]),
        )

    def _candidates(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        sub_pool: MentorPool,
        client_potential: np.ndarray,
        mentor_potential: np.ndarray,
        eps: float,
        counts: list[int],
    ) -> Iterator[Arcs]:
        """The pairs of one block whose reduced cost may be below the margin, scored: a pair
        (i, j) can only if π(j) > MAX + π(i) − client_kth(i) (+ eps) and π(j) + mentor_kth(j)
        > MAX + π(i). The mentors are sorted by either side, so each client's candidates are a
        prefix of one order (the shorter), and only those prefixes are scored."""
        pi_c = client_potential[rows]
        kth = self.bounds.client_kth[rows].astype(np.float64)
        pi_m = mentor_potential[cols]
        mentor_kth = self.bounds.mentor_kth[cols].astype(np.float64)
        need_mentor = np.where(kth >= 0, MAX_POINTS + pi_c - kth + eps, np.inf)
        need_sum = MAX_POINTS + pi_c + eps
        by_sum = np.where(mentor_kth >= 0, pi_m + mentor_kth, -np.inf)
        prefixes = []
        for key, need in ((pi_m, need_mentor), (by_sum, need_sum)):
            order = np.argsort(-key, kind="stable")
            prefixes.append((order, np.searchsorted(-key[order], -need, side="left")))
        (order_a, len_a), (order_b, len_b) = prefixes
        use_a = len_a <= len_b
        for order, length in ((order_a, np.where(use_a, len_a, 0)), (order_b, np.where(use_a, 0, len_b))):
            todo = np.flatnonzero(length > 0)
            if todo.size == 0:
                continue
            todo = todo[np.argsort(length[todo], kind="stable")]
            counts[0] += int(todo.size)
            for start in range(0, todo.size, SCORE_ROWS):
                part = todo[start : start + SCORE_ROWS]
                width = int(length[part[-1]])
                mentors = order[:width]
                counts[1] += part.size * width
                feasible, score = score_matrix(
                    clients_subset(self.clients, rows[part]), pool_subset(sub_pool, mentors), prefiltered=True
                )
                threshold = MAX_POINTS + pi_c[part][:, None] - pi_m[mentors][None, :] + eps
                r, c = nonzero_2d(feasible & (score > threshold))
                if r.size:
                    yield rows[part][r].astype(np.int64), cols[mentors][c].astype(np.int64), score[r, c].astype(np.int16)


class HeldPricer(_RowIndex):
    """Prices the left-out pairs from scored blocks held in memory (rows, cols, score or -1)."""

    def __init__(self, chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]], *, max_cost: int = MAX_POINTS) -> None:
        self.chunks, self.max_cost = chunks, max_cost
        self._index_rows([rows for rows, _cols, _keyed in chunks])

    def __call__(
        self,
        client_potential: np.ndarray,
        mentor_potential: np.ndarray,
        *,
        in_graph: np.ndarray,
        n_mentors: int,
        margin: float = 0.0,
    ) -> Arcs:
        return improving_arcs(
            self.chunks,
            client_potential,
            mentor_potential,
            in_graph=in_graph,
            n_mentors=n_mentors,
            max_cost=self.max_cost,
            margin=margin,
        )

    def row_arcs(self, wanted: np.ndarray) -> Iterator[Arcs]:
        """Every feasible pair of the wanted client rows, block by block."""
        for b, positions in self._locate(wanted):
            rows, cols, keyed = self.chunks[b]
            r, c = nonzero_2d(keyed[positions] >= 0)
            yield rows[positions][r].astype(np.int64), cols[c].astype(np.int64), keyed[positions][r, c].astype(np.int16)


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
