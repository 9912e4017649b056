"""The optimal assignment solved on a few candidates, proven on every cell.

The dense solver (`solver.solve_optimal_dense`) spreads each mentor over as
many columns as places and solves every cell: at 5,000 mentees × 1,500
mentors (3,400 places) that is 17 million cells and 6–35 s here, because
scores repeat (a few hundred distinct values) and the shortest augmenting
paths grow long through the ties. Almost none of those cells can be in an
optimum: a mentee goes to one of their best mentors, or to a mentor whose
best mentees went elsewhere.

So this solves the same problem (most mentees placed, then the largest total
score) on candidates only — each mentee's best mentors, each mentor's best
mentees, the greedy answer — with a sparse assignment solver, and then proves
the answer optimal for the whole matrix by linear-programming duality. The
problem is a transportation problem, so its linear relaxation has integral
optima and any dual solution bounds every assignment from above: with a price
`v_j ≥ 0` per mentor and `u_i = max(0, max_j value_ij - v_j)` over every
allowed cell, no assignment is worth more than `Σ u_i + Σ places_j · v_j`.
The prices are the least ones that keep the candidates' answer optimal (longest
paths through its exchanges). If the bound equals the answer's value, the
answer is optimal among all cells; if not, the cells the prices undervalue go
into the candidates and the sparse problem is solved again. Scores are in
whole units of 0.0001 (the scoring rounds them to four places), so every
value, price and bound is an integer held exactly in a float and "equals" is
exact. When a step cannot conclude (scores not in those units, a round limit)
the caller solves densely: the answer is always an optimum.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

# Scores are rounded to four places (scoring.score_matrix, scoring.score_pair).
UNIT = 10_000
# Candidates to start from: each mentee's best mentors, and each mentor's best
# mentees beyond their places. Fewer rounds against a larger first problem;
# measured at 5,000 × 1,500 (tests/perf/bench_matching.py).
MENTEE_BEST = 5
MENTOR_SPARE = 5
# Cells added per round: for each mentee and for each mentor, their most
# undervalued ones.
ADD_PER_MENTEE = 3
ADD_PER_MENTOR = 5
# Every undervalued cell is added while there are at most this many per
# mentee; past that, each mentee's and each mentor's most undervalued.
ADD_ALL = 4
ROUNDS = 30
BLOCK = 512


def solve(
    sub: np.ndarray,
    places: np.ndarray,
    start: Mapping[int, int],
    *,
    mentee_best: int = MENTEE_BEST,
    mentor_spare: int = MENTOR_SPARE,
    rounds: int = ROUNDS,
) -> dict[int, int] | None:
    """`{row: mentor}` optimal for `sub`, or None when it cannot be proven.

    `sub` holds the scores of the mentees to place (NaN: forbidden),
    `places` each mentor's free places, `start` a feasible assignment to
    include among the candidates (the greedy one); the rest say how many
    candidates to start from and how many times to add to them.
    """
    n, m = sub.shape
    places = np.maximum(np.asarray(places, dtype=np.int64), 0)
    if not places.any() or np.isnan(sub).all():
        return {}
    top = round(max(abs(float(np.nanmax(sub))), abs(float(np.nanmin(sub)))) * UNIT)
    values = _in_units(sub, top)
    if values is None:
        return None
    # A placed mentee is worth more than any total of scores: lexicographic.
    bonus = float(top * n + 1)
    keys = _candidates(values, places, start, mentee_best, mentor_spare)
    # The candidates as flags over every cell: a sorted union per round.
    chosen = np.zeros(n * m, dtype=bool)
    chosen[keys] = True
    for _ in range(rounds):
        assigned = _solve_candidates(values, places, bonus, keys, ceiling=top + 1)
        prices = _least_prices(values, bonus, keys, assigned)
        if prices is None:
            return None
        added = _undervalued(values, places, bonus, keys, assigned, prices)
        if added is None:
            return {int(i): int(assigned[i]) for i in np.flatnonzero(assigned >= 0)}
        if not added.size:
            return None
        chosen[added] = True
        keys = np.flatnonzero(chosen)
    return None


def _in_units(sub: np.ndarray, top: int) -> np.ndarray | None:
    """Scores as whole units, -inf where forbidden; None if they are not.

    32-bit floats hold whole units exactly up to 2**24 (scores to 1,677):
    half the memory of the scores; sums and prices are taken in 64 bits.
    """
    dtype = np.float32 if top < 2**23 else np.float64
    values = np.empty(sub.shape, dtype=dtype)
    # By blocks of rows: whole-matrix temporaries would double the peak.
    for start in range(0, sub.shape[0], BLOCK):
        block = sub[start : start + BLOCK] * UNIT
        rounded = np.rint(block)
        if np.any(np.abs(block - rounded) > 1e-6):
            return None
        rounded[np.isnan(rounded)] = -np.inf
        values[start : start + BLOCK] = rounded
    return values


def _cells(values: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Cells' values in 64 bits, for sums with the bonus and prices."""
    return values[rows, columns].astype(np.float64)


