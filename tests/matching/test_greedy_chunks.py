"""The greedy baseline drops hopeless candidates chunk by chunk: the
chunk's size must not change what it picks."""

import numpy as np

from mentoring.matching import solver


def test_the_greedy_baseline_picks_the_same_whatever_the_chunk(monkeypatch):
    rng = np.random.default_rng(15)
    for _ in range(200):
        n, m = int(rng.integers(1, 40)), int(rng.integers(1, 20))
        scores = np.round(rng.random((n, m)) * 5, 1)
        scores[rng.random((n, m)) < 0.3] = np.nan
        capacities = rng.integers(0, 4, m).tolist()
        pins = {0: 0} if n > 1 and capacities[0] else {}
        monkeypatch.setattr(solver, "GREEDY_CHUNK", 1)
        one_by_one = solver.solve_greedy(scores, capacities, pins)
        monkeypatch.setattr(solver, "GREEDY_CHUNK", int(rng.integers(2, 64)))
        assert solver.solve_greedy(scores, capacities, pins) == one_by_one
