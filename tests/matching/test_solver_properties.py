"""The solvers on small random instances, against brute force and each other."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.matching import solver

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def instances(draw, max_mentees=5, max_mentors=3):
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    cells = draw(
        st.lists(
            st.one_of(st.none(), st.integers(0, 12)), min_size=n * m, max_size=n * m
        )
    )
    scores = np.array(
        [np.nan if c is None else c / 2 for c in cells], dtype=float
    ).reshape(n, m)
    capacities = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    return scores, capacities


def feasible(scores, capacities, assignment):
    used = [0] * len(capacities)
    for i, j in assignment.items():
        if np.isnan(scores[i, j]):
            return False
        used[j] += 1
    return all(u <= c for u, c in zip(used, capacities, strict=True))


def brute_force(scores, capacities):
    """The best (placed, total) over every assignment, by enumeration."""
    n, m = scores.shape
    best = (0, 0.0)
    for choice in itertools.product([None, *range(m)], repeat=n):
        assignment = {i: j for i, j in enumerate(choice) if j is not None}
        if feasible(scores, capacities, assignment):
            value = (len(assignment), solver.total_score(scores, assignment))
            best = max(best, value)
    return best


@SETTINGS
@given(instances())
def test_optimal_equals_the_brute_force_optimum(instance):
    scores, capacities = instance
    placed, total = brute_force(scores, capacities)
    # Densely (the default at this size) and on candidates with the proof.
    for dense_at_most in (solver.DENSE_AT_MOST, 0):
        found = solver.solve_optimal(scores, capacities, dense_at_most=dense_at_most)
        assert len(found) == placed
        assert abs(solver.total_score(scores, found) - total) < 1e-9


@SETTINGS
@given(instances(max_mentees=8, max_mentors=4))
def test_optimal_is_never_worse_than_greedy(instance):
    scores, capacities = instance
    best = solver.solve_optimal(scores, capacities)
    greedy = solver.solve_greedy(scores, capacities)
    assert len(best) >= len(greedy)
    if len(best) == len(greedy):
        assert (
            solver.total_score(scores, best)
            >= solver.total_score(scores, greedy) - 1e-9
        )


@SETTINGS
@given(instances(max_mentees=8, max_mentors=4), st.randoms(use_true_random=False))
def test_no_solver_breaks_a_rule_or_a_capacity(instance, rnd):
    scores, capacities = instance
    n, m = scores.shape
    mentee_ranks = {i: rnd.sample(range(m), rnd.randint(0, m)) for i in range(n)}
    mentor_ranks = {j: rnd.sample(range(n), rnd.randint(0, n)) for j in range(m)}
    for assignment in (
        solver.solve_optimal(scores, capacities),
        solver.solve_greedy(scores, capacities),
        solver.solve_stable(scores, capacities, mentee_ranks, mentor_ranks),
    ):
        assert feasible(scores, capacities, assignment)


@SETTINGS
@given(instances(max_mentees=8, max_mentors=4), st.randoms(use_true_random=False))
def test_stable_matching_has_no_blocking_pair(instance, rnd):
    scores, capacities = instance
    n, m = scores.shape
    mentee_ranks = {i: rnd.sample(range(m), rnd.randint(0, m)) for i in range(n)}
    mentor_ranks = {j: rnd.sample(range(n), rnd.randint(0, n)) for j in range(m)}
    found = solver.solve_stable(scores, capacities, mentee_ranks, mentor_ranks)
    mentee_lists = solver.preference_lists(scores, mentee_ranks, by_mentee=True)
    mentor_lists = solver.preference_lists(scores, mentor_ranks, by_mentee=False)
    held = {j: [i for i, jj in found.items() if jj == j] for j in range(m)}
    for i in range(n):
        mine = mentee_lists[i]
        current = mine.index(found[i]) if i in found else len(mine)
        for j in mine[:current]:  # mentors i prefers to what i got
            if capacities[j] == 0:
                continue
            if len(held[j]) < capacities[j]:
                raise AssertionError(f"mentor {j} has room for {i}")
            theirs = mentor_lists[j]
            worst = max(theirs.index(k) for k in held[j])
            assert theirs.index(i) > worst, f"{i} and {j} block"


@SETTINGS
@given(instances(), st.data())
def test_pins_are_kept(instance, data):
    scores, capacities = instance
    allowed = [
        (i, j)
        for i, j in zip(*np.nonzero(~np.isnan(scores)), strict=True)
        if capacities[j] > 0
    ]
    if not allowed:
        return
    i, j = data.draw(st.sampled_from(allowed))
    pins = {int(i): int(j)}
    for assignment in (
        solver.solve_optimal(scores, capacities, pins),
        solver.solve_greedy(scores, capacities, pins),
        solver.solve_stable(scores, capacities, {}, {}, pins),
    ):
        assert assignment[int(i)] == int(j)
        assert feasible(scores, capacities, assignment)
