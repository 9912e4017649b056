"""The report's figures as labelled rows: one list for the page, the
workbook and the printed document, so the three always agree."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring.models import Pair, Person

from .indicators import Indicators


@dataclass(frozen=True)
class Figure:
    label: str
    value: object  # int, Decimal or None (no data)
    unit: str = ""
    level: int = 0  # 1: a «в том числе» row


@dataclass(frozen=True)
class Section:
    title: str
    figures: list[Figure]


def _by(counter, choices) -> list[Figure]:
    return [
        Figure(str(choices(value).label), n, level=1)
        for value, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if n
    ]


def sections(ind: Indicators) -> list[Section]:
    return [
        Section(
            "Педагогические работники и участники наставничества",
            [
                Figure("Педагогических работников", ind.teachers),
                Figure(
                    "из них молодых специалистов (стаж до 3 лет)",
                    ind.young_teachers,
                    level=1,
                ),
                Figure("из них в возрасте до 35 лет", ind.teachers_under_35, level=1),
                Figure("Наставников", ind.mentors),
                *_by(ind.mentors_by_category, Person.Category),
                Figure(
                    "Доля педагогических работников — наставников",
                    ind.mentor_share,
                    "%",
                ),
                Figure("Наставляемых", ind.mentees),
                *_by(ind.mentees_by_category, Person.Category),
                Figure("Наставляемых на одного наставника", ind.mentees_per_mentor),
            ],
        ),
        Section(
            "Молодые педагоги в наставничестве",
            [
                Figure("Молодых специалистов — наставляемых", ind.young_mentees),
                Figure(
                    "Доля молодых специалистов в наставничестве",
                    ind.young_share,
                    "%",
                ),
                Figure("Педагогов до 35 лет — наставляемых", ind.mentees_under_35),
                Figure(
                    "Доля педагогов до 35 лет в наставничестве", ind.under_35_share, "%"
                ),
            ],
        ),
        Section(
            "Наставнические пары и группы",
            [
                Figure("Пар и групп", ind.pairs + ind.groups),
                Figure("пар", ind.pairs, level=1),
                Figure("групп", ind.groups, level=1),
                *[
                    Figure(f"вида «{f.label}»", f.value, level=1)
                    for f in _by(ind.by_format, Pair.Format)
                ],
            ],
        ),
        Section(
            "Завершение программ наставничества",
            [
                Figure("Завершено", ind.completed),
                Figure("Прекращено досрочно", ind.terminated),
                *_by(ind.terminated_by_reason, Pair.TerminationReason),
                Figure("Продолжаются после планового срока", ind.overdue),
                Figure("Доля завершённых программ", ind.completion_rate, "%"),
            ],
        ),
        Section(
            "Встречи и обратная связь",
            [
                Figure("Проведено встреч", ind.meetings),
                Figure(
                    "с формой обратной связи наставника",
                    ind.meetings_mentor_feedback,
                    level=1,
                ),
                Figure(
                    "с формой обратной связи наставляемого",
                    ind.meetings_mentee_feedback,
                    level=1,
                ),
                Figure("с формами обеих сторон", ind.meetings_full_feedback, level=1),
                Figure("Полнота обратной связи", ind.feedback_rate, "%"),
            ],
        ),
        Section(
            "Удовлетворённость участием",
            [
                Figure("Удовлетворённость наставляемых", ind.mentee_satisfaction, "%"),
                Figure("Удовлетворённость наставников", ind.mentor_satisfaction, "%"),
                Figure(
                    "Ответили на анкету удовлетворённости", ind.satisfaction_respondents
                ),
                Figure("Доля ответивших от числа участников", ind.response_rate, "%"),
            ],
        ),
        Section(
            "Входное и итоговое анкетирование (оценка влияния)",
            [
                Figure("Средний балл входного анкетирования", ind.impact_before),
                Figure("Средний балл итогового анкетирования", ind.impact_after),
                Figure("Изменение среднего балла", ind.growth),
            ],
        ),
    ]


def forms_table(ind: Indicators) -> list[tuple[str, int, int]]:
    """(form, pairs, groups), in the catalogue's order."""
    return [(form, pairs, groups) for form, (pairs, groups) in ind.by_form.items()]
