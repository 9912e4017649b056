"""The candidates' solver with its proof against the dense solver on every cell."""

import numpy as np
import pytest

from mentoring.matching import certified, solver


def instance(rng, *, mentees, mentors, distinct, forbidden, max_places):
    """Scores in whole units of 0.0001 from a few values: ties everywhere."""
    levels = np.round(rng.uniform(0, 7, size=distinct), 4)
    scores = rng.choice(levels, size=(mentees, mentors))
    scores[rng.random((mentees, mentors)) < forbidden] = np.nan
    capacities = rng.integers(0, max_places + 1, size=mentors).tolist()
    return scores, capacities


def value(scores, assignment):
    return len(assignment), round(solver.total_score(scores, assignment), 4)


SHAPES = [
    # mentees, mentors, distinct scores, share forbidden, most places
    (12, 4, 3, 0.0, 4),  # more places than mentees
    (40, 6, 5, 0.2, 4),  # fewer places than mentees
    (30, 30, 2, 0.5, 1),  # one place each, half the cells forbidden
    (60, 25, 8, 0.1, 2),  # larger than the first candidates can hold
    (25, 40, 40, 0.3, 3),
    (8, 3, 1, 0.6, 0),  # no places at all
]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_proven_answer_is_worth_the_dense_optimum(shape):
    mentees, mentors, distinct, forbidden, max_places = shape
    rng = np.random.default_rng(sum(shape[:3]))
    for _ in range(15):
        scores, capacities = instance(
            rng,
            mentees=mentees,
            mentors=mentors,
            distinct=distinct,
            forbidden=forbidden,
            max_places=max_places,
        )
        greedy = solver.solve_greedy(scores, capacities)
        # As the engine calls it, from nothing, and from a single candidate
        # per mentee, which takes several rounds of adding cells to prove.
        for start, fewest in ((greedy, False), ({}, False), ({}, True)):
            fewer = {"mentee_best": 1, "mentor_spare": 0} if fewest else {}
            found = certified.solve(scores, np.array(capacities), start, **fewer)
            # The proof is had on these scores: no fallback hides an error.
            assert found is not None
            assert all(not np.isnan(scores[i, j]) for i, j in found.items())
            used = np.bincount(list(found.values()), minlength=mentors)
            assert (used <= np.array(capacities)).all()
            dense = solver.solve_optimal_dense(scores, capacities)
            assert value(scores, found) == value(scores, dense)


def test_one_candidate_each_is_not_enough_without_more_rounds():
    rng = np.random.default_rng(60)
    unproven = 0
    for _ in range(10):
        scores, capacities = instance(
            rng, mentees=60, mentors=25, distinct=8, forbidden=0.1, max_places=2
        )
        places = np.array(capacities)
        once = certified.solve(
            scores, places, {}, mentee_best=1, mentor_spare=0, rounds=1
        )
        unproven += once is None
        again = certified.solve(scores, places, {}, mentee_best=1, mentor_spare=0)
        dense = solver.solve_optimal_dense(scores, capacities)
        assert value(scores, again) == value(scores, dense)
    assert unproven == 10


def test_pins_and_a_start_keep_the_optimum():
    rng = np.random.default_rng(15)
    for _ in range(40):
        scores, capacities = instance(
            rng, mentees=20, mentors=6, distinct=4, forbidden=0.3, max_places=3
        )
        allowed = [
            (i, j)
            for i, j in zip(*np.nonzero(~np.isnan(scores)), strict=True)
            if capacities[j] > 0
        ]
        i, j = allowed[rng.integers(len(allowed))]
        pins = {int(i): int(j)}
        greedy = solver.solve_greedy(scores, capacities, pins)
        found = solver.solve_optimal(
            scores, capacities, pins, start=greedy, dense_at_most=0
        )
        assert found[int(i)] == int(j)
        dense = solver.solve_optimal_dense(scores, capacities, pins)
        assert value(scores, found) == value(scores, dense)


def test_scores_finer_than_the_unit_are_solved_densely():
    # 0.00005 apart: no proof in whole units, so the dense solver answers.
    scores = np.array([[1.00005, 1.0], [1.0, 1.00005]])
    assert certified.solve(scores, np.array([1, 1]), {}) is None
    assert solver.solve_optimal(scores, [1, 1], dense_at_most=0) == {0: 0, 1: 1}


def test_a_start_that_is_not_optimal_is_improved():
    # The greedy start takes the single best cell and leaves a mentee out.
    scores = np.array([[5.0, 4.0], [4.5, np.nan]])
    start = solver.solve_greedy(scores, [1, 1])
    assert start == {0: 0}
    assert certified.solve(scores, np.array([1, 1]), start) == {0: 1, 1: 0}
