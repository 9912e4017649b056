"""The matching engine at a district-sized school: 1,000 mentees, 300 mentors.

Capacities 1–4 (about 750 places, fewer than the mentees: a partial result),
requests and competencies drawn from the demo's vocabulary, one form. Times
the whole run (rules, scores, optimum, greedy baseline, reasons) against its
floor, the bare `linear_sum_assignment` over the same slot matrix (each
mentor's free places as columns, built from the engine's own scores), timed
in turn with it; prints the total score against the greedy baseline's.
"""

import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from scipy.optimize import linear_sum_assignment

from mentoring.matching.engine import match
from mentoring.matching.loader import load_population
from mentoring.matching.rules import FormSpec, Options, form_choice
from mentoring.matching.scoring import (
    MenteeFeatures,
    MentorFeatures,
    Preferences,
    Weights,
    score_matrix,
)
from mentoring.models import MentoringForm, Organization
from tests.perf.matching_school import bulk_school
from tests.perf.timing import interleaved_medians

MENTEES, MENTORS = 1_000, 300
RUNS = 5
# The engine / the bare solver on its slot matrix: 3.6–7.3× in four runs on
# 2026-12-01 with the load average at 3–15 (the rules, the score matrix, the
# greedy baseline and a reason per suggestion and per unmatched mentee around
# one assignment; 7.2–9.8× before issue 15's second half); about twice that.
GOAL = 15.0
TT = FormSpec(
    "teacher-teacher",
    "Учитель – учитель",
    frozenset({"teacher"}),
    frozenset({"teacher"}),
)
TOPICS = [
    "Планирование уроков по ФОП",
    "Работа с родителями",
    "Дисциплина на уроке",
    "Цифровые инструменты на уроке",
    "Подготовка к ОГЭ по химии",
    "Формирующее оценивание",
    "Обучающиеся с ОВЗ",
    "Олимпиадная физика",
    "Классное руководство",
    "Подготовка к аттестации",
    "Проектная деятельность",
    "Профильный ЕГЭ по математике",
]
SUBJECTS = ["математика", "физика", "химия", "русский язык", "история", "биология"]


