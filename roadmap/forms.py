"""Input shape and field checks; the rules live in roadmap.services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mentoring.dates import academic_year
from mentoring.models import Role

from . import services
from .models import Activity, Roadmap, Stage

TEMPLATE_LABELS = {
    "teachers": _("Педагогических работников (методические рекомендации 2021 г.)"),
    "students": _("Обучающихся (распоряжение Минпросвещения № Р-145)"),
    "district": _("Района: пилотные образовательные учреждения"),
}


class RoadmapFromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Шаблон"), queryset=Roadmap.objects.none(), empty_label=None
    )
    year = forms.IntegerField(
        label=_("Учебный год (начало)"),
        min_value=2000,
        max_value=2100,
        help_text=_("Например 2025 — это 2025/2026 учебный год."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        layout = (
            Roadmap.Layout.DISTRICT
            if user.role == Role.METHODOLOGIST
            else Roadmap.Layout.SCHOOL
        )
        self.fields["template"].queryset = Roadmap.objects.filter(
            is_template=True, layout=layout
        ).order_by("code")
        self.fields["template"].label_from_instance = lambda r: TEMPLATE_LABELS.get(
            r.code, r.short_title
        )
        self.initial.setdefault("year", academic_year())
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Создать дорожную карту")))


class ActivityAdminForm(forms.ModelForm):
    """Shows on its fields what the services would refuse (a deadline that is
    not a month, a responsible person of another organization), before the
    admin calls them. Status and its date are not fields: actions change them."""

    class Meta:
        model = Activity
        fields = [
            "position",
            "content",
            "deadline_text",
            "responsible",
            "responsible_roles",
            "code",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "deadline_text": forms.TextInput(attrs={"size": 60}),
        }

    def clean(self):
        cleaned = super().clean()
        roadmap = getattr(self, "roadmap", None)
        if roadmap is None and self.instance.stage_id:
            roadmap = self.instance.stage.roadmap
        if roadmap is None:
            return cleaned
        self.instance.deadline_text = " ".join(
            (cleaned.get("deadline_text") or "").split()
        )
        try:
            services.apply_deadline(self.instance, year=roadmap.year)
        except ValidationError as error:
            self.add_error("deadline_text", error.message_dict["deadline_text"])
        try:
            services.check_responsible(
                roadmap=roadmap,
                persons=cleaned.get("responsible") or [],
                by=getattr(self, "user", None),
            )
        except ValidationError as error:
            self.add_error("responsible", error)
        return cleaned


class StageAdminForm(forms.ModelForm):
    """A stage on its own page: its roadmap is shown, not a field, yet its
    number is unique within it, so the form checks that rule too."""

    class Meta:
        model = Stage
        fields = ["position", "number", "name"]

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard("roadmap")
        return exclude


class StageFormSet(forms.BaseInlineFormSet):
    """«1» and «1.» are one stage: refused across the rows of one form, which
    the database constraint would only refuse on saving."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            number = (form.cleaned_data.get("number") or "").strip()
            key = number.rstrip(".")
            if key in seen:
                form.add_error(
                    "number",
                    ValidationError(
                        _("Этап с номером «%(number)s» в дорожной карте уже есть.")
                        % {"number": number},
                        code="stage_number_twice",
                    ),
                )
            seen.add(key)
