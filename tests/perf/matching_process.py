"""One matching run, or the bare solver, alone in a fresh process: time and peak memory.

Run by tests/perf/bench_matching.py, never imported by it: a process's peak
resident memory (VmHWM) is its whole life's, and counts what
tracemalloc does not see (scipy's own arrays), so each side of the
comparison gets a process of its own.

    python tests/perf/matching_process.py engine ORGANIZATION_ID
    python tests/perf/matching_process.py solver COST.npy

Prints one JSON line: seconds, peak_mb, and what was run.
"""

import json
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
    started = time.perf_counter()
    # As the task does it: from the database to the suggestions with reasons.
    population = load_population(
        organization=organization, forms=forms, on=timezone.localdate()
    )
    loaded = time.perf_counter()
    loaded_mb = _peak_mb()
    outcome = match(
        mentors=population.mentors,
        mentees=population.mentees,
        forms=population.forms,
        weights=Weights(),
        preferences=population.preferences,
    )
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "load": loaded - started,
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
    started = time.perf_counter()
    rows, columns = linear_sum_assignment(cost)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
        "placed": int((cost[rows, columns] < 0).sum()),
    }


if __name__ == "__main__":
    kind, argument = sys.argv[1], sys.argv[2]
    result = engine(int(argument)) if kind == "engine" else solver(argument)
    print(json.dumps(result))
