"""Persons, their consents and the two banks."""

import functools

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from mentoring import selectors, services
from mentoring.forms import MenteeProfileForm, MentorProfileForm
from mentoring.models import (
    BankStatus,
    Consent,
    MenteeProfile,
    MentorAgreement,
    MentorProfile,
    MentorTraining,
    Participation,
    Person,
    ProgramResult,
    Role,
)
from mentoring.services.agreements import is_employee

from .base import (
    CatalogueFilter,
    ScopedAdminMixin,
    ScopedInlineMixin,
    formset_saved_by_service,
    report_errors,
)
from .documents import DocumentInline, NewDocumentInline
from .lists import yes_no_column
from .logins import (
    STAFF_LOGIN_ACTIONS,
    create_participant_logins,
    renew_participant_invitations,
)
from .orders import consent_forms, consent_transfer_forms
from .people_import import import_urls


class ConsentStateFilter(admin.SimpleListFilter):
    """Valid personal-data consent (a minor's by the legal representative)."""

    title = _("согласие на обработку ПДн")
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [("valid", _("действует")), ("missing", _("нет действующего"))]

    def queryset(self, request, queryset):
        if self.value() == "valid":
            return queryset.filter(has_valid_consent=True)
        if self.value() == "missing":
            return queryset.filter(has_valid_consent=False)
        return queryset


