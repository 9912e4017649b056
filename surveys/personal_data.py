"""The questionnaire answers a person gave, for their data export (152-ФЗ ст. 14)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mentoring.personal_data import Section

from .models import Answer


def answers_of(*, person) -> list[Section]:
    answers = (
        Answer.objects.filter(response__respondent=person)
        .select_related("response__questionnaire", "question")
        .order_by("response__submitted_at", "response_id", "question__position")
    )
    section = Section(
        title=_("Ответы на анкеты"),
        columns=[_("Анкета"), _("Заполнена"), _("Вопрос"), _("Ответ")],
    )
    for answer in answers:
        if answer.text_value:
            value = answer.text_value
        elif answer.choice_values:
            value = "; ".join(answer.choice_values)
        else:
            value = answer.number_value
        section.rows.append(
            [
                answer.response.questionnaire.title,
                answer.response.submitted_at,
                answer.question.text,
                value,
            ]
        )
    return [section]
