"""Input shape of the review's pages; the rules live in reviews.services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from roadmap.models import Roadmap

from .models import Review


class SubmitForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("Что направить"),
        choices=Review.Subject.choices,
        widget=forms.RadioSelect,
    )
    roadmap = forms.ModelChoiceField(
        label=_("Дорожная карта"),
        queryset=Roadmap.objects.none(),
        required=False,
        help_text=_("Для дорожной карты: какую из карт организации."),
    )
    title = forms.CharField(
        label=_("Наименование документа"),
        max_length=500,
        required=False,
        help_text=_(
            "Для программы: например «Программа наставничества педагогических "
            "работников на 2025/2026 учебный год». Для дорожной карты можно "
            "не заполнять."
        ),
    )
    url = forms.CharField(
        label=_("Ссылка на документ"),
        max_length=500,
        required=False,
        help_text=_("Страница на сайте школы (https://…) или в «Наставнике» (/…)."),
    )
    note = forms.CharField(
        label=_("Сопроводительное письмо"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Что изменилось после замечаний, если документ направлен снова."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].queryset = Roadmap.objects.filter(
            organization=organization, is_template=False
        ).order_by("-year", "title")
        self.fields["roadmap"].label_from_instance = str
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Направить на экспертизу")))

    def clean(self):
        data = super().clean()
        subject = data.get("subject")
        if subject == Review.Subject.ROADMAP and not data.get("roadmap"):
            self.add_error("roadmap", _("Выберите дорожную карту."))
        if subject == Review.Subject.PROGRAM and not data.get("title", "").strip():
            self.add_error("title", _("Укажите наименование программы."))
        return data


class DecisionForm(forms.Form):
    comments = forms.CharField(
        label=_("Замечания и рекомендации"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Обязательны, если документ возвращается на доработку."),
    )
