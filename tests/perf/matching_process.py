"""One matching run, or the bare solver, alone in a fresh process: time and peak memory.

Run by tests/perf/bench_matching.py, never imported by it: a process's peak
resident memory (VmHWM) is its whole life's, and counts what
tracemalloc does not see (scipy's own arrays), so each side of the
comparison gets a process of its own.

    python tests/perf/matching_process.py engine ORGANIZATION_ID FORMS
    python tests/perf/matching_process.py solver COST.npy
    python tests/perf/matching_process.py certified SCORES.npz

Prints one JSON line: seconds, peak_mb, and what was run.
"""

import json
import math
import os
import sys
import time


def _peak_mb() -> float:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent
    # across fork and exec, so a child of a big pytest would report the
    # parent's peak.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def engine(organization_id: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.utils import timezone

    from mentoring.matching.engine import match
    from mentoring.matching.loader import load_population
    from mentoring.matching.scoring import Weights
    from mentoring.models import MentoringForm, Organization

    organization = Organization.objects.get(pk=organization_id)
    forms = list(MentoringForm.objects.filter(code__in=sys.argv[3].split(",")))
    started, started_cpu = time.perf_counter(), time.process_time()
    # As the task does it: from the database to the suggestions with reasons.
    population = load_population(
        organization=organization, forms=forms, on=timezone.localdate()
    )
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    loaded_mb = _peak_mb()
    outcome = match(
        mentors=population.mentors,
        mentees=population.mentees,
        forms=population.forms,
        weights=Weights(),
        preferences=population.preferences,
    )
    done, done_cpu = time.perf_counter(), time.process_time()
    return {
        "seconds": done - started,
        "load": loaded - started,
        # The process's own CPU: what the run costs with the cores to itself
        # (PostgreSQL's side of the load not included).
        "cpu": done_cpu - started_cpu,
        "load_cpu": loaded_cpu - started_cpu,
        "peak_mb": _peak_mb(),
        "loaded_mb": loaded_mb,
        "mentees": len(population.mentees),
        "mentors": len(population.mentors),
        "placed": len(outcome.suggestions),
        "total": outcome.total_score,
        "greedy": outcome.greedy_score,
    }


def solver(path: str) -> dict:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    cost = np.load(path)
    started, started_cpu = time.perf_counter(), time.process_time()
    rows, columns = linear_sum_assignment(cost)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - started_cpu
    picked = cost[rows, columns]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": _peak_mb(),
        "placed": int((picked < 0).sum()),
        # Scores plus the bonus of every placed mentee: the caller knows it.
        "value": -math.fsum(picked[picked < 0].tolist()),
    }


def certified(path: str) -> dict:
    import numpy as np

    from mentoring.matching import solver

    saved = np.load(path)
    scores, capacities = saved["scores"], saved["capacities"].tolist()
    # The engine hands the optimum its greedy baseline, computed anyway for
    # the comparison: not part of the optimum's time.
    greedy = solver.solve_greedy(scores, capacities)
    started = time.perf_counter()
    assignment = solver.solve_optimal(scores, capacities, start=greedy)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
        "placed": len(assignment),
        "total": solver.total_score(scores, assignment),
    }


if __name__ == "__main__":
    kind, argument = sys.argv[1], sys.argv[2]
    if kind == "engine":
        result = engine(int(argument))
    elif kind == "certified":
        result = certified(argument)
    else:
        result = solver(argument)
    print(json.dumps(result))
