"""The matching engine at a district-sized school: 1,000 mentees, 300 mentors.

Capacities 1–4 (about 750 places, fewer than the mentees: a partial result),
requests and competencies drawn from the demo's vocabulary, one form. Times
the whole run (rules, scores, optimum, greedy baseline, reasons) against its
floor, the bare `linear_sum_assignment` over the same slot matrix (each
mentor's free places as columns, built from the engine's own scores), timed
in turn with it; prints the total score against the greedy baseline's.
"""

import io
import random
import time

import numpy as np
import pytest
from django.core.management import call_command
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
from tests.perf.timing import interleaved_medians

MENTEES, MENTORS = 1_000, 300
RUNS = 5
# The engine / the bare solver on its slot matrix: 7.2–9.8× in four runs on
# 2026-12-01 under load (the rules, the score matrix, the greedy baseline and a reason per
# suggestion and per unmatched mentee around one assignment); about twice that.
GOAL = 20.0
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
# engine) / the bare solver on the same slot matrix: 19–23× in two runs on
# 2026-12-01 under heavy load (28–35× before the loader read related rows in
# one query each, 23–27× before the greedy baseline dropped placed mentees
# and full mentors in chunks); the issue aims at 5×. About twice that.
FROM_DB_GOAL = 45.0
FROM_DB_TARGET = 5.0


def _population_slots(population) -> np.ndarray:
    """The slot matrix the engine hands the solver, from the loaded population."""
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
    allowed = ~np.isnan(scores)
    columns = np.repeat(
        np.arange(len(population.mentors)),
        [
            min(m.free_places, int(allowed[:, j].sum()))
            for j, m in enumerate(population.mentors)
        ],
    )
    bonus = float(np.nanmax(np.abs(scores))) * len(population.mentees) + 1.0
    return np.where(allowed, np.nan_to_num(scores) + bonus, 0.0)[:, columns]


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
