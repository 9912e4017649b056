"""A whole run on plain features: hard rules, reasons, bad input."""

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.matching.engine import MatchingError, Mode, match
from mentoring.matching.rules import (
    FormSpec,
    Options,
    form_choice,
    mentee_refusal,
    pair_refusal,
    pick_form,
)
from mentoring.matching.scoring import (
    MenteeFeatures,
    MentorFeatures,
    Preferences,
    Weights,
    score_matrix,
    score_pair,
)

TT = FormSpec(
    "teacher-teacher",
    "Учитель – учитель",
    frozenset({"teacher"}),
    frozenset({"teacher"}),
)
SS = FormSpec(
    "student-student", "Ученик – ученик", frozenset({"student"}), frozenset({"student"})
)
CATEGORIES = ["teacher", "student"]
SUBJECTS = ["математика", "химия", "русский язык"]
REQUESTS = ["Дисциплина на уроке", "Работа с родителями", "Подготовка к ОГЭ по химии"]


def mentor(pid, **kw):
    kw.setdefault("name", f"Наставник {pid}")
    kw.setdefault("organization_id", 1)
    kw.setdefault("category", "teacher")
    kw.setdefault("free_places", 1)
    return MentorFeatures(person_id=pid, **kw)


def mentee(pid, **kw):
    kw.setdefault("name", f"Наставляемый {pid}")
    kw.setdefault("organization_id", 1)
    kw.setdefault("category", "teacher")
    return MenteeFeatures(person_id=pid, **kw)


@st.composite
def populations(draw):
    mentors = [
        mentor(
            100 + k,
            organization_id=draw(st.sampled_from([1, 1, 2])),
            category=draw(st.sampled_from(CATEGORIES)),
            competencies=tuple(draw(st.lists(st.sampled_from(REQUESTS), max_size=2))),
            forms=frozenset(draw(st.sets(st.sampled_from([TT.code, SS.code])))),
            free_places=draw(st.integers(0, 3)),
            missing_consents=("согласие",)
            if draw(st.booleans()) and k % 3 == 0
            else (),
            experience_years=draw(st.one_of(st.none(), st.integers(0, 30))),
        )
        for k in range(draw(st.integers(1, 5)))
    ]
    mentees = [
        mentee(
            200 + k,
            organization_id=draw(st.sampled_from([1, 1, 2])),
            category=draw(st.sampled_from(CATEGORIES)),
            requests=tuple(draw(st.lists(st.sampled_from(REQUESTS), max_size=3))),
        )
        for k in range(draw(st.integers(1, 7)))
    ]
    # A mentor in the bank of mentees too: self-pairing must never happen.
    if draw(st.booleans()):
        m = mentees[0]
        mentors.append(
            mentor(m.person_id, category=m.category, organization_id=m.organization_id)
        )
    forbids = frozenset(
        (mr.person_id, me.person_id)
        for mr in mentors
        for me in mentees
        if draw(st.integers(0, 4)) == 0
    )
    return mentors, mentees, Options(forbids=forbids)


@settings(max_examples=150, deadline=None)
@given(
    populations(),
    st.sampled_from([Mode.OPTIMAL, Mode.GREEDY, Mode.STABLE]),
    st.randoms(use_true_random=False),
)
def test_no_suggestion_breaks_a_hard_rule(population, mode, rnd):
    mentors, mentees, options = population
    by_id = {m.person_id: m for m in mentors}
    forms = {TT.code: TT, SS.code: SS}
    mentor_ids = [m.person_id for m in mentors]
    mentee_ids = [m.person_id for m in mentees]
    preferences = Preferences(
        mentee_ranks={
            i: {j: r for r, j in enumerate(rnd.sample(mentor_ids, 1), 1)}
            for i in mentee_ids
        },
        mentor_ranks={
            j: {i: r for r, i in enumerate(rnd.sample(mentee_ids, 1), 1)}
            for j in mentor_ids
        },
    )
    outcome = match(
        mentors=mentors,
        mentees=mentees,
        forms=[TT, SS],
        weights=Weights(),
        mode=mode,
        preferences=preferences,
        options=options,
    )
    load = Counter()
    for s in outcome.suggestions:
        mr = by_id[s.mentor_id]
        me = next(m for m in mentees if m.person_id == s.mentee_id)
        assert s.mentor_id != s.mentee_id
        assert pair_refusal(mr, me, forms[s.form_code], options) is None
        load[s.mentor_id] += 1
    for mentor_id, count in load.items():
        assert count <= by_id[mentor_id].free_places
    suggested = {s.mentee_id for s in outcome.suggestions}
    assert set(outcome.unmatched) == {m.person_id for m in mentees} - suggested
    assert all(outcome.unmatched.values())


