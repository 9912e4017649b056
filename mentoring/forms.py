"""Input shape and field checks; the rules themselves live in services."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import mail, services
from .dates import rest_of_academic_year
from .matching.scoring import Weights
from .models import (
    MatchingRun,
    Meeting,
    MenteeProfile,
    MentorAgreement,
    MentoringForm,
    MentorProfile,
    Pair,
    Participation,
)
from .services.meetings import meeting_version
from .validators import TextInputsMixin


class BankEntryForm(forms.ModelForm):
    """Shows the consent rule next to the person, before anything is saved."""

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person") or getattr(self.instance, "person", None)
        status = cleaned.get("status")
        if person is not None and status:
            try:
                services.check_bank_entry(person=person, status=status)
            except ValidationError as error:
                self.add_error("person" if "person" in self.fields else None, error)
        return cleaned


class MentorProfileForm(BankEntryForm):
    class Meta:
        model = MentorProfile
        fields = [
            "person",
            "status",
            "capacity",
            "forms",
            "competencies",
            "entered_on",
            "notes",
        ]


class MenteeProfileForm(BankEntryForm):
    class Meta:
        model = MenteeProfile
        fields = [
            "person",
            "status",
            "category",
            "requests",
            "difficulties",
            "desired_forms",
            "source",
            "entered_on",
            "notes",
        ]


class ParticipationFormSet(forms.BaseInlineFormSet):
    """Checks the whole composition of a pair at once, with the pair's own form."""

    def clean(self):
        # Our rules first: they say «нельзя быть наставником самому себе» where
        # the generic unique check would only say «повторяющиеся данные».
        if any(self.errors):
            return
        if self.instance.pk and not self.instance.is_editable:
            return  # shown read-only: the people of an approved pair are fixed
        self.check_composition()
        super().clean()

    def check_composition(self):
        mentors, mentees = self.participants()
        pair = self.instance
        if pair.organization_id is None or pair.form_id is None:
            return
        try:
            services.check_pair_composition(
                organization=pair.organization,
                form=pair.form,
                mentors=mentors,
                mentees=mentees,
                pair=pair,
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def participants(self):
        mentors, mentees = [], []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            person = form.cleaned_data.get("person")
            if person is None:
                continue
            role = form.cleaned_data.get("role")
            (mentors if role == Participation.Role.MENTOR else mentees).append(person)
        return mentors, mentees


class MeetingAdminForm(forms.ModelForm):
    """The back office's meeting form; `version` guards against a second editor."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "pair",
            "kind",
            "starts_at",
            "duration_minutes",
            "format",
            "topic",
            "outcome",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = meeting_version(self.instance)
            self.fields["version"].required = True


class TerminatePairsForm(TextInputsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Причина прекращения"),
        choices=[("", "—"), *Pair.TerminationReason.choices],
    )
    comment = forms.CharField(label=_("Комментарий"), required=False, max_length=500)


class ReturnOrderForm(TextInputsMixin, forms.Form):
    comment = forms.CharField(
        label=_("Что исправить"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Напишите, что нужно исправить в приказе."),
        },
    )


class PaperSignedOrderForm(forms.Form):
    """The number and date the school's paper journal gave a signed order."""

    number = forms.IntegerField(
        label=_("Номер по журналу приказов"),
        min_value=1,
        help_text=_("Только число: префикс и суффикс (например «-од») добавятся."),
        error_messages={"required": _("Укажите номер приказа по журналу.")},
    )
    signed_on = forms.DateField(
        label=_("Дата приказа"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Укажите дату приказа.")},
    )


# ---------------------------------------------------------------- matching


class PairTermForm(forms.Form):
    """The term of the pairs drafted from a run: the order states it, so a pair
    never reaches the director without one (by default, the rest of the year)."""

    starts_on = forms.DateField(
        label=_("Начало наставничества"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"},
            format="%Y-%m-%d",
        ),
        error_messages={"required": _("Укажите дату начала наставничества.")},
    )
    ends_on = forms.DateField(
        label=_("Окончание наставничества"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"},
            format="%Y-%m-%d",
        ),
        error_messages={"required": _("Укажите дату окончания наставничества.")},
    )

    def __init__(self, *args, **kwargs):
        starts_on, ends_on = rest_of_academic_year()
        kwargs.setdefault("initial", {"starts_on": starts_on, "ends_on": ends_on})
        super().__init__(*args, **kwargs)


class MatchingRunForm(forms.Form):
    """Settings of one matching run: forms, method, weights."""

    mentoring_forms = forms.ModelMultipleChoiceField(
        label=_("Формы наставничества"),
        queryset=MentoringForm.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("Способ подбора"),
        choices=MatchingRun.Mode.choices,
        initial=MatchingRun.Mode.OPTIMAL,
        widget=forms.RadioSelect,
    )
    make_groups = forms.BooleanField(
        label=_("Объединять наставляемых одного наставника в группу"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = Weights()
        for name, label in Weights.LABELS.items():
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=label,
                min_value=0,
                max_value=10,
                initial=getattr(defaults, name),
                widget=forms.NumberInput(
                    attrs={"type": "range", "min": 0, "max": 10, "step": 0.5}
                ),
            )

    def weights(self) -> Weights:
        return Weights.from_mapping(
            {name: self.cleaned_data[f"weight_{name}"] for name in Weights.LABELS}
        )

    def weight_fields(self):
        return [self[f"weight_{name}"] for name in Weights.LABELS]


class InvitationCodeForm(TextInputsMixin, forms.Form):
    """The login and one-time code from a printed login slip."""

    login = forms.CharField(
        label=_("Логин"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    code = forms.CharField(
        label=_("Одноразовый код"),
        max_length=40,
        help_text=_("С бланка входа, например ABCDE-FGH23; дефис можно не вводить."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class PasswordResetByMailForm(PasswordResetForm):
    """Django's reset form, its letter sent as all our mail is (mentoring.mail):
    after commit, by a task that retries a mail server that is down."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        # SITE_URL when set, as in every other letter; else the address the
        # request came to, which ALLOWED_HOSTS has checked.
        site = settings.SITE_URL.rstrip("/") or (
            f"{context['protocol']}://{context['domain']}"
        )
        mail.send_templated(
            name="password_reset",
            to=[to_email],
            context={
                "user": context["user"],
                "url": site + path,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )


class MentorAgreementForm(forms.ModelForm):
    """The terms of the mentor's agreement the curator fills (ТК РФ ст. 351.8)."""

    class Meta:
        model = MentorAgreement
        fields = [
            "concluded_on",
            "contract_number",
            "contract_date",
            "content",
            "starts_on",
            "ends_on",
            "pay",
            "pay_value",
            "other_terms",
            "scan",
        ]
        widgets = {
            "concluded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contract_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "content": forms.Textarea(attrs={"rows": 5}),
            "other_terms": forms.Textarea(attrs={"rows": 3}),
            "pay": forms.RadioSelect,
        }
        help_texts = {
            "pay_value": _("Процент от оклада (ставки) или рублей в месяц."),
        }

    def clean(self):
        # The database says it too (constraints); here each message stands
        # under its own field.
        cleaned = super().clean()
        pay, value = cleaned.get("pay"), cleaned.get("pay_value")
        if pay == MentorAgreement.Pay.NONE:
            if not cleaned.get("other_terms", "").strip():
                self.add_error(
                    "other_terms", _("Без доплаты укажите иные условия наставничества.")
                )
        elif pay and "pay_value" not in self.errors:
            if value is None:
                self.add_error("pay_value", _("Укажите размер доплаты."))
            elif value <= 0:
                self.add_error("pay_value", _("Размер доплаты должен быть больше 0."))
            elif pay == MentorAgreement.Pay.PERCENT and value > 100:
                self.add_error("pay_value", _("Доплата в процентах — не больше 100 %."))
        return cleaned
