"""Scoping shared by every admin: a curator sees and edits only their organization."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mentoring.models import Organization

from .exports import ExportXlsxMixin


class RussianTitlesMixin:
    """Page titles that read right in Russian.

    Django builds «Выберите %s для изменения» and «Изменить %s» from the
    nominative verbose name («Выберите участник…»); we name pages instead.
    """

    add_title = _("Новая запись")

    def changelist_view(self, request, extra_context=None):
        title = capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(
            request, {"title": title, **(extra_context or {})}
        )

    def add_view(self, request, form_url="", extra_context=None):
        context = {"title": self.add_title, **(extra_context or {})}
        return super().add_view(request, form_url, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The record's own name is the subtitle (and the browser tab's title).
        context = {"title": capfirst(self.model._meta.verbose_name)}
        if request.method == "POST":
            # A form sent back with an error has put what was typed on the
            # instance: name the record as stored, or a refused new date
            # reads as if it had been saved.
            stored = self.get_object(request, unquote(object_id))
            if stored is not None:
                context["subtitle"] = str(stored)
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )


class ServiceRefusalsMixin:
    """An admin whose writes go through services shows what they refuse.

    The services check their rules under lock, after the form passed: the
    admin's transaction is rolled back by then. The form is shown again with
    what the curator typed and the service's message on it; a refused delete
    goes back to where it came from with the message.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            if request.method != "POST" or hasattr(request, "refused_by_service"):
                report_errors(self, request, error)
                return HttpResponseRedirect(request.get_full_path())
            request.refused_by_service = error
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            report_errors(self, request, error)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "refused_by_service", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                add_refusal(self, refusal)
                return cleaned

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            report_errors(self, request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self.delete_model(request, obj)
            except ValidationError as error:
                report_errors(self, request, error)


class ScopedAdminMixin(ExportXlsxMixin, ServiceRefusalsMixin, RussianTitlesMixin):
    """Rows through `visible_to(user)`; choices of related rows likewise.

    Every list downloads as XLSX with its filters (`ExportXlsxMixin`).

    `organization_field` names the model's own organization key: curators do
    not pick it, it is their organization.
    """

    organization_field: str | None = None

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = _scoped_queryset(db_field, request)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scoped = _scoped_queryset(db_field, request)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self.organization_field and not request.user.is_superuser:
            exclude.append(self.organization_field)
        return exclude

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.organization_field or request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**opts, "fields": _without(opts["fields"], self.organization_field)},
            )
            for name, opts in fieldsets
        ]

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if not _sees_many_organizations(request.user):
            shown = [f for f in shown if f != "organization"]
        return shown

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if not _sees_many_organizations(request.user):
            return [f for f in filters if f != "organization"]
        # Only the organizations the user's rows come from, not the region's list.
        return [
            ("organization", admin.RelatedOnlyFieldListFilter)
            if f == "organization"
            else f
            for f in filters
        ]

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        # Set before the inlines validate: their rules depend on the organization.
        if self.organization_field and not getattr(
            obj, f"{self.organization_field}_id"
        ):
            setattr(obj, self.organization_field, request.user.organization)
        return obj


class ScopedInlineMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = _scoped_queryset(db_field, request)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _without(fields, name):
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            field = tuple(f for f in field if f != name)
            if field:
                kept.append(field)
        elif field != name:
            kept.append(field)
    return kept


def _scoped_queryset(db_field, request):
    manager = db_field.remote_field.model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(request.user)
    return None


def _sees_many_organizations(user) -> bool:
    return user.is_superuser or (
        user.organization_id is None
        and Organization.objects.visible_to(user).count() > 1
    )


def report_errors(
    modeladmin: admin.ModelAdmin, request, error: ValidationError
) -> None:
    for message in error.messages:
        modeladmin.message_user(request, message, level=messages.ERROR)


def add_refusal(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def formset_saved_by_service(formset, new_objects=()) -> None:
    """The admin's change message reads what `formset.save()` would have set."""
    formset.new_objects = list(new_objects)
    formset.changed_objects = []
    formset.deleted_objects = []