def test_explanation_names_the_reasons_in_russian():
    mr = mentor(
        1,
        competencies=("Планирование уроков по ФОП, работа с родителями",),
        subjects=("математика",),
        experience_years=18,
    )
    me = mentee(
        2,
        requests=("Планирование уроков по ФОП", "Работа с родителями", "Дисциплина"),
        subjects=("математика",),
        experience_years=0,
        desired_forms=frozenset({TT.code}),
    )
    prefs = Preferences(mentee_ranks={2: {1: 2}})
    score = score_pair(
        mr,
        me,
        form_code=TT.code,
        form_name=TT.name,
        weights=Weights(),
        preferences=prefs,
    )
    assert score.explanation == (
        "совпадают запросы: планирование уроков по ФОП, работа с родителями; "
        "тот же предмет: математика; стаж наставника 18 лет; "
        "наставляемый выбрал форму «Учитель – учитель»; "
        "наставляемый выбрал этого наставника вторым"
    )
    assert score.value > 0


def test_capacities_smaller_than_demand_give_a_partial_result_with_reasons():
    mentors = [mentor(1, competencies=("Дисциплина на уроке",))]
    mentees = [mentee(2, requests=("Дисциплина на уроке",)), mentee(3)]
    outcome = match(mentors=mentors, mentees=mentees, forms=[TT], weights=Weights())
    assert [(s.mentor_id, s.mentee_id) for s in outcome.suggestions] == [(1, 2)]
    assert "свободных мест меньше, чем наставляемых" in outcome.unmatched[3]


def test_a_mentee_nobody_may_take_is_told_why():
    mentors = [mentor(1, forms=frozenset({SS.code}))]
    outcome = match(mentors=mentors, mentees=[mentee(2)], forms=[TT], weights=Weights())
    assert outcome.unmatched == {
        2: "нет подходящего наставника: наставник не работает в форме «Учитель – учитель»"
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mentors": []}, "В банке наставников нет никого"),
        ({"mentees": []}, "Нет наставляемых, которым нужен наставник"),
        ({"weights": Weights.from_mapping({})}, "Все веса равны нулю"),
        ({"mode": Mode.STABLE}, "Для устойчивого подбора нужны предпочтения"),
    ],
)
def test_bad_input_is_refused_in_russian(kwargs, message):
    args = {
        "mentors": [mentor(1)],
        "mentees": [mentee(2)],
        "forms": [TT],
        "weights": Weights(),
        **kwargs,
    }
    with pytest.raises(MatchingError) as caught:
        match(**args)
    assert any(message in m for m in caught.value.messages)


def test_conflicting_pins_are_refused():
    mentors = [mentor(1), mentor(3)]
    options = Options(pins=frozenset({(1, 2), (3, 2)}))
    with pytest.raises(MatchingError) as caught:
        match(
            mentors=mentors,
            mentees=[mentee(2)],
            forms=[TT],
            weights=Weights(),
            options=options,
        )
    assert caught.value.messages == [
        "Наставляемый 2 закреплён(а) сразу за двумя наставниками."
    ]


def test_a_pinned_pair_breaking_a_rule_is_refused():
    options = Options(pins=frozenset({(1, 2)}))
    with pytest.raises(MatchingError) as caught:
        match(
            mentors=[mentor(1, organization_id=9)],
            mentees=[mentee(2)],
            forms=[TT],
            weights=Weights(),
            options=options,
        )
    assert caught.value.messages == [
        "Закреплённую пару Наставник 1 — Наставляемый 2 создать нельзя: наставник "
        "из другой организации."
    ]


