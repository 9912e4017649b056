"""The matching engine at a district-sized school: 1,000 mentees, 300 mentors.

Capacities 1–4 (about 750 places, fewer than the mentees: a partial result),
requests and competencies drawn from the demo's vocabulary, one form. Times
the whole run (rules, scores, optimum, reasons) against its floor, the bare
`linear_sum_assignment` over the same score matrix, and prints the total
score against the greedy baseline's.
"""

import random
import statistics
import time

import numpy as np

from mentoring.matching import solver
from mentoring.matching.engine import match
from mentoring.matching.rules import FormSpec
from mentoring.matching.scoring import (
    MenteeFeatures,
    MentorFeatures,
    Preferences,
    Weights,
)

MENTEES, MENTORS = 1_000, 300
CEILING_S = 2.0
RUNS = 3
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


def test_matching_1000_mentees_300_mentors():
    mentors, mentees, preferences = population()
    engine_times, outcome = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        outcome = match(
            mentors=mentors,
            mentees=mentees,
            forms=[TT],
            weights=Weights(),
            preferences=preferences,
        )
        engine_times.append(time.perf_counter() - started)

    # The floor: the same matrix, the bare solver and the greedy pass.
    rnd = np.random.default_rng(7)
    scores = rnd.random((MENTEES, MENTORS)) * 10
    capacities = [m.free_places for m in mentors]
    started = time.perf_counter()
    best = solver.solve_optimal(scores, capacities)
    solve_s = time.perf_counter() - started
    started = time.perf_counter()
    greedy = solver.solve_greedy(scores, capacities)
    greedy_s = time.perf_counter() - started

    engine_s = statistics.median(engine_times)
    places = sum(capacities)
    print()
    print(f"mentees {MENTEES}, mentors {MENTORS}, places {places}")
    print(
        f"engine run (rules, scores, optimum, greedy, reasons): {engine_s:.3f} s "
        f"(median of {RUNS})"
    )
    print(
        f"  placed {len(outcome.suggestions)}, unmatched {len(outcome.unmatched)}; "
        f"total {outcome.total_score:.1f} vs greedy {outcome.greedy_score:.1f}: "
        f"ratio {outcome.total_score / outcome.greedy_score:.4f}"
    )
    print(
        f"random scores: optimum {solve_s:.3f} s, greedy {greedy_s:.3f} s; "
        f"ratio {solver.total_score(scores, best) / solver.total_score(scores, greedy):.4f}"
    )
    print(f"engine / bare solver: {engine_s / solve_s:.1f}x")
    assert len(outcome.suggestions) == min(places, MENTEES)
    assert outcome.total_score >= outcome.greedy_score
    assert engine_s < CEILING_S
