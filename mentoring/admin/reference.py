"""Districts, organizations, the forms catalogue, accounts and the audit log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from mentoring.models import (
    AuditEntry,
    District,
    MentoringForm,
    Organization,
    Person,
    Region,
    User,
)
from mentoring.services import orders as order_services

from .base import RussianTitlesMixin, ScopedAdminMixin, ScopedLookupsMixin


@admin.register(District)
class DistrictAdmin(ScopedLookupsMixin, RussianTitlesMixin, admin.ModelAdmin):
    add_title = _("Новый район")
    list_display = ["name", "region"]
    list_select_related = ["region"]
    search_fields = ["name"]


@admin.register(Region)
class RegionAdmin(ScopedLookupsMixin, RussianTitlesMixin, admin.ModelAdmin):
    add_title = _("Новый субъект РФ")
    list_display = ["name"]
    search_fields = ["name"]


# Kept by the register's service (its audit entry and checks), not by the form.
REGISTER_FIELDS = {
    "order_number_prefix": "prefix",
    "order_number_suffix": "suffix",
    "order_number_next": "next_number",
    "order_numbers_reset_yearly": "resets_yearly",
}


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    add_title = _("Новая организация")
    list_display = ["short_name", "kind", "district", "head_name", "next_number"]
    list_filter = ["kind", "district"]
    search_fields = ["short_name", "full_name"]
    list_select_related = ["district"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "district",
                    "kind",
                    "full_name",
                    "short_name",
                    "address",
                    "place",
                    "head_position",
                    "head_name",
                ]
            },
        ),
        (
            _("Журнал регистрации приказов"),
            {
                "fields": [
                    "order_number_prefix",
                    "order_number_suffix",
                    "order_number_next",
                    "order_number_year",
                    "order_numbers_reset_yearly",
                    "order_signing",
                ],
                "description": _(
                    "Все приказы школы нумеруются в одном журнале. Укажите "
                    "следующий свободный номер, как в журнале: его получит "
                    "следующий подписанный приказ."
                ),
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["order_number_year"]
        return ["district", "kind", "full_name", "short_name", "order_number_year"]

    @admin.display(description=_("следующий № приказа"))
    def next_number(self, organization):
        return organization.next_order_number

    def save_model(self, request, obj, form, change):
        changed = [name for name in REGISTER_FIELDS if name in form.changed_data]
        if not change or not changed:
            super().save_model(request, obj, form, change)
            return
        wanted = {REGISTER_FIELDS[name]: getattr(obj, name) for name in REGISTER_FIELDS}
        stored = Organization.objects.get(pk=obj.pk)
        for name in REGISTER_FIELDS:
            setattr(obj, name, getattr(stored, name))
        super().save_model(request, obj, form, change)
        order_services.update_order_register(
            organization=obj, by=request.user, **wanted
        )


@admin.register(MentoringForm)
class MentoringFormAdmin(ScopedLookupsMixin, RussianTitlesMixin, admin.ModelAdmin):
    add_title = _("Новая форма наставничества")
    list_display = [
        "name",
        "stream",
        "mentor_side",
        "mentee_side",
        "is_federal",
        "is_active",
    ]
    list_filter = ["stream", "is_federal", "is_active"]
    search_fields = ["name"]

    @admin.display(description=_("наставники"))
    def mentor_side(self, form):
        return self._labels(form.mentor_categories)

    @admin.display(description=_("наставляемые"))
    def mentee_side(self, form):
        return self._labels(form.mentee_categories)

    @staticmethod
    def _labels(values):
        # The labels are lazy translations: `join` takes only ready strings.
        return ", ".join(str(Person.Category(v).label) for v in values)


@admin.register(User)
class UserAdmin(ScopedLookupsMixin, RussianTitlesMixin, DjangoUserAdmin):
    add_title = _("Новый пользователь")
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "organization",
        "district",
        "region",
        "is_active",
    ]
    list_filter = [
        "role",
        "is_active",
        ("organization", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["organization", "district", "region"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Роль в системе наставничества"),
            {"fields": ["role", "organization", "district", "region"]},
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Роль в системе наставничества"),
            {"fields": ["role", "organization", "district", "region"]},
        ),
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_name", "message", "organization"]
    list_filter = ["organization"]
    fields = ["at", "actor_name", "organization", "object_repr", "message"]
    readonly_fields = ["actor_name"]
    search_fields = ["message", "object_repr"]
    list_select_related = ["actor", "organization"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The person's name, as the school knows them; the login only when the
    # account has no name.
    @admin.display(description=_("кто"), ordering="actor__last_name")
    def actor_name(self, entry):
        if entry.actor is None:
            return "—"
        return entry.actor.get_full_name() or entry.actor.username
