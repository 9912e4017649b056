"""One matching run on plain data: rules, scores, assignment, reasons.

`match()` is what the service calls with the features the loader read; it
raises `MatchingError` for input no run can use and otherwise returns the
suggestions, the mentees left without a mentor (each with its reason) and
the totals, the greedy baseline's included for comparison.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import solver
from .collection import without_cyclic_collection
from .rules import FormSpec, Options, form_choice, mentee_refusal, pick_form
from .scoring import (
    MenteeFeatures,
    MentorFeatures,
    Preferences,
    Weights,
    _,
    in_one_language,
    score_matrix,
    score_pair,
)


class Mode:
    OPTIMAL = "optimal"
    STABLE = "stable"
    GREEDY = "greedy"


class MatchingError(Exception):
    """Input no run can use; `messages` are Russian, for the curator."""

    def __init__(self, messages: Sequence[str], code: str):
        super().__init__("; ".join(messages))
        self.messages = list(messages)
        self.code = code


@dataclass(frozen=True)
class Suggested:
    mentor_id: int
    mentee_id: int
    form_code: str
    score: float
    explanation: str
    pinned: bool = False


@dataclass(frozen=True)
class Outcome:
    suggestions: list[Suggested]
    unmatched: dict[int, str]  # mentee person id -> reason
    total_score: float
    greedy_score: float
    greedy_matched: int
    seconds: float


def check_input(
    *,
    mentors: Sequence[MentorFeatures],
    mentees: Sequence[MenteeFeatures],
    forms: Sequence[FormSpec],
    weights: Weights,
    mode: str,
    preferences: Preferences,
) -> None:
    errors = []
    if not forms:
        errors.append(_("Выберите хотя бы одну форму наставничества."))
    if not mentors:
        errors.append(
            _("В банке наставников нет никого, кто может вести в выбранных формах.")
        )
    if not mentees:
        errors.append(
            _(
                "Нет наставляемых, которым нужен наставник в выбранных формах: все "
                "закреплены или не подходят по категории."
            )
        )
    if weights.all_zero:
        errors.append(_("Все веса равны нулю: задайте вес хотя бы одному признаку."))
    if mode == Mode.STABLE and not (
        preferences.mentee_ranks and preferences.mentor_ranks
    ):
        errors.append(
            _(
                "Для устойчивого подбора нужны предпочтения обеих сторон: внесите, "
                "кого выбрали наставляемые и кого — наставники после общей встречи."
            )
        )
    if errors:
        raise MatchingError(errors, code="bad_input")


@without_cyclic_collection
@in_one_language()
def match(
    *,
    mentors: Sequence[MentorFeatures],
    mentees: Sequence[MenteeFeatures],
    forms: Sequence[FormSpec],
    weights: Weights,
    mode: str = Mode.OPTIMAL,
    preferences: Preferences | None = None,
    options: Options | None = None,
) -> Outcome:
    preferences = preferences or Preferences()
    options = options or Options()
    check_input(
        mentors=mentors,
        mentees=mentees,
        forms=forms,
        weights=weights,
        mode=mode,
        preferences=preferences,
    )
    started = time.perf_counter()
    chosen = form_choice(mentors, mentees, forms, options)
    # Did the mentee wish for the form each pair would work in? The extra
    # last column answers for -1 (no form): no.
    wishes = np.array(
        [[f.code in x.desired_forms for f in forms] + [False] for x in mentees]
    )
    wished = np.take_along_axis(wishes, chosen, axis=1)
    scores = score_matrix(
        mentors, mentees, wished=wished, weights=weights, preferences=preferences
    )
    del wishes, wished
    scores[chosen < 0] = np.nan
    pins = _pins(mentors, mentees, forms, scores, options)
    capacities = [m.free_places for m in mentors]
    # The baseline the outcome is compared with, and the optimum's first
    # candidates (solver.solve_optimal).
    greedy = solver.solve_greedy(scores, capacities, pins)
    if mode == Mode.STABLE:
        index_of_mentor = {m.person_id: j for j, m in enumerate(mentors)}
        index_of_mentee = {m.person_id: i for i, m in enumerate(mentees)}
        assignment = solver.solve_stable(
            scores,
            capacities,
            _ranked(preferences.mentee_ranks, index_of_mentee, index_of_mentor),
            _ranked(preferences.mentor_ranks, index_of_mentor, index_of_mentee),
            pins,
        )
    elif mode == Mode.GREEDY:
        assignment = greedy
    else:
        assignment = solver.solve_optimal(scores, capacities, pins, start=greedy)
    seconds = time.perf_counter() - started

    suggestions = []
    for i, j in sorted(assignment.items()):
        mentor, mentee, form = mentors[j], mentees[i], forms[chosen[i, j]]
        score = score_pair(
            mentor,
            mentee,
            form_code=form.code,
            form_name=form.name,
            weights=weights,
            preferences=preferences,
        )
        suggestions.append(
            Suggested(
                mentor_id=mentor.person_id,
                mentee_id=mentee.person_id,
                form_code=form.code,
                score=score.value,
                explanation=score.explanation,
                pinned=i in pins,
            )
        )
    unmatched = _unmatched_reasons(
        mentors, mentees, forms, options, scores, placed=assignment
    )
    return Outcome(
        suggestions=suggestions,
        unmatched=unmatched,
        total_score=round(solver.total_score(scores, assignment), 4),
        greedy_score=round(solver.total_score(scores, greedy), 4),
        greedy_matched=len(greedy),
        seconds=seconds,
    )


def _ranked(ranks, rows: dict[int, int], columns: dict[int, int]):
    """Person-id ranks → index lists in rank order, for the solver."""
    return {
        rows[who]: [
            columns[other]
            for other, _rank in sorted(chosen.items(), key=lambda kv: kv[1])
            if other in columns
        ]
        for who, chosen in ranks.items()
        if who in rows
    }


def _pins(mentors, mentees, forms, scores, options: Options) -> dict[int, int]:
    """Pins as indexes; conflicting or impossible pins stop the run."""
    mentor_at = {m.person_id: j for j, m in enumerate(mentors)}
    mentee_at = {m.person_id: i for i, m in enumerate(mentees)}
    errors, pins = [], {}
    per_mentor: Counter = Counter()
    for mentor_id, mentee_id in sorted(options.pins):
        i, j = mentee_at.get(mentee_id), mentor_at.get(mentor_id)
        if i is None or j is None:
            errors.append(
                _(
                    "Закреплённая пара не может войти в подбор: наставник или "
                    "наставляемый не участвует в нём."
                )
            )
            continue
        mentor, mentee = mentors[j], mentees[i]
        if (mentor_id, mentee_id) in options.forbids:
            errors.append(
                _("Пара %(mentor)s — %(mentee)s и закреплена, и исключена.")
                % {"mentor": mentor.name, "mentee": mentee.name}
            )
            continue
        if i in pins:
            errors.append(
                _("%(mentee)s закреплён(а) сразу за двумя наставниками.")
                % {"mentee": mentee.name}
            )
            continue
        if np.isnan(scores[i, j]):
            reason = (
                mentee_refusal(mentee) or pick_form(mentor, mentee, forms, options)[1]
            )
            errors.append(
                _("Закреплённую пару %(mentor)s — %(mentee)s создать нельзя: %(why)s.")
                % {"mentor": mentor.name, "mentee": mentee.name, "why": reason}
            )
            continue
        pins[i] = j
        per_mentor[j] += 1
    for j, count in per_mentor.items():
        if count > mentors[j].free_places:
            errors.append(
                _(
                    "За наставником %(mentor)s закреплено %(count)s наставляемых, а "
                    "свободных мест — %(places)s."
                )
                % {
                    "mentor": mentors[j].name,
                    "count": count,
                    "places": mentors[j].free_places,
                }
            )
    if errors:
        raise MatchingError(errors, code="pins")
    return pins


def _unmatched_reasons(mentors, mentees, forms, options, scores, *, placed):
    """Why each mentee left out is; a district leaves out hundreds for a few
    reasons, so each sentence is formatted once."""
    allowed = np.count_nonzero(~np.isnan(scores), axis=1).tolist()
    too_few: dict[int, str] = {}
    reasons = {}
    for i, mentee in enumerate(mentees):
        if i in placed:
            continue
        own = mentee_refusal(mentee)
        if own:
            reasons[mentee.person_id] = own
        elif allowed[i]:
            if allowed[i] not in too_few:
                too_few[allowed[i]] = _(
                    "подходящих наставников (%(n)s) не хватило: свободных мест "
                    "меньше, чем наставляемых"
                ) % {"n": allowed[i]}
            reasons[mentee.person_id] = too_few[allowed[i]]
        else:
            # Only here, for the few nobody may take, is each refusal spelled out.
            refusals = Counter(
                pick_form(mentor, mentee, forms, options)[1] for mentor in mentors
            )
            common = [reason for reason, _count in refusals.most_common(2)]
            reasons[mentee.person_id] = _("нет подходящего наставника: %(reasons)s") % {
                "reasons": "; ".join(common)
            }
    return reasons
