"""Input shape of an event; the rules live in events.services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.models import District

from .models import Event


class EventForm(forms.ModelForm):
    # The superuser has no district of their own: they choose it.
    district = forms.ModelChoiceField(
        label=_("Район"), queryset=District.objects.none(), required=False
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "time",
            "place",
            "hours",
            "programme",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "programme": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, choose_district: bool, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("kind", Event.Kind.SEMINAR)
        if choose_district:
            self.fields["district"].queryset = District.objects.order_by("name")
            self.fields["district"].required = True
        else:
            del self.fields["district"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit))
