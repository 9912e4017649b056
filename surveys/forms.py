"""Forms of the participants' site: a meeting, and a questionnaire to fill."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from mentoring.models import Meeting
from mentoring.validators import TextInputsMixin

from .form_markup import plain_markup
from .models import Question


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "starts_at", "duration_minutes", "format", "topic", "outcome"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "starts_at": _(
                "Прошедшая дата — встреча внесена как проведённая, будущая — "
                "как запланированная."
            ),
            "outcome": _(
                "Для проведённой встречи. Он же войдёт в обратную связь после "
                "встречи: второй раз писать не нужно."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Сохранить встречу")))


class MeetingEditForm(MeetingForm):
    """A meeting as it stands; its date and kind are fixed once answered about."""

    def __init__(self, *args, frozen: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = (
            ""
            if frozen
            else _(
                "Будущая дата — встреча перенесена; проведённую встречу в будущее "
                "не переносят."
            )
        )
        self.fields["outcome"].help_text = _(
            "Что сделали и о чём договорились. Он же войдёт в обратную связь "
            "после встречи: второй раз писать не нужно."
        )
        self.fields["kind"].disabled = self.fields["starts_at"].disabled = frozen
        self.helper.inputs = [Submit("save", _("Сохранить изменения"))]

    def clean_starts_at(self):
        # The field shows minutes only: an untouched date keeps its seconds.
        value = self.cleaned_data["starts_at"]
        current = self.instance.starts_at
        to_minute = {"second": 0, "microsecond": 0}
        if value.replace(**to_minute) == current.replace(**to_minute):
            return current
        return value


def question_field_name(question: Question) -> str:
    return f"q{question.pk}"


class ResponseForm(TextInputsMixin, forms.Form):
    """One field per question of a version. Required answers and ranges are
    checked by the service (surveys.services.clean_answers), which names the
    field of each problem, so the rules live in one place."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        layout = []
        self.scales = set()
        for question in self.questions:
            name = question_field_name(question)
            self.fields[name] = _field_for(question)
            if question.kind == Question.Kind.SCALE:
                layout.append(InlineRadios(name))
                self.scales.add(name)
            else:
                layout.append(name)
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout)
        # The page's template holds the <form> and its CSRF token.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("send", _("Отправить")))

    def plain_markup(self):
        """What `{% crispy form %}` prints, without crispy when it can be
        (surveys.form_markup); None otherwise."""
        return plain_markup(self, scales=self.scales)

    def raw_answers(self) -> dict:
        return {
            q.pk: self.cleaned_data.get(question_field_name(q)) for q in self.questions
        }


def _field_for(question: Question) -> forms.Field:
    label = question.text + (" *" if question.is_required else "")
    common = {"label": label, "required": False}
    kind = question.kind
    if kind == Question.Kind.SCALE:
        ends = ""
        if question.min_label or question.max_label:
            ends = _("%(lo)s — %(lo_label)s, %(hi)s — %(hi_label)s") % {
                "lo": question.scale_min,
                "hi": question.scale_max,
                "lo_label": question.min_label,
                "hi_label": question.max_label,
            }
        values = range(question.scale_min, question.scale_max + 1)
        return forms.CharField(
            widget=forms.RadioSelect(choices=[(str(v), str(v)) for v in values]),
            # crispy prints help text as markup (help_text.html: `|safe`), and
            # the ends' labels are whatever the questionnaire's author typed.
            help_text=escape(ends),
            **common,
        )
    if kind == Question.Kind.SINGLE:
        return forms.CharField(
            widget=forms.RadioSelect(choices=[(c, c) for c in question.choices]),
            **common,
        )
    if kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Выберите вариант из списка.")},
            **common,
        )
    if kind == Question.Kind.NUMBER:
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    if kind == Question.Kind.SHORT_TEXT:
        return forms.CharField(max_length=500, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
