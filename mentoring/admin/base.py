"""Scoping shared by every admin: a curator sees and edits only their organization."""

import json

from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mentoring.models import Organization, scope_by_role

from .exports import ExportXlsxMixin
from .lists import QuickListMixin, listed_rows
from .russian import add_another_phrase, add_phrase


class RussianTitlesMixin:
    """Page titles that read right in Russian.

    Django builds «Выберите %s для изменения» and «Изменить %s» from the
    nominative verbose name («Выберите участник…»); we name pages instead.
    """

    add_title = _("Новая запись")

    def changelist_view(self, request, extra_context=None):
        title = capfirst(self.model._meta.verbose_name_plural)
        context = {"title": title, "add_label": add_phrase(self.model._meta)}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        # «Добавить ещё одну встречу» under an inline, not Django's
        # «Добавить еще один Встреча» (mentoring/admin/russian.py).
        inline_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_formset in inline_formsets:
            phrase = add_another_phrase(inline_formset.opts.model._meta)
            if phrase:
                inline_formset.__class__ = _russian_inline_formset(
                    type(inline_formset), phrase
                )
        return inline_formsets

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


def _russian_inline_formset(base, phrase):
    class RussianInlineAdminFormSet(base):
        def inline_formset_data(self):
            data = json.loads(super().inline_formset_data())
            data["options"]["addText"] = str(phrase)
            return json.dumps(data)

    return RussianInlineAdminFormSet


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


# Rows of models without `visible_to` that a form or a filter may offer: the
# catalogue every school shares, and logins by where they work. Any other
# model is offered to the superuser only (`scoped_choices`).
_LOOKUP_SCOPES = {
    "mentoring.mentoringform": lambda rows, user: rows,
    "mentoring.user": lambda rows, user: scope_by_role(
        rows,
        user,
        org="organization_id",
        district=lambda pk: Q(district_id=pk) | Q(organization__district_id=pk),
    ),
    "mentoring.district": lambda rows, user: scope_by_role(
        rows,
        user,
        org=lambda pk: Q(pk__in=Organization.objects.filter(pk=pk).values("district")),
        district="pk",
    ),
}


def scoped_choices(model, user):
    """The rows of `model` that `user` may pick in a form or see in a filter.

    Closed by default: a model with neither `visible_to` nor a rule above
    offers nothing but to the superuser, so a new relational field cannot
    show another school's rows by being forgotten.
    """
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    rule = _LOOKUP_SCOPES.get(model._meta.label_lower)
    if rule is not None:
        return rule(manager.all(), user)
    return manager.all() if user.is_superuser else manager.none()


class ScopedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A filter by a related row: only rows the user's own records point to,
    and only those the user may see (a shared questionnaire, not another
    school's one that a record happens to name)."""

    def field_choices(self, field, request, model_admin):
        used = (
            listed_rows(request, model_admin)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        allowed = scoped_choices(field.related_model, request.user).filter(pk__in=used)
        # What field.get_choices(limit_choices_to={"pk__in": allowed}) gives,
        # read from `allowed` itself: one nested query less to build and to
        # plan (a tenth of the pairs list's CPU went to building it, issue 15).
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            allowed = allowed.order_by(*ordering)
        key = field.remote_field.get_related_field().attname
        return [(getattr(row, key), str(row)) for row in allowed]


class CatalogueFilter(admin.RelatedFieldListFilter):
    """A filter by a catalogue every school shares (the forms of mentoring):
    each row the user may see, read from the catalogue's own small table.

    `ScopedRelatedFilter` would offer only the forms the school's entries
    name, and finding those joins the school's entries to every school's
    entry–form links, which PostgreSQL reads whole while that table is small
    (issue 15, tests/perf/bench_scoped.py). A form no entry names yet is
    offered too and lists nobody.
    """

    def field_choices(self, field, request, model_admin):
        allowed = scoped_choices(field.related_model, request.user)
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": allowed.values("pk")},
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


class ScopedLookupsMixin:
    """Every relational field of a form or an inline offers, and so accepts,
    only rows in the user's scope; every filter by a related row lists only
    them. A refused id gets Django's own «Выберите корректный вариант», which
    names nobody. Autocomplete asks the related model's admin, scoped itself.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = _lookup_queryset(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = _lookup_queryset(self, db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if not _sees_many_organizations(request.user):
            filters = [f for f in filters if _filter_path(f) != "organization"]
        return [_scoped_filter(self.model, f) for f in filters]


class ScopedInlineMixin(ScopedLookupsMixin):
    """An inline's choices, scoped as its page's are."""


def _lookup_queryset(model_admin, db_field, request, kwargs):
    model = db_field.remote_field.model
    scoped = scoped_choices(model, request.user)
    given = kwargs.get("queryset")
    if given is not None:
        return given.filter(pk__in=scoped.values("pk"))
    # The related admin's ordering, as Django's own choices would have it.
    site = model_admin.admin_site
    if not site.is_registered(model):
        return scoped
    ordering = site.get_model_admin(model).get_ordering(request)
    return scoped.order_by(*ordering) if ordering else scoped


def _filter_path(list_filter):
    if isinstance(list_filter, (list, tuple)):
        return list_filter[0]
    return list_filter if isinstance(list_filter, str) else None


def _scoped_filter(model, list_filter):
    """`"questionnaire"` or `("organization", SomeRelatedFilter)` becomes
    the scoped filter; choices, dates and computed filters stay."""
    path = _filter_path(list_filter)
    if path is None:
        return list_filter
    if isinstance(list_filter, (list, tuple)) and (
        not issubclass(list_filter[1], admin.RelatedFieldListFilter)
        or issubclass(list_filter[1], CatalogueFilter)
    ):
        return list_filter
    field = get_fields_from_path(model, path)[-1]
    if not field.is_relation:
        return list_filter
    return (path, ScopedRelatedFilter)


class ScopedAdminMixin(
    QuickListMixin,
    ScopedLookupsMixin,
    ExportXlsxMixin,
    ServiceRefusalsMixin,
    RussianTitlesMixin,
):
    """Rows through `visible_to(user)`; choices of related rows likewise.

    Every list downloads as XLSX with its filters (`ExportXlsxMixin`).

    `organization_field` names the model's own organization key: curators do
    not pick it, it is their organization.
    """

    organization_field: str | None = None

    def get_queryset(self, request):
        return self.prepared_rows(request).visible_to(request.user)

    def prepare_rows(self, rows):
        """The joins and annotations every request's rows carry, whoever asks
        (before the scope): resolved into a query once per `prepared_key()`
        and the ordering, then cloned for each request.

        Resolving a subquery's annotation copies and relabels its whole
        condition: on the persons list the two consent columns cost about
        1.2 ms of a ~17 ms page, every request (issue 15). A clone shares
        the resolved expressions, as every `filter()` on a queryset does.
        """
        return rows

    def prepared_key(self):
        """What the prepared rows depend on besides the ordering (the day)."""
        return None

    def prepared_rows(self, request):
        rows = super().get_queryset(request)
        if type(self).prepare_rows is ScopedAdminMixin.prepare_rows:
            return rows
        key = (self.prepared_key(), tuple(map(str, rows.query.order_by)))
        # On the instance: one admin per model and site, its rows its own.
        kept = self.__dict__.setdefault("_prepared_rows", {})
        prepared = kept.get(key)
        if prepared is None:
            if len(kept) > 16:  # yesterday's rows, orderings no longer asked
                kept.clear()
            prepared = kept[key] = self.prepare_rows(rows)
        return prepared.all()

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

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        # Set before the inlines validate: their rules depend on the organization.
        if self.organization_field and not getattr(
            obj, f"{self.organization_field}_id"
        ):
            setattr(obj, self.organization_field, request.user.organization)
        return obj


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
