"""Documents the forms require, and the participants' documents on file."""

import datetime

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring import services
from mentoring.dates import short_date
from mentoring.models import DocumentRequirement, Person, PersonDocument

from .base import (
    RussianTitlesMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    ScopedLookupsMixin,
    formset_saved_by_service,
)

SOON_DAYS = 30


def document_state(document: PersonDocument, today: datetime.date) -> str:
    if document.replaced_at is not None:
        return _("заменён %(day)s") % {
            "day": short_date(timezone.localtime(document.replaced_at))
        }
    if document.valid_until is None:
        return _("без срока")
    day = short_date(document.valid_until)
    if document.valid_until < today:
        return _("истёк %(day)s") % {"day": day}
    if document.valid_until <= today + datetime.timedelta(days=SOON_DAYS):
        return _("истекает %(day)s") % {"day": day}
    return _("действует")


class DocumentInline(ScopedInlineMixin, admin.TabularInline):
    """Documents on file: records with a history, replaced by a newer one."""

    model = PersonDocument
    extra = 0
    can_delete = False
    verbose_name_plural = _("документы (справка о несудимости и др.)")
    fields = [
        "kind",
        "number",
        "issued_on",
        "valid_until",
        "issued_by",
        "state",
        "scan",
    ]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("состояние"))
    def state(self, document):
        return document_state(document, timezone.localdate())


class NewDocumentFormSet(BaseInlineFormSet):
    """Saves each filled row through `record_document`, which replaces the
    person's previous document of the kind and writes the audit entry."""

    user = None

    def save(self, commit=True):
        recorded = []
        for form in self.forms:
            if not form.has_changed() or form.instance.pk:
                continue
            data = form.cleaned_data
            recorded.append(
                services.record_document(
                    person=self.instance,
                    kind=data["kind"],
                    number=data.get("number", ""),
                    issued_on=data["issued_on"],
                    valid_until=data.get("valid_until"),
                    issued_by=data.get("issued_by", ""),
                    scan=data.get("scan"),
                    by=self.user,
                )
            )
        formset_saved_by_service(self, recorded)
        return recorded


class NewDocumentInline(ScopedInlineMixin, admin.StackedInline):
    model = PersonDocument
    formset = NewDocumentFormSet
    extra = 1
    can_delete = False
    verbose_name = _("новый документ")
    verbose_name_plural = _("внести документ (заменит прежний того же вида)")
    fields = [("kind", "number"), ("issued_on", "valid_until"), "issued_by", "scan"]

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


class DocumentStateFilter(admin.SimpleListFilter):
    title = _("срок действия")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [
            ("soon", _("истекает в течение 30 дней")),
            ("expired", _("просрочен")),
            ("valid", _("действует")),
            ("replaced", _("заменён")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "soon":
            return queryset.expiring(on=today, days=SOON_DAYS)
        if self.value() == "expired":
            return queryset.expired(on=today)
        if self.value() == "valid":
            return queryset.current().exclude(valid_until__lt=today)
        if self.value() == "replaced":
            return queryset.filter(replaced_at__isnull=False)
        return queryset


@admin.register(PersonDocument)
class PersonDocumentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "person",
        "kind",
        "number",
        "issued_on",
        "valid_until",
        "state",
    ]
    list_filter = [DocumentStateFilter, "kind"]
    search_fields = [
        "person__last_name",
        "person__first_name",
        "person__patronymic",
        "number",
    ]
    list_select_related = ["person"]
    date_hierarchy = "valid_until"
    show_full_result_count = False
    fields = [
        "person",
        "kind",
        "number",
        "issued_on",
        "valid_until",
        "issued_by",
        "scan",
        "replaced_at",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = fields

    # Recorded from the participant's page (through the service), never here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("состояние"))
    def state(self, document):
        return document_state(document, timezone.localdate())


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(
    ScopedLookupsMixin, RussianTitlesMixin, admin.ModelAdmin
):
    add_title = _("Новое требование к документам")
    list_display = [
        "form",
        "kind",
        "side",
        "categories_display",
        "only_with_minor",
        "valid_months",
        "basis",
        "is_active",
    ]
    list_filter = ["kind", "side", "is_active", "form"]
    list_select_related = ["form"]

    @admin.display(description=_("категории"))
    def categories_display(self, requirement):
        if not requirement.categories:
            return _("все")
        return ", ".join(
            str(Person.Category(c).label).lower() for c in requirement.categories
        )