def population(seed: int = 2026):
    rnd = random.Random(seed)
    mentors = [
        MentorFeatures(
            person_id=j,
            name=f"Наставник {j}",
            organization_id=1,
            category="teacher",
            experience_years=rnd.randint(5, 35),
            subjects=(rnd.choice(SUBJECTS),),
            competencies=tuple(rnd.sample(TOPICS, 3)),
            forms=frozenset({TT.code}),
            free_places=rnd.randint(1, 4),
        )
        for j in range(MENTORS)
    ]
    mentees = [
        MenteeFeatures(
            person_id=MENTORS + i,
            name=f"Наставляемый {i}",
            organization_id=1,
            category="teacher",
            experience_years=rnd.randint(0, 3),
            subjects=(rnd.choice(SUBJECTS),),
            requests=tuple(rnd.sample(TOPICS, 2)),
            desired_forms=frozenset({TT.code}),
        )
        for i in range(MENTEES)
    ]
    # A third of the mentees ranked three mentors after the group meeting.
    ranks = {
        m.person_id: {j: r for r, j in enumerate(rnd.sample(range(MENTORS), 3), 1)}
        for m in mentees[: MENTEES // 3]
    }
    return mentors, mentees, Preferences(mentee_ranks=ranks)


def _slot_matrix(mentors, mentees, preferences) -> np.ndarray:
    """The engine's scores spread over places, as `solver.solve_optimal` does."""
    chosen = form_choice(mentors, mentees, [TT], Options())
    wished = np.array([[TT.code in x.desired_forms] + [False] for x in mentees])
    scores = score_matrix(
        mentors,
        mentees,
        wished=np.take_along_axis(wished, chosen, axis=1),
        weights=Weights(),
        preferences=preferences,
    )
    scores[chosen < 0] = np.nan
    allowed = ~np.isnan(scores)
    columns = np.repeat(
        np.arange(len(mentors)),
        [min(m.free_places, int(allowed[:, j].sum())) for j, m in enumerate(mentors)],
    )
    bonus = float(np.nanmax(np.abs(scores))) * len(mentees) + 1.0
    return np.where(allowed, np.nan_to_num(scores) + bonus, 0.0)[:, columns]


def test_matching_1000_mentees_300_mentors(bench_table):
    mentors, mentees, preferences = population()
    outcomes = []

    def engine():
        outcomes.append(
            match(
                mentors=mentors,
                mentees=mentees,
                forms=[TT],
                weights=Weights(),
                preferences=preferences,
            )
        )

    slots = _slot_matrix(mentors, mentees, preferences)
    engine_s, solve_s = interleaved_medians(
        engine,
        lambda: linear_sum_assignment(slots, maximize=True),
        runs=RUNS,
    )
    outcome = outcomes[-1]
    places = sum(m.free_places for m in mentors)
    print()
    print(f"mentees {MENTEES}, mentors {MENTORS}, places {places}")
    print(
        f"engine run (rules, scores, optimum, greedy, reasons): {engine_s:.3f} s; "
        f"bare solver on its {slots.shape[0]}×{slots.shape[1]} slot matrix: "
        f"{solve_s:.3f} s (medians of {RUNS})"
    )
    print(
        f"  placed {len(outcome.suggestions)}, unmatched {len(outcome.unmatched)}; "
        f"total {outcome.total_score:.1f} vs greedy {outcome.greedy_score:.1f}: "
        f"ratio {outcome.total_score / outcome.greedy_score:.4f}"
    )
    assert len(outcome.suggestions) == min(places, MENTEES)
    assert outcome.total_score >= outcome.greedy_score
    ratio = bench_table.record(
        f"matching {MENTEES}×{MENTORS} / bare solver, same slot matrix",
        ours=engine_s,
        floor=solve_s,
        goal=GOAL,
    )
    assert ratio <= GOAL


# A generated school whose banks hold about 1,000 mentees and 400 mentors
# (generate_district's shares of staff and students).
SCHOOL = {"staff": 600, "students": 11_000, "pairs": 0, "meetings": 0}
# The run as the task does it (load_population from the database, then the
# engine) / the bare solver on the same slot matrix: 8.9–17.2× in five runs
# on 2026-12-01 with the load average at 9–18 (19–23× before issue 15's
# second half, 28–35× before the loader read related rows in one query
# each). This school's slot matrix is an easy one for the solver (0.02–0.1 s;
# the run's load alone is more): the 5× is shown on the next
# benchmark's school of exactly 1,000 × 300. About twice the measure.
FROM_DB_GOAL = 30.0
FROM_DB_TARGET = 5.0


def _population_slots(population) -> np.ndarray:
    """The slot matrix the dense solver takes, from the loaded population."""
    scores, places = _population_scores(population)
    allowed = ~np.isnan(scores)
    columns = np.repeat(
        np.arange(len(places)),
        [min(p, int(allowed[:, j].sum())) for j, p in enumerate(places)],
    )
    bonus = float(np.nanmax(np.abs(scores))) * len(population.mentees) + 1.0
    return np.where(allowed, np.nan_to_num(scores) + bonus, 0.0)[:, columns]


def _population_scores(population) -> tuple[np.ndarray, list[int]]:
    """The engine's score matrix (NaN: forbidden) and each mentor's places."""
    forms = population.forms
    chosen = form_choice(population.mentors, population.mentees, forms, Options())
    wished = np.array(
        [
            [f.code in x.desired_forms for f in forms] + [False]
            for x in population.mentees
        ]
    )
    scores = score_matrix(
        population.mentors,
        population.mentees,
        wished=np.take_along_axis(wished, chosen, axis=1),
        weights=Weights(),
        preferences=population.preferences,
    )
    scores[chosen < 0] = np.nan
    return scores, [m.free_places for m in population.mentors]


@pytest.mark.django_db
def test_matching_a_school_read_from_the_database(bench_table):
    call_command(
        "generate_district",
        organizations=1,
        seed=15,
        stdout=io.StringIO(),
        **SCHOOL,
    )
    organization = Organization.objects.order_by("-pk").first()
    forms = list(MentoringForm.objects.all())
    on = timezone.localdate()
    phases = {"load": [], "engine": []}

    def run():
        started = time.perf_counter()
        population = load_population(organization=organization, forms=forms, on=on)
        loaded = time.perf_counter()
        match(
            mentors=population.mentors,
            mentees=population.mentees,
            forms=population.forms,
            weights=Weights(),
            preferences=population.preferences,
        )
        phases["load"].append(loaded - started)
        phases["engine"].append(time.perf_counter() - loaded)

    population = load_population(organization=organization, forms=forms, on=on)
    slots = _population_slots(population)
    run_s, solve_s = interleaved_medians(
        run, lambda: linear_sum_assignment(slots, maximize=True), runs=RUNS
    )
    size = f"{len(population.mentees)}×{len(population.mentors)}"
    print()
    print(
        f"a run from the database, {size}: {run_s:.3f} s (load "
        f"{np.median(phases['load']):.3f} s, engine {np.median(phases['engine']):.3f}"
        f" s); bare solver on its {slots.shape[0]}×{slots.shape[1]} slot matrix: "
        f"{solve_s:.3f} s (medians of {RUNS})"
    )
    ratio = bench_table.record(
        f"matching run from the database {size} / bare solver, same slot matrix",
        ours=run_s,
        floor=solve_s,
        goal=FROM_DB_GOAL,
        target=FROM_DB_TARGET,
    )
    assert ratio <= FROM_DB_GOAL


RUN_FORMS = ["teacher-teacher", "teacher-student", "student-student"]
# A run of exactly the size from the database (tests/perf/
# matching_school.py: teachers and senior students mentor teachers and
# students in three forms) / the bare solver on the same slot matrix, both
# timed in turn: 3.9–4.4× in five runs on 2026-12-01 with the load average
# at 3–18 (5.2× before the run paused the cyclic collector and overlapped
# stems by bits); 4.1× alone on 2026-12-02, and 6.6× in a whole make bench
# with a clean clone's make test beside it. The aim is 5×, printed;
# asserted with about twice the quiet figure, as the other goals.
BY_SIZE_GOAL = 9.0
BY_SIZE_TARGET = 5.0


def _run_from_the_database(organization, forms, on, phases=None):
    started = time.perf_counter()
    population = load_population(organization=organization, forms=forms, on=on)
    loaded = time.perf_counter()
    outcome = match(
        mentors=population.mentors,
        mentees=population.mentees,
        forms=population.forms,
        weights=Weights(),
        preferences=population.preferences,
    )
    if phases is not None:
        phases["load"].append(loaded - started)
        phases["engine"].append(time.perf_counter() - loaded)
    return population, outcome


@pytest.mark.django_db
def test_matching_1000_by_300_read_from_the_database(bench_table):
    organization = bulk_school(mentees=MENTEES, mentors=MENTORS)
    forms = list(MentoringForm.objects.filter(code__in=RUN_FORMS))
    on = timezone.localdate()
    phases = {"load": [], "engine": []}
    population, outcome = _run_from_the_database(organization, forms, on)
    slots = _population_slots(population)
    run_s, solve_s = interleaved_medians(
        lambda: _run_from_the_database(organization, forms, on, phases),
        lambda: linear_sum_assignment(slots, maximize=True),
        runs=RUNS,
    )
    size = f"{len(population.mentees)}×{len(population.mentors)}"
    print()
    print(
        f"a run from the database, {size}: {run_s:.3f} s (load "
        f"{np.median(phases['load']):.3f} s, engine {np.median(phases['engine']):.3f}"
        f" s); bare solver on its {slots.shape[0]}×{slots.shape[1]} slot matrix: "
        f"{solve_s:.3f} s (medians of {RUNS}); placed {len(outcome.suggestions)}, "
        f"total {outcome.total_score:.1f} vs greedy {outcome.greedy_score:.1f}"
    )
    assert size == f"{MENTEES}×{MENTORS}"
    assert outcome.total_score >= outcome.greedy_score
    ratio = bench_table.record(
        f"matching run from the database {size} / bare solver, same slot matrix",
        ours=run_s,
        floor=solve_s,
        goal=BY_SIZE_GOAL,
        target=BY_SIZE_TARGET,
    )
    assert ratio <= BY_SIZE_GOAL


BIG_MENTEES, BIG_MENTORS = 5_000, 1_500
BIG_RUNS = 2
# A run of 5,000 × 1,500 from the database in a process of its own against
# the bare dense solver (scipy's linear_sum_assignment) on the same slot
# matrix in another, given as scipy takes it without a copy (each process's
# peak resident memory, interpreter and libraries included).
# The time: 0.91–1.45× in six runs on 2026-12-01 (load average 9–18) while
# the engine solved densely; 0.64× on 2026-12-02 (load average 5) with the
# optimum solved on candidates and proven (mentoring/matching/certified.py);
# 0.48–0.75× in four runs later that day (load average 3–4), the run's own
# CPU 3.7–4.3 s.
# About twice that, as a single process each side is noisier than medians of
# five; the 5 s is printed.
BIG_TIME_GOAL = 1.3
# The optimum alone as the engine now finds it (candidates, sparse solver,
# proof on every cell; given the greedy baseline the engine computes anyway)
# against the bare dense solver on the same problem, a process each.
BIG_CERTIFIED_GOAL = 1.0
# The memory: 2.02–2.03× (432 MB against 213 MB; 2.3× before the load's rows were
# freed before the matrices, 2.4× before the greedy baseline's candidates
# took 32 bits): the 2× is printed, not met by a hair; the Django
# process alone holds 164 MB before it reads a row, the solver's 84 MB.
BIG_MEMORY_GOAL = 2.5
BIG_MEMORY_TARGET = 2.0
PROCESS = Path(__file__).with_name("matching_process.py")


def _in_a_process(*args) -> dict:
    database = dict(os.environ)
    settings = connection.settings_dict
    # The benchmark's database (pytest-django's test_…), not the one in the URL.
    database["DATABASE_URL"] = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )
    root = Path(__file__).parents[2]
    database["PYTHONPATH"] = str(root)
    done = subprocess.run(
        [sys.executable, str(PROCESS), *map(str, args)],
        env=database,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# Committed, so that the run's own process reads it (`growing_db`: emptied when
# the module ends, the catalogues loaded again). A transactional test with a
# serialized rollback instead failed its set-up in a whole `make bench`: the
# catalogues another module's `growing_db` had loaded again clashed with the
# serialized ones.
def test_matching_5000_by_1500_each_in_a_process_of_its_own(
    bench_table, tmp_path, growing_db
):
    organization = bulk_school(mentees=BIG_MENTEES, mentors=BIG_MENTORS, seed=16)
    forms = list(MentoringForm.objects.filter(code__in=RUN_FORMS))
    population = load_population(
        organization=organization, forms=forms, on=timezone.localdate()
    )
    # The least any solver of this problem holds: the slot matrix as a cost
    # of places × mentees, which scipy solves without a copy.
    cost = tmp_path / "cost.npy"
    np.save(cost, np.ascontiguousarray(-_population_slots(population).T))
    scores, places = _population_scores(population)
    bonus = float(np.nanmax(np.abs(scores))) * len(population.mentees) + 1.0
    problem = tmp_path / "scores.npz"
    np.savez(problem, scores=scores, capacities=np.array(places))
    del population, scores
    runs = {"engine": [], "solver": [], "certified": []}
    for _ in range(BIG_RUNS):
        runs["solver"].append(_in_a_process("solver", cost))
        runs["certified"].append(_in_a_process("certified", problem))
        runs["engine"].append(
            _in_a_process("engine", organization.pk, ",".join(RUN_FORMS))
        )
    engine_s = float(np.median([r["seconds"] for r in runs["engine"]]))
    solver_s = float(np.median([r["seconds"] for r in runs["solver"]]))
    certified_s = float(np.median([r["seconds"] for r in runs["certified"]]))
    engine_mb = float(np.median([r["peak_mb"] for r in runs["engine"]]))
    solver_mb = float(np.median([r["peak_mb"] for r in runs["solver"]]))
    last = runs["engine"][-1]
    print()
    print(
        f"a run from the database, {last['mentees']}×{last['mentors']}: "
        f"{engine_s:.2f} s (load {last['load']:.2f} s; the process's CPU "
        f"{last['cpu']:.2f} s, of which the load {last['load_cpu']:.2f} s), peak "
        f"{engine_mb:.0f} MB "
        f"({last['loaded_mb']:.0f} MB by the end of the load); "
        f"bare dense solver on the same slot matrix: {solver_s:.2f} s (CPU "
        f"{runs['solver'][-1]['cpu']:.2f} s), peak "
        f"{solver_mb:.0f} MB; the optimum on candidates with its proof: "
        f"{certified_s:.2f} s (medians of {BIG_RUNS}, a process each); placed "
        f"{last['placed']}, total {last['total']:.1f} vs greedy {last['greedy']:.1f}"
        f" — the issue's aim: under 5 s"
    )
    assert (last["mentees"], last["mentors"]) == (BIG_MENTEES, BIG_MENTORS)
    assert last["placed"] == runs["solver"][-1]["placed"]
    # The same optimum as the dense solver's: equal totals (ties may differ).
    dense = runs["solver"][-1]
    dense_total = dense["value"] - dense["placed"] * bonus
    assert abs(last["total"] - dense_total) < 5e-5
    assert abs(runs["certified"][-1]["total"] - dense_total) < 5e-5
    time_ratio = bench_table.record(
        f"matching {BIG_MENTEES}×{BIG_MENTORS} from the database / bare dense "
        "solver, time",
        ours=engine_s,
        floor=solver_s,
        goal=BIG_TIME_GOAL,
    )
    certified_ratio = bench_table.record(
        f"optimum {BIG_MENTEES}×{BIG_MENTORS} on candidates, proven / bare dense "
        "solver, time",
        ours=certified_s,
        floor=solver_s,
        goal=BIG_CERTIFIED_GOAL,
    )
    memory_ratio = bench_table.record(
        f"matching {BIG_MENTEES}×{BIG_MENTORS} / bare solver, peak memory (MB as ms)",
        ours=engine_mb / 1000,
        floor=solver_mb / 1000,
        goal=BIG_MEMORY_GOAL,
        target=BIG_MEMORY_TARGET,
    )
    assert time_ratio <= BIG_TIME_GOAL
    assert certified_ratio <= BIG_CERTIFIED_GOAL
    assert memory_ratio <= BIG_MEMORY_GOAL