class BankFilter(admin.SimpleListFilter):
    title = _("банк")
    parameter_name = "bank"

    def lookups(self, request, model_admin):
        return [
            ("mentor", _("в банке наставников")),
            ("mentee", _("в банке наставляемых")),
            ("none", _("ни в одном банке")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "mentor":
            return queryset.filter(mentor_profile__isnull=False)
        if self.value() == "mentee":
            return queryset.filter(mentee_profile__isnull=False)
        if self.value() == "none":
            return queryset.filter(
                mentor_profile__isnull=True, mentee_profile__isnull=True
            )
        return queryset


def consent_state(consent: Consent) -> str:
    today = timezone.localdate()
    if consent.is_withdrawn(today):
        return _("отозвано %(day)s") % {
            "day": date_format(consent.withdrawn_on, "SHORT_DATE_FORMAT")
        }
    if consent.is_expired(today):
        return _("истекло %(day)s") % {
            "day": date_format(consent.valid_until, "SHORT_DATE_FORMAT")
        }
    if consent.given_on > today:
        return _("ещё не действует")
    return _("действует")


class ConsentInline(ScopedInlineMixin, admin.TabularInline):
    """Consents on file: legal records, read-only; withdraw them from the list."""

    model = Consent
    extra = 0
    can_delete = False
    verbose_name_plural = _("согласия")
    fields = [
        "kind",
        "medium",
        "given_at",
        "text_version",
        "valid_until",
        "representative_name",
        "withdrawn_on",
        "state",
        "scan",
    ]
    readonly_fields = [
        "kind",
        "medium",
        "given_at",
        "text_version",
        "valid_until",
        "representative_name",
        "withdrawn_on",
        "state",
        "scan",
    ]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("состояние"))
    def state(self, consent):
        return consent_state(consent)


class MentorAgreementInline(ScopedInlineMixin, admin.TabularInline):
    """The mentor's agreements (ТК РФ ст. 351.8), kept beside the written
    consent to the duties; filled and printed on the agreement's own page."""

    model = MentorAgreement
    fk_name = "mentor"
    extra = 0
    can_delete = False
    verbose_name_plural = _("соглашения о наставничестве (ст. 351.8 ТК РФ)")
    fields = ["pair", "starts_on", "ends_on", "pay_display", "scan", "page"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pair")

    @admin.display(description=_("оплата"))
    def pay_display(self, agreement):
        if agreement.pay == MentorAgreement.Pay.PERCENT:
            return _("доплата %(value)s %%") % {"value": agreement.pay_value_text}
        if agreement.pay == MentorAgreement.Pay.AMOUNT:
            return _("доплата %(value)s руб. в месяц") % {
                "value": agreement.pay_value_text
            }
        return agreement.get_pay_display()

    @admin.display(description=_("соглашение"))
    def page(self, agreement):
        return format_html(
            '<a href="{}">{}</a>',
            reverse(
                "mentoring:agreement", args=[agreement.pair_id, agreement.mentor_id]
            ),
            _("открыть и распечатать"),
        )


class NewConsentInline(ScopedInlineMixin, admin.StackedInline):
    """A row to record a newly received consent (goes through `give_consent`)."""

    model = Consent
    extra = 1
    can_delete = False
    verbose_name = _("новое согласие")
    verbose_name_plural = _("внести новое согласие")
    fields = [
        "kind",
        ("medium", "given_on", "valid_until"),
        "representative_name",
        "scan",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, admin.ModelAdmin):
    add_title = _("Новый участник")
    organization_field = "organization"
    list_display = [
        "full_name_display",
        "category",
        "position_or_class",
        "consent_ok",
        "transfer_ok",
        "banks",
        "organization",
    ]
    list_filter = [
        "category",
        ConsentStateFilter,
        BankFilter,
        "qualification",
        "organization",
    ]
    search_fields = [
        "last_name",
        "first_name",
        "patronymic",
        "position",
        "school_class",
        "email",
        "school_id",
    ]
    list_select_related = ["organization", "mentor_profile", "mentee_profile"]
    # What the rows print (mentoring/admin/lists.py): a person with the
    # profiles and the school is seventy columns, the list shows ten.
    list_only = [
        "last_name",
        "first_name",
        "patronymic",
        "category",
        "position",
        "school_class",
        "organization__short_name",
        "mentor_profile__id",
        "mentee_profile__id",
    ]
    list_per_page = 50
    show_full_result_count = False
    inlines = [
        ConsentInline,
        NewConsentInline,
        MentorAgreementInline,
        DocumentInline,
        NewDocumentInline,
    ]
    actions = [
        consent_forms,
        consent_transfer_forms,
        renew_participant_invitations,
        *STAFF_LOGIN_ACTIONS,
    ]
    readonly_fields = [
        "pairs_display",
        "results_display",
        "user",
        "anonymised_at",
        "personal_data_links",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("last_name", "first_name", "patronymic"),
                    ("gender", "birth_date"),
                    ("category", "school_id"),
                    "organization",
                ]
            },
        ),
        (
            _("Работник"),
            {"fields": ["position", "subjects", "teaching_since", "qualification"]},
        ),
        (_("Обучающийся"), {"fields": ["school_class", "legal_representative"]}),
        (_("Контакты"), {"fields": ["email", "phone", "user"]}),
        (
            _("Склонение ФИО и должности в документах"),
            {
                "classes": ["collapse"],
                "description": _(
                    "ФИО и должность склоняются автоматически. Заполните падеж, "
                    "только если в приказе получилось неверно (например, «Малец» → "
                    "«Мальца»). Исправление попадает и в проекты приказов."
                ),
                "fields": [
                    "name_genitive",
                    "name_dative",
                    "name_accusative",
                    "name_instrumental",
                    "name_prepositional",
                    "position_genitive",
                    "position_dative",
                    "position_accusative",
                    "position_instrumental",
                ],
            },
        ),
        (_("Наставничество"), {"fields": ["pairs_display", "results_display"]}),
        (
            _("Персональные данные"),
            {
                "description": _(
                    "Данные обезличиваются через %(days)s дней после отзыва или "
                    "истечения согласия на обработку, если не указано иное "
                    "законное основание хранения со сроком."
                )
                % {"days": settings.PERSONAL_DATA_DESTRUCTION_DAYS},
                "fields": [
                    "personal_data_links",
                    ("retention_basis", "retain_until"),
                    "anonymised_at",
                ],
            },
        ),
    ]

    def get_inlines(self, request, obj):
        # Only an employee mentors under the Labour Code: no agreements table
        # on a pupil's card, nor on a person not yet saved. The stored
        # category decides, not the one being posted: the form posted holds
        # the table only if the page it came from showed it.
        inlines = super().get_inlines(request, obj)
        stored = (
            obj is not None and obj.pk is not None and Person.objects.get(pk=obj.pk)
        )
        if not stored or not is_employee(stored):
            inlines = [i for i in inlines if i is not MentorAgreementInline]
        return inlines

    def prepare_rows(self, rows):
        return rows.annotate(**_consent_columns(self.prepared_key()))

    def prepared_key(self):
        # The consent columns hold on a day: the next day's are built anew.
        return timezone.localdate()

    def xlsx_response(self, request, queryset):
        # The district is a third party to the school: a person goes into its
        # download only on their consent to transfer (156-ФЗ).
        if request.user.role == Role.METHODOLOGIST and not request.user.is_superuser:
            queryset = queryset.filter(has_transfer_consent=True)
        return super().xlsx_response(request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            # Staff logins are the administrator's to give.
            for action in STAFF_LOGIN_ACTIONS:
                actions.pop(action.__name__, None)
        return actions

    def get_urls(self):
        return import_urls(self) + super().get_urls()

    @admin.display(description=_("ФИО"), ordering="last_name")
    def full_name_display(self, person):
        return person.full_name

    @admin.display(description=_("должность / класс"))
    def position_or_class(self, person):
        return person.school_class or person.position

    @yes_no_column(description=_("согласие ПДн"), ordering="has_valid_consent")
    def consent_ok(self, person):
        return person.has_valid_consent

    @yes_no_column(description=_("передача ПДн"), ordering="has_transfer_consent")
    def transfer_ok(self, person):
        return person.has_transfer_consent

    @admin.display(description=_("банки"))
    def banks(self, person):
        names = []
        if _has(person, "mentor_profile"):
            names.append(str(_("наставник")))
        if _has(person, "mentee_profile"):
            names.append(str(_("наставляемый")))
        return ", ".join(names) or "—"

    @admin.display(description=_("документы"))
    def personal_data_links(self, person):
        if person.pk is None:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            (
                (
                    reverse("mentoring:consent-form", args=[person.pk]),
                    _("Бланк согласия на обработку персональных данных (PDF)"),
                ),
                (
                    reverse("mentoring:consent-form-transfer", args=[person.pk]),
                    _("Бланк согласия на передачу третьим лицам (PDF)"),
                ),
                (
                    reverse("mentoring:person-data-export", args=[person.pk]),
                    _("Все сведения об участнике по его запросу (ZIP)"),
                ),
                *(
                    [
                        (
                            reverse("mentoring:mentor-portfolio", args=[person.pk]),
                            _("Портфолио наставника для аттестации (PDF)"),
                        )
                    ]
                    if _has(person, "mentor_profile")
                    else []
                ),
            ),
        )

    # Issue 14, the information base: results of completed programs.
    @admin.display(description=_("результаты программ (информационная база)"))
    def results_display(self, person):
        if person.pk is None:
            return "—"
        results = ProgramResult.objects.filter(person=person).order_by(
            "-completed_on", "-pk"
        )
        if not results:
            return _("завершённых программ нет")
        return format_html_join(
            "",
            "<div>{} — {}: {}, {}. {}</div>{}",
            (
                (
                    date_format(result.completed_on, "SHORT_DATE_FORMAT"),
                    result.get_role_display(),
                    result.subject,
                    result.get_outcome_display().lower(),
                    result.summary,
                    format_html(
                        '<div class="help">{}: {}</div>',
                        _("документы"),
                        "; ".join(result.document_lines),
                    )
                    if result.documents
                    else "",
                )
                for result in results
            ),
        )

    @admin.display(description=_("пары и группы"))
    def pairs_display(self, person):
        if person.pk is None:
            return "—"
        rows = (
            Participation.objects.filter(person=person)
            .select_related("pair__form")
            .order_by("-pair__created_at")
        )
        if not rows:
            return _("не входит ни в одну пару или группу")
        return format_html_join(
            "",
            '<div><a href="{}">{}</a>: {}, {} — {}</div>',
            (
                (
                    reverse("admin:mentoring_pair_change", args=[row.pair_id]),
                    row.pair,
                    row.get_role_display(),
                    row.pair.form.name,
                    row.pair.get_status_display(),
                )
                for row in rows
            ),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Consent:
            return super().save_formset(request, form, formset, change)
        given = []
        for consent_form in formset.forms:
            if not consent_form.has_changed() or consent_form.instance.pk:
                continue
            data = consent_form.cleaned_data
            consent = services.give_consent(
                person=form.instance,
                kind=data["kind"],
                medium=data["medium"],
                given_on=data["given_on"],
                valid_until=data.get("valid_until"),
                representative_name=data.get("representative_name", ""),
                scan=data.get("scan"),
                by=request.user,
            )
            given.append(consent)
        formset_saved_by_service(formset, given)
        return None


@functools.lru_cache(maxsize=2)
def _consent_columns(day):
    """The persons' two consent states on `day`, as `with_consent_state` and
    `has_valid_transfer_consent` give them, built once a day.

    Building the two conditions (a queryset of consents each, with the
    person's age in an OR) was four fifths of the admin's queryset and
    about a sixth of the persons list's Python (issue 15); resolving them
    into a query was most of the rest, now done once a day too
    (`PersonAdmin.prepare_rows`).
    """
    return {
        "has_valid_consent": _compiled_once(selectors.has_valid_data_consent(day)),
        "has_transfer_consent": _compiled_once(
            selectors.has_valid_transfer_consent(day)
        ),
    }


class _CompiledOnceExists(Exists):
    """An EXISTS that, resolved into a query, compiles its SQL once.

    The persons list's rows are one prepared query cloned per request
    (`PersonAdmin.prepare_rows`), the clones sharing its resolved columns:
    compiling the two consent subqueries again was about a millisecond of
    every page (issue 15), and more so resolving them again: Django's
    lookup resolves its left side anew each time it compiles (the column
    is `EXISTS(…) = true`), a copy of the whole subquery. Once resolved, its
    query is fixed: resolving it again gives the same, and so does its SQL.
    A copy (relabelling it into another query's subquery) starts anew.
    """

    _compiled = None
    _resolved = False

    def copy(self):
        clone = super().copy()
        clone._compiled = None
        clone._resolved = False
        return clone

    def resolve_expression(self, *args, **kwargs):
        if self._resolved:
            return self
        resolved = super().resolve_expression(*args, **kwargs)
        resolved._resolved = True
        return resolved

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if template is not None or extra_context:
            return super().as_sql(compiler, connection, template, **extra_context)
        compiled = self._compiled
        if compiled is None or compiled[0] != connection.alias:
            sql, params = super().as_sql(compiler, connection)
            compiled = self._compiled = (connection.alias, sql, tuple(params))
        return compiled[1], list(compiled[2])


def _compiled_once(condition: Q) -> Q:
    (exists,) = condition.children
    return Q(_CompiledOnceExists(exists.query))


def _has(person: Person, attr: str) -> bool:
    try:
        getattr(person, attr)
    except (MentorProfile.DoesNotExist, MenteeProfile.DoesNotExist):
        return False
    return True


class ConsentValidityFilter(admin.SimpleListFilter):
    title = _("состояние")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("valid", _("действует")),
            ("withdrawn", _("отозвано")),
            ("expired", _("истекло")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "valid":
            return queryset.valid_on(today)
        if self.value() == "withdrawn":
            return queryset.withdrawn_by(today)
        if self.value() == "expired":
            return queryset.expired_by(today)
        return queryset


@admin.register(Consent)
class ConsentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    add_title = _("Новое согласие")
    list_display = [
        "person",
        "kind",
        "given_on",
        "valid_until",
        "withdrawn_on",
        "state",
        "medium",
    ]
    list_filter = ["kind", ConsentValidityFilter, "medium"]
    search_fields = [
        "person__last_name",
        "person__first_name",
        "person__patronymic",
        "representative_name",
    ]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
    date_hierarchy = "given_on"
    show_full_result_count = False
    actions = ["withdraw"]
    fields = [
        "person",
        "kind",
        "medium",
        "representative_name",
        "purposes",
        "given_on",
        "given_at",
        "text_version",
        "valid_until",
        "withdrawn_on",
        "scan",
        "recorded_by",
        "recorded_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The moment and the text's version are the service's to record.
        base = ["given_at", "text_version", "withdrawn_on", "recorded_by"]
        base.append("recorded_at")
        if obj is None:
            return base
        # A consent on file is a legal record: only its scan may be attached later.
        return [f for f in self.fields if f != "scan"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("состояние"))
    def state(self, consent):
        return consent_state(consent)

    def save_model(self, request, obj, form, change):
        if change:
            if "scan" in form.changed_data:
                services.replace_consent_scan(
                    consent=obj, scan=form.cleaned_data["scan"], by=request.user
                )
            return
        data = form.cleaned_data
        saved = services.give_consent(
            person=data["person"],
            kind=data["kind"],
            medium=data["medium"],
            given_on=data["given_on"],
            valid_until=data.get("valid_until"),
            representative_name=data.get("representative_name", ""),
            purposes=data.get("purposes"),
            scan=data.get("scan"),
            by=request.user,
        )
        obj.pk = saved.pk

    @admin.action(
        description=_("Отозвать выбранные согласия (сегодняшней датой)"),
        permissions=["change"],
    )
    def withdraw(self, request, queryset):
        withdrawn = []
        for consent in queryset:
            try:
                withdrawn.append(
                    services.withdraw_consent(consent=consent, by=request.user)
                )
            except ValidationError as error:
                report_errors(self, request, error)
        if withdrawn:
            self.message_user(
                request, _("Отозвано согласий: %(n)s.") % {"n": len(withdrawn)}
            )
        for person, pairs in selectors.suspended_pairs_of(
            person_ids={c.person_id for c in withdrawn}
        ).items():
            self.message_user(
                request,
                _(
                    "%(name)s: пары/группы %(pairs)s приостановлены. Решите, "
                    "прекратить их или возобновить после нового согласия."
                )
                % {
                    "name": person.full_name,
                    "pairs": ", ".join(f"№ {pk}" for pk in pairs),
                },
                level=messages.WARNING,
            )


class MentorTrainingInline(ScopedInlineMixin, admin.TabularInline):
    model = MentorTraining
    extra = 0
    fields = ["kind", "programme", "completed_on", "hours", "certificate"]


class TrainedFilter(admin.SimpleListFilter):
    title = _("обучение")
    parameter_name = "trained"

    def lookups(self, request, model_admin):
        return [("yes", _("обучен")), ("no", _("не обучен"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_trained=self.value() == "yes")
        return queryset


class BankAdminMixin(ScopedAdminMixin):
    """A bank entry is written by its bank's service; once made, its status
    and date of entry change only through the actions, which call it too."""

    autocomplete_fields = ["person"]
    search_fields = ["person__last_name", "person__first_name", "person__patronymic"]
    show_full_result_count = False
    list_per_page = 50
    actions = [
        "return_to_bank",
        "exclude_from_bank",
        create_participant_logins,
        renew_participant_invitations,
    ]
    save_entry = None  # the bank's service, set by each admin
    forms_field = None  # its forms, saved by the service with the entry

    def get_readonly_fields(self, request, obj=None):
        # The archive's date and reason are set by the service when a consent
        # ends (services/withdrawals.py).
        archive = ["archived_on", "archive_reason"]
        if obj is None:
            return archive
        return ["person", "status", "entered_on", *archive]

    def save_model(self, request, obj, form, change):
        forms = form.cleaned_data.get(self.forms_field)
        self.save_entry(
            profile=obj,
            by=request.user,
            **({self.forms_field: list(forms)} if forms is not None else {}),
        )

    def save_related(self, request, form, formsets, change):
        # The forms went with the entry through its service (save_model); only
        # the inlines are left, without the admin's own save_m2m.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _set_status(self, request, queryset, to):
        moved, already = 0, []
        for profile in queryset.select_related("person"):
            if profile.status == to:
                already.append(profile.person.full_name)
                continue
            profile.status = to
            try:
                self.save_entry(profile=profile, by=request.user)
                moved += 1
            except ValidationError as error:
                report_errors(self, request, error)
        if moved:
            self.message_user(
                request,
                _("Статус «%(status)s» установлен: %(n)s.")
                % {"status": BankStatus(to).label, "n": moved},
                level=messages.SUCCESS,
            )
        if already:
            self.message_user(
                request,
                _("Уже в статусе «%(status)s», не изменены: %(names)s.")
                % {"status": BankStatus(to).label, "names": ", ".join(already)},
                level=messages.WARNING,
            )

    @admin.action(description=_("Включить в банк"), permissions=["change"])
    def return_to_bank(self, request, queryset):
        self._set_status(request, queryset, BankStatus.IN_BANK)

    @admin.action(description=_("Исключить из банка"), permissions=["change"])
    def exclude_from_bank(self, request, queryset):
        self._set_status(request, queryset, BankStatus.EXCLUDED)

    @admin.display(description=_("ФИО"), ordering="person__last_name")
    def person_name(self, profile):
        return profile.person.full_name

    @yes_no_column(description=_("согласие ПДн"), ordering="has_valid_consent")
    def consent_ok(self, profile):
        return profile.has_valid_consent


@admin.register(MentorProfile)
class MentorProfileAdmin(BankAdminMixin, admin.ModelAdmin):
    add_title = _("Включение в банк наставников")
    form = MentorProfileForm
    list_display = [
        "person_name",
        "position",
        "status",
        "load_display",
        "trained",
        "forms_display",
        "consent_ok",
    ]
    list_filter = [
        "status",
        TrainedFilter,
        ConsentStateFilter,
        ("forms", CatalogueFilter),
    ]
    search_fields = [*BankAdminMixin.search_fields, "competencies"]
    filter_horizontal = ["forms"]
    inlines = [MentorTrainingInline]
    fields = [
        "person",
        "status",
        "capacity",
        "forms",
        "competencies",
        "entered_on",
        "archived_on",
        "archive_reason",
        "notes",
    ]

    def get_queryset(self, request):
        return selectors.mentor_profiles_for_list(super().get_queryset(request))

    @admin.display(description=_("должность"))
    def position(self, profile):
        return profile.person.position or profile.person.school_class

    @admin.display(description=_("нагрузка"), ordering="load")
    def load_display(self, profile):
        text = f"{profile.load} / {profile.capacity}"
        if profile.load >= profile.capacity:
            return format_html('<strong title="{}">{}</strong>', _("мест нет"), text)
        return text

    @yes_no_column(description=_("обучен"), ordering="is_trained")
    def trained(self, profile):
        return profile.is_trained

    @admin.display(description=_("формы"))
    def forms_display(self, profile):
        return ", ".join(f.name for f in profile.forms.all()) or "—"

    save_entry = staticmethod(services.save_mentor_profile)
    forms_field = "forms"


class PairedFilter(admin.SimpleListFilter):
    title = _("пара")
    parameter_name = "paired"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("в паре/группе")),
            ("no", _("без пары (требуется сопровождение)")),
        ]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(in_pair=self.value() == "yes")
        return queryset


@admin.register(MenteeProfile)
class MenteeProfileAdmin(BankAdminMixin, admin.ModelAdmin):
    add_title = _("Включение в банк наставляемых")
    form = MenteeProfileForm
    list_display = [
        "person_name",
        "class_or_position",
        "category",
        "status",
        "paired",
        "source",
        "consent_ok",
    ]
    list_filter = [
        "status",
        "category",
        PairedFilter,
        ConsentStateFilter,
        "source",
        ("desired_forms", CatalogueFilter),
    ]
    search_fields = [*BankAdminMixin.search_fields, "requests", "difficulties"]
    filter_horizontal = ["desired_forms"]
    fields = [
        "person",
        "status",
        "category",
        "requests",
        "difficulties",
        "desired_forms",
        "source",
        "entered_on",
        "archived_on",
        "archive_reason",
        "notes",
    ]

    def get_queryset(self, request):
        return selectors.mentee_profiles_for_list(
            super().get_queryset(request), user=request.user
        )

    @admin.display(description=_("класс / должность"))
    def class_or_position(self, profile):
        return profile.person.school_class or profile.person.position

    @yes_no_column(description=_("в паре"), ordering="in_pair")
    def paired(self, profile):
        return profile.in_pair

    save_entry = staticmethod(services.save_mentee_profile)
    forms_field = "desired_forms"