def _best_per_row(values: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of each row's `count` largest allowed cells."""
    height, width = values.shape
    count = min(count, width)
    if count <= 0 or not height:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    rows, columns = [], []
    # By blocks: argpartition's indexes are 64-bit, twice the values' size.
    for start in range(0, height, BLOCK):
        block = values[start : start + BLOCK]
        best = np.argpartition(block, width - count, axis=1)[:, width - count :]
        rows.append(np.repeat(np.arange(start, start + block.shape[0]), count))
        columns.append(best.ravel())
    rows, columns = np.concatenate(rows), np.concatenate(columns)
    allowed = np.isfinite(values[rows, columns])
    return rows[allowed], columns[allowed]


def _best_per_column(values: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of each column's `count` largest allowed cells."""
    rows, columns = [], []
    for start in range(0, values.shape[1], BLOCK // 4):
        block = np.ascontiguousarray(values[:, start : start + BLOCK // 4].T)
        found_columns, found_rows = _best_per_row(block, count)
        rows.append(found_rows)
        columns.append(found_columns + start)
    return np.concatenate(rows), np.concatenate(columns)


def _candidates(
    values: np.ndarray,
    places: np.ndarray,
    start: Mapping[int, int],
    mentee_best: int,
    mentor_spare: int,
) -> np.ndarray:
    """Starting cells as sorted flat indexes `row * width + column`."""
    n, m = values.shape
    parts = []
    rows, columns = _best_per_row(values, mentee_best)
    parts.append(rows * m + columns)
    # Each mentor's best mentees, as many as their places and a few more:
    # those the mentor is likeliest to end with.
    wanted = np.minimum(places + mentor_spare, n)
    rows, columns = _best_per_column(values, int(wanted.max()))
    order = np.lexsort((-values[rows, columns], columns))
    columns, rows = columns[order], rows[order]
    rank = np.arange(columns.size) - np.searchsorted(columns, columns)
    keep = rank < wanted[columns]
    parts.append(rows[keep] * m + columns[keep])
    placed = np.zeros(n, dtype=bool)
    if start:
        picked = np.array(list(start.items()), dtype=np.int64)
        picked = picked[np.isfinite(values[picked[:, 0], picked[:, 1]])]
        parts.append(picked[:, 0] * m + picked[:, 1])
        placed[picked[:, 0]] = True
    # The best of those left over compete for each mentor's places: they set
    # the mentors' prices, so they are among the candidates from the start.
    left = np.flatnonzero(~placed)
    if left.size and mentor_spare:
        rows, columns = _best_per_column(values[left], mentor_spare)
        parts.append(left[rows] * m + columns)
    return np.unique(np.concatenate(parts))


def _solve_candidates(
    values: np.ndarray,
    places: np.ndarray,
    bonus: float,
    keys: np.ndarray,
    *,
    ceiling: int,
) -> np.ndarray:
    """Each mentee's mentor (-1: none), optimal among the candidate cells.

    Each mentor's places are rows of a sparse places × (mentees + one "left
    empty" column per place) graph; every place is filled, by a mentee or by
    leaving it empty, which costs more than any mentee's cell. Costs are
    positive: the sparse solver reads a zero as a missing edge.
    """
    n, m = values.shape
    rows, columns = np.divmod(keys, m)
    per = places[columns]
    rows, columns, per = rows[per > 0], columns[per > 0], per[per > 0]
    first = np.cumsum(places) - places
    total = int(places.sum())
    edge_rows = np.repeat(rows, per)
    edge_columns = np.repeat(columns, per)
    offset = np.arange(edge_rows.size) - np.repeat(np.cumsum(per) - per, per)
    slots = first[edge_columns] + offset
    costs = ceiling - _cells(values, edge_rows, edge_columns)
    graph = sparse.csr_array(
        (
            np.concatenate([costs, np.full(total, ceiling + bonus)]),
            (
                np.concatenate([slots, np.arange(total)]),
                np.concatenate([edge_rows, n + np.arange(total)]),
            ),
        ),
        shape=(total, n + total),
    )
    filled, taken = min_weight_full_bipartite_matching(graph)
    mentor_of_slot = np.repeat(np.arange(m), places)
    assigned = np.full(n, -1, dtype=np.int64)
    real = taken < n
    assigned[taken[real]] = mentor_of_slot[filled[real]]
    return assigned


def _least_prices(
    values: np.ndarray, bonus: float, keys: np.ndarray, assigned: np.ndarray
) -> np.ndarray | None:
    """The least mentor prices under which no mentee would swap, on the candidates.

    An unplaced mentee must not be worth more to a mentor than its price; a
    placed one must gain nothing by moving to another candidate mentor at
    its price: longest paths from the unplaced through the placed, by
    rounds over all the exchanges at once. None if they do not settle (the
    candidates' answer would not be optimal: a positive cycle).
    """
    m = values.shape[1]
    rows, columns = np.divmod(keys, m)
    prices = np.zeros(m)
    unplaced = assigned[rows] < 0
    np.maximum.at(
        prices,
        columns[unplaced],
        _cells(values, rows[unplaced], columns[unplaced]) + bonus,
    )
    rows, columns = rows[~unplaced], columns[~unplaced]
    tails = assigned[rows]
    moves = columns != tails
    rows, columns, tails = rows[moves], columns[moves], tails[moves]
    if not rows.size:
        return prices
    gains = _cells(values, rows, columns) - _cells(values, rows, tails)
    order = np.argsort(columns, kind="stable")
    columns, tails, gains = columns[order], tails[order], gains[order]
    heads, starts = np.unique(columns, return_index=True)
    for _ in range(m + 1):
        best = np.maximum.reduceat(prices[tails] + gains, starts)
        higher = best > prices[heads]
        if not higher.any():
            return prices
        prices[heads[higher]] = best[higher]
    return None


def _undervalued(
    values: np.ndarray,
    places: np.ndarray,
    bonus: float,
    keys: np.ndarray,
    assigned: np.ndarray,
    prices: np.ndarray,
) -> np.ndarray | None:
    """None if the prices prove the answer optimal on every cell; else cells to add.

    The bound `Σ u_i + Σ places_j · v_j`, with each mentee's `u_i` over every
    allowed cell, is at least any assignment's value; the answer's value
    equals it only if the answer is optimal. Otherwise the cells whose value
    exceeds their mentee's share plus the mentor's price are what the
    candidates missed: all of them when they are few, else each mentee's and
    each mentor's most undervalued.
    """
    n, m = values.shape
    placed = np.flatnonzero(assigned >= 0)
    worth = _cells(values, placed, assigned[placed]) + bonus
    share = np.zeros(n)
    share[placed] = worth - prices[assigned[placed]]

    def gains(start: int) -> tuple[np.ndarray, float]:
        """A block of rows: each cell's gain over its mentee's share, the bound's part.

        In 64 bits by blocks: a whole 64-bit copy would be the run's largest
        array.
        """
        gain = values[start : start + BLOCK] - prices
        part = float(np.maximum(gain.max(axis=1) + bonus, 0).sum())
        gain += (bonus - share[start : start + BLOCK])[:, None]
        low, high = np.searchsorted(keys, [start * m, (start + BLOCK) * m])
        gain.ravel()[keys[low:high] - start * m] = -np.inf
        return gain, part

    def most_undervalued(gain: np.ndarray, start: int):
        """A block's most undervalued cells: by mentee, by mentor with worths."""
        rows, columns = _best_per_row(gain, ADD_PER_MENTEE)
        useful = gain[rows, columns] > 0.5
        by_mentee = (rows[useful] + start) * m + columns[useful]
        rows, columns = _best_per_column(gain, ADD_PER_MENTOR)
        useful = gain[rows, columns] > 0.5
        rows, columns = rows[useful], columns[useful]
        return by_mentee, (rows + start) * m + columns, gain[rows, columns]

    # Once more than ADD_ALL per mentee are found, the answer is not proven
    # (a cell above its mentee's share puts the bound above the answer's
    # worth by as much): the rest of the blocks give their most undervalued
    # at once, and only the blocks before are computed again.
    bound, found, count, too_many = float(places @ prices), [], 0, None
    most = {}
    for start in range(0, n, BLOCK):
        gain, part = gains(start)
        if too_many is None:
            bound += part
            found.append(np.flatnonzero(gain.ravel() > 0.5) + start * m)
            count += found[-1].size
            if count > ADD_ALL * n:
                too_many = start
        if too_many is not None:
            most[start] = most_undervalued(gain, start)
    if too_many is None:
        if bound - worth.sum() < 0.5:
            return None
        return np.concatenate(found)
    # Too many at once: each mentee's and each mentor's most undervalued.
    for start in range(0, too_many, BLOCK):
        most[start] = most_undervalued(gains(start)[0], start)
    by_mentee, by_mentor, worths = zip(
        *(most[start] for start in sorted(most)), strict=True
    )
    # Each block gave each mentor its best few: keep the best few of those.
    cells = np.concatenate(by_mentor)
    best = _best_few(cells, cells % m, np.concatenate(worths), ADD_PER_MENTOR)
    return np.union1d(np.concatenate(by_mentee), best)


def _best_few(
    cells: np.ndarray, groups: np.ndarray, worths: np.ndarray, count: int
) -> np.ndarray:
    """The `count` cells of largest worth in each group."""
    order = np.lexsort((-worths, groups))
    cells, groups = cells[order], groups[order]
    rank = np.arange(cells.size) - np.searchsorted(groups, groups)
    return cells[rank < count]
