"""A questionnaire's form printed without crispy's templates is crispy's
markup, byte for byte (surveys/form_markup.py)."""

import pytest
from django.template import engines

from surveys.forms import ResponseForm
from surveys.models import Question

KIND = Question.Kind
QUESTIONS = [
    Question(
        pk=1,
        text="Цель <b>достигнута</b>",
        kind=KIND.SCALE,
        scale_min=1,
        scale_max=10,
        min_label="совсем нет",
        max_label="полностью & сразу",
    ),
    Question(pk=2, text="Без подписей", kind=KIND.SCALE, scale_min=0, scale_max=2),
    Question(pk=3, text="Помощь", kind=KIND.SINGLE, choices=["да", "нет & <x>"]),
    Question(
        pk=4, text="Что", kind=KIND.MULTIPLE, choices=["а", "б"], is_required=False
    ),
    Question(pk=5, text="Сколько уроков", kind=KIND.NUMBER),
    Question(pk=6, text="Коротко", kind=KIND.SHORT_TEXT, is_required=False),
    Question(pk=7, text="Что сделано", kind=KIND.LONG_TEXT),
]
CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")


def _crispy(**kwargs) -> str:
    return CRISPY.render({"form": ResponseForm(**kwargs), "csrf_token": "TOKEN"})


@pytest.mark.parametrize(
    "initial",
    [
        None,
        {"q5": "12", "q6": 'Кавычки " и <теги>', "q7": "Разобрали\nкарту & план"},
        {"q7": ""},
    ],
)
def test_the_plain_form_is_crispys_markup(initial):
    form = ResponseForm(questions=QUESTIONS, initial=initial)

    plain = form.plain_markup()

    assert plain == _crispy(questions=QUESTIONS, initial=initial)
    # The page's template holds the <form> and its token, not the helper.
    assert "<form" not in plain
    assert "csrfmiddlewaretoken" not in plain


def test_a_posted_form_or_a_chosen_option_is_left_to_crispy():
    posted = ResponseForm({"q5": "x"}, questions=QUESTIONS)
    chosen = ResponseForm(questions=QUESTIONS, initial={"q3": "да"})

    assert posted.plain_markup() is None
    assert chosen.plain_markup() is None


def test_a_scales_end_labels_are_shown_as_text_not_markup():
    scale = Question(
        pk=8,
        text="Шкала",
        kind=KIND.SCALE,
        scale_min=1,
        scale_max=5,
        min_label="<i>мало</i>",
        max_label='<a href="https://example.com">много</a>',
    )

    for markup in (
        ResponseForm(questions=[scale]).plain_markup(),
        _crispy(questions=[scale]),
    ):
        assert "&lt;i&gt;мало&lt;/i&gt;" in markup
        assert "<i>" not in markup
        assert "<a " not in markup
