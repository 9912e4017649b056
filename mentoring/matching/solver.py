"""Assignment of mentees to mentors with capacities: optimal, stable, greedy.

No Django here. Scores are a matrix `scores[mentee, mentor]` with NaN where a
hard rule forbids the pair; `capacities[mentor]` are the free places. Every
solver returns `{mentee index: mentor index}` for the mentees it places.

The optimum is lexicographic: as many mentees placed as the capacities and
rules allow, and among those assignments the largest total score. A curator
would rather give every mentee a fair mentor than leave one without to give
another a slightly better one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import certified

Assignment = dict[int, int]

GREEDY_CHUNK = 1 << 16
# Up to this many cells of places × mentees the dense solver is the quicker
# (1,000 × 300, 750 places: 0.15 s against 0.25 s on candidates); past it
# the candidates' (5,000 × 1,500, 3,400 places: 6–35 s against 1.5–4 s).
DENSE_AT_MOST = 2_000_000


def _free_places(
    scores: np.ndarray, capacities: Sequence[int], pins: Mapping[int, int]
) -> tuple[list[int], list[int]]:
    """Mentees still to place and the free places left after the pins."""
    places = [int(c) for c in capacities]
    for mentor in pins.values():
        places[mentor] -= 1
    free_mentees = [i for i in range(scores.shape[0]) if i not in pins]
    return free_mentees, places


def solve_optimal(
    scores: np.ndarray,
    capacities: Sequence[int],
    pins: Mapping[int, int] | None = None,
    start: Mapping[int, int] | None = None,
    dense_at_most: int = DENSE_AT_MOST,
) -> Assignment:
    """The most mentees placed, then the largest total score.

    A large problem is solved on candidate cells and proven optimal on all
    of them (`certified`); a small one, or one whose proof cannot be had,
    densely. `start` is an assignment whose cells to begin with (the greedy
    one, with the same pins).
    """
    pins = dict(pins or {})
    rows, places = _free_places(scores, capacities, pins)
    if not rows:
        return dict(pins)
    if len(rows) * sum(p for p in places if p > 0) <= dense_at_most:
        return solve_optimal_dense(scores, capacities, pins)
    sub = scores[rows] if len(rows) < scores.shape[0] else scores
    position = {row: k for k, row in enumerate(rows)}
    begun = {position[i]: j for i, j in (start or {}).items() if i in position}
    found = certified.solve(sub, np.array(places), begun)
    if found is None:
        return solve_optimal_dense(scores, capacities, pins)
    result = dict(pins)
    result.update((rows[k], j) for k, j in found.items())
    return result


def solve_optimal_dense(
    scores: np.ndarray,
    capacities: Sequence[int],
    pins: Mapping[int, int] | None = None,
) -> Assignment:
    """The most mentees placed, then the largest total score, on every cell.

    Each mentor becomes as many columns (places) as they can take, so the
    capacitated problem is a plain rectangular assignment for
    `scipy.optimize.linear_sum_assignment`. Forbidden cells cost the same as
    leaving the mentee unplaced (zero) and are dropped from the answer.
    """
    pins = dict(pins or {})
    rows, places = _free_places(scores, capacities, pins)
    result = dict(pins)
    if not rows:
        return result
    sub = scores[rows] if len(rows) < scores.shape[0] else scores
    allowed = ~np.isnan(sub)
    # Never more places for a mentor than mentees who may take them.
    takers = allowed.sum(axis=0)
    columns = np.repeat(
        np.arange(scores.shape[1]),
        [max(0, min(p, int(t))) for p, t in zip(places, takers, strict=True)],
    )
    if columns.size == 0:
        return result
    # A placed mentee is worth more than any total of scores: lexicographic.
    # (No np.abs(sub): a full-size copy.)
    top = (
        max(abs(float(np.nanmax(sub))), abs(float(np.nanmin(sub))))
        if allowed.any()
        else 0.0
    )
    bonus = top * len(rows) + 1.0
    del allowed
    # The slot matrix is the largest thing a run holds (5,000 mentees × 3,500
    # places: 140 MB). It is built once, in place, as a cost of places ×
    # mentees: scipy copies a matrix taller than wide, or one to maximize,
    # into a second one of the same size.
    # Filled a mentor at a time: np.take from the transposed scores first
    # copied them whole (60 MB more at the run's peak).
    cost = np.empty((columns.size, sub.shape[0]))
    start = 0
    for mentor, count in zip(*np.unique(columns, return_counts=True), strict=True):
        cost[start : start + count] = sub[:, mentor]
        start += count
    cost += bonus
    np.negative(cost, out=cost)
    # Forbidden cells cost what an empty place does; by blocks of rows, as
    # np.nan_to_num would hold three full-size masks (50 MB) at once.
    for start in range(0, cost.shape[0], 512):
        block = cost[start : start + 512]
        block[np.isnan(block)] = 0.0
    picked_cols, picked_rows = linear_sum_assignment(cost)
    for r, c in zip(picked_rows.tolist(), picked_cols.tolist(), strict=True):
        if cost[c, r] < 0:
            result[rows[r]] = int(columns[c])
    return result


def solve_greedy(
    scores: np.ndarray,
    capacities: Sequence[int],
    pins: Mapping[int, int] | None = None,
) -> Assignment:
    """The baseline a curator does by eye: best-scoring pairs first."""
    pins = dict(pins or {})
    rows, places = _free_places(scores, capacities, pins)
    result = dict(pins)
    sub = scores[rows] if len(rows) < scores.shape[0] else scores
    width = sub.shape[1]
    # Candidates as flat indexes into `sub` and their scores in units of
    # 0.0001 (scores are rounded to four places, so the order is the same):
    # 32 bits each, where pairs of indexes and floats took four times the
    # memory at 5,000 × 1,500 (7.5 million candidates).
    # Filled by blocks of rows into arrays of their final size: whole-matrix
    # 64-bit temporaries made the greedy baseline the run's peak of memory.
    count = int(np.count_nonzero(~np.isnan(sub)))
    flat = np.empty(count, dtype=np.int32 if sub.size < 2**31 else np.int64)
    values = np.empty(count, dtype=np.int32)
    filled = 0
    for start in range(0, sub.shape[0], 512):
        block = sub[start : start + 512].ravel()
        cells = np.flatnonzero(~np.isnan(block))
        flat[filled : filled + cells.size] = cells + start * width
        values[filled : filled + cells.size] = np.rint(block[cells] * 10_000)
        filled += cells.size
    del sub
    left = min(len(rows), sum(p for p in places if p > 0))
    # Flags the loop reads and writes as bytes (numpy scalars are several
    # times slower there), seen by the array operations through views.
    placed_flags = bytearray(len(rows))
    full_flags = bytearray(p <= 0 for p in places)
    placed = np.frombuffer(placed_flags, dtype=bool)
    full = np.frombuffer(full_flags, dtype=bool)
    # Sorting every candidate costs more than the optimum: each round sorts
    # only the best GREEDY_CHUNK of those left (with every tie at the cut, so
    # the order is the full sort's), then drops the candidates whose mentee
    # is placed or whose mentor is full; only the rest go through the Python
    # loop (as plain lists: numpy scalars are slower).
    while left and values.size:
        if values.size > GREEDY_CHUNK:
            cut = np.partition(values, values.size - GREEDY_CHUNK)[
                values.size - GREEDY_CHUNK
            ]
            best = values >= cut
        else:
            best = np.ones(values.size, dtype=bool)
        order = np.argsort(-values[best], kind="stable")
        ks, js = np.divmod(flat[best][order], width)
        keep = ~placed[ks] & ~full[js]
        for k, mentor in zip(ks[keep].tolist(), js[keep].tolist(), strict=True):
            if not placed_flags[k] and places[mentor] > 0:
                result[rows[k]] = mentor
                placed_flags[k] = 1
                places[mentor] -= 1
                full_flags[mentor] = places[mentor] <= 0
                left -= 1
                if left == 0:
                    break
        # Over every candidate at once: a gather costs less than a masked one.
        rest = ~best
        rest &= ~placed[flat // width]
        rest &= ~full[flat % width]
        flat, values = flat[rest], values[rest]
    return result


def preference_lists(
    scores: np.ndarray, ranked: Mapping[int, Sequence[int]], *, by_mentee: bool
) -> list[list[int]]:
    """Each side's list: the ranks it gave first, then the others by score.

    Only allowed partners appear. Ranks are what people said after the group
    meeting; the score orders whoever they did not rank.
    """
    matrix = scores if by_mentee else scores.T
    lists = []
    for i in range(matrix.shape[0]):
        allowed = [j for j in range(matrix.shape[1]) if not np.isnan(matrix[i, j])]
        first = [j for j in ranked.get(i, ()) if j in allowed]
        rest = sorted(
            (j for j in allowed if j not in first), key=lambda j: (-matrix[i, j], j)
        )
        lists.append(first + rest)
    return lists


def solve_stable(
    scores: np.ndarray,
    capacities: Sequence[int],
    mentee_ranks: Mapping[int, Sequence[int]],
    mentor_ranks: Mapping[int, Sequence[int]],
    pins: Mapping[int, int] | None = None,
) -> Assignment:
    """Mentee-proposing deferred acceptance (Gale–Shapley) with capacities.

    No mentee and mentor would both rather be together than with whom they
    got: the choice when both sides ranked each other after the group meeting.
    """
    pins = dict(pins or {})
    rows, places = _free_places(scores, capacities, pins)
    proposals = preference_lists(scores, mentee_ranks, by_mentee=True)
    mentor_lists = preference_lists(scores, mentor_ranks, by_mentee=False)
    rank_of = [{m: r for r, m in enumerate(lst)} for lst in mentor_lists]
    held: list[list[int]] = [[] for _ in range(scores.shape[1])]
    next_choice = dict.fromkeys(rows, 0)
    waiting = list(reversed(rows))
    while waiting:
        mentee = waiting.pop()
        choices = proposals[mentee]
        if next_choice[mentee] >= len(choices):
            continue
        mentor = choices[next_choice[mentee]]
        next_choice[mentee] += 1
        if places[mentor] <= 0:
            waiting.append(mentee)
            continue
        held[mentor].append(mentee)
        if len(held[mentor]) > places[mentor]:
            worst = max(held[mentor], key=lambda m: rank_of[mentor][m])
            held[mentor].remove(worst)
            waiting.append(worst)
    result = dict(pins)
    for mentor, mentees in enumerate(held):
        for mentee in mentees:
            result[mentee] = mentor
    return result


def total_score(scores: np.ndarray, assignment: Mapping[int, int]) -> float:
    return float(sum(scores[i, j] for i, j in assignment.items()))