def test_stable_mode_follows_both_sides_ranks():
    mentors = [mentor(1, competencies=("Дисциплина на уроке",)), mentor(3)]
    mentees = [mentee(2, requests=("Дисциплина на уроке",)), mentee(4)]
    prefs = Preferences(mentee_ranks={2: {3: 1}, 4: {3: 1}}, mentor_ranks={3: {2: 1}})
    outcome = match(
        mentors=mentors,
        mentees=mentees,
        forms=[TT],
        weights=Weights(),
        mode=Mode.STABLE,
        preferences=prefs,
    )
    assert {(s.mentor_id, s.mentee_id) for s in outcome.suggestions} == {(3, 2), (1, 4)}


# Each example draws a whole school twice over: fewer examples keep it quick.
@settings(max_examples=75, deadline=None)
@given(populations(), st.data())
def test_matrices_agree_with_the_pair_by_pair_rules_and_scores(population, data):
    """The engine's fast matrices say what `pick_form` and `score_pair` say."""
    mentors, mentees, options = population
    slots = ["пн 15:00", "вт 15:00", "ср 14:00"]
    mentors = [
        replace(
            m,
            schedule=frozenset(data.draw(st.sets(st.sampled_from(slots)))),
            grade=data.draw(st.one_of(st.none(), st.integers(5, 11))),
            subjects=tuple(data.draw(st.lists(st.sampled_from(SUBJECTS), max_size=2))),
        )
        for m in mentors
    ]
    mentees = [
        replace(
            m,
            schedule=frozenset(data.draw(st.sets(st.sampled_from(slots)))),
            grade=data.draw(st.one_of(st.none(), st.integers(5, 11))),
            subjects=tuple(data.draw(st.lists(st.sampled_from(SUBJECTS), max_size=1))),
            desired_forms=frozenset(data.draw(st.sets(st.sampled_from([TT.code])))),
        )
        for m in mentees
    ]
    prefs = Preferences(
        mentee_ranks={mentees[0].person_id: {mentors[0].person_id: 2}},
        mentor_ranks={mentors[-1].person_id: {mentees[-1].person_id: 1}},
    )
    weights = Weights(*data.draw(st.lists(st.integers(0, 3), min_size=6, max_size=6)))
    forms = [SS, TT]
    chosen = form_choice(mentors, mentees, forms, options)
    wished = np.array(
        [
            [
                chosen[i, j] >= 0 and forms[chosen[i, j]].code in me.desired_forms
                for j in range(len(mentors))
            ]
            for i, me in enumerate(mentees)
        ]
    )
    matrix = score_matrix(
        mentors, mentees, wished=wished, weights=weights, preferences=prefs
    )
    for i, me in enumerate(mentees):
        for j, mr in enumerate(mentors):
            form, _refusal = pick_form(mr, me, forms, options)
            if mentee_refusal(me):
                form = None
            assert (form.code if form else None) == (
                forms[chosen[i, j]].code if chosen[i, j] >= 0 else None
            )
            if form is not None:
                expected = score_pair(
                    mr,
                    me,
                    form_code=form.code,
                    form_name=form.name,
                    weights=weights,
                    preferences=prefs,
                    explain=False,
                ).value
                assert matrix[i, j] == pytest.approx(expected, abs=1e-3)


def test_generic_words_alone_do_not_make_requests_match():
    mr = mentor(1, competencies=("Подготовка к олимпиаде по физике",))
    me = mentee(2, requests=("Подготовка к ОГЭ по химии", "Работа с родителями"))
    score = score_pair(mr, me, form_code=TT.code, form_name=TT.name, weights=Weights())
    assert "совпадают запросы" not in score.explanation
    me = mentee(2, requests=("Олимпиадная физика",))
    score = score_pair(mr, me, form_code=TT.code, form_name=TT.name, weights=Weights())
    assert "совпадают запросы: олимпиадная физика" in score.explanation
