"""The roadmap in the back office: roadmaps with their stages, activities
with their deadlines, responsible people and evidence, and the import."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mentoring.admin.base import (
    RussianTitlesMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    ScopedLookupsMixin,
    ServiceRefusalsMixin,
    report_errors,
)
from mentoring.admin.exports import ExportXlsxMixin

from . import services
from .admin_import import import_view
from .forms import ActivityAdminForm, StageAdminForm, StageFormSet
from .models import Activity, Evidence, ReminderLog, Roadmap, Stage


class _EditableOnlyByOwner:
    """District roadmaps are read-only for schools; templates for all but the
    administrator; a methodologist reads the schools' roadmaps."""

    def _roadmap_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and not services.can_edit_roadmap(
            user=request.user, roadmap=self._roadmap_of(obj)
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not services.can_edit_roadmap(
            user=request.user, roadmap=self._roadmap_of(obj)
        ):
            return False
        return super().has_delete_permission(request, obj)


class _InlineOfOwner:
    """Inline rows follow their page: read-only where the page is."""

    def _editable(self, request, obj):
        if obj is None:
            return True
        roadmap = obj
        if isinstance(obj, Stage):
            roadmap = obj.roadmap
        elif isinstance(obj, Activity):
            roadmap = obj.stage.roadmap
        return services.can_edit_roadmap(user=request.user, roadmap=roadmap)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(
            request, obj
        )


def _save_rows(formset, *, add, edit, remove) -> None:
    """Save an inline's rows through services instead of `formset.save()`:
    `add(data)`, `edit(obj, data)` and `remove(obj)` call one service each.
    Sets what the admin's change message reads."""
    new, changed, deleted = [], [], []
    for form in formset.initial_forms:
        if formset.can_delete and formset._should_delete_form(form):
            remove(form.instance)
            deleted.append(form.instance)
        elif form.has_changed():
            changed.append((edit(form.instance, form.cleaned_data), form.changed_data))
    for form in formset.extra_forms:
        if not form.has_changed():
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        form.instance = add(form.cleaned_data)
        new.append(form.instance)
    formset.new_objects, formset.changed_objects = new, changed
    formset.deleted_objects = deleted


def _adopt(obj, saved) -> None:
    """The admin keeps the object it built from the form; the service saved
    its own. The admin's redirect, log and inlines need the saved row."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


class StageInline(_InlineOfOwner, ScopedInlineMixin, admin.TabularInline):
    model = Stage
    formset = StageFormSet
    extra = 0
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 6})},
    }
    fields = ["position", "number", "name", "activities_link"]
    readonly_fields = ["activities_link"]
    ordering = ["position", "pk"]

    @admin.display(description=_("мероприятия"))
    def activities_link(self, stage):
        if not stage.pk:
            return ""
        url = reverse("admin:roadmap_stage_change", args=[stage.pk])
        return format_html('<a href="{}">{}</a>', url, _("изменить мероприятия"))


@admin.register(Roadmap)
class RoadmapAdmin(_EditableOnlyByOwner, ScopedAdminMixin, admin.ModelAdmin):
    add_title = _("Новая дорожная карта")
    list_display = [
        "title_short",
        "year",
        "owner_name",
        "progress",
        "documents",
        "is_template",
    ]
    # The links to the documents mean nothing in a spreadsheet.
    export_columns = ["title_short", "year", "owner_name", "progress", "is_template"]
    list_filter = ["is_template", "year", "layout"]
    search_fields = ["title"]
    inlines = [StageInline]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 90})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 60})},
    }
    fieldsets = [
        (None, {"fields": ["organization", "district", "layout", "year", "title"]}),
        (_("Цель и задачи"), {"fields": ["preamble"]}),
        (
            _("Гриф «ПРИНЯТ» и «УТВЕРЖДАЮ»"),
            {
                "fields": [
                    ("adoption_protocol_number", "adopted_on"),
                    "approver_position",
                    "approver_name",
                    ("approval_order_number", "approval_order_on"),
                ]
            },
        ),
    ]

    def _roadmap_of(self, obj):
        return obj

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_from_file)
        return [
            path("import/", view, name="roadmap_roadmap_import"),
            *super().get_urls(),
        ]

    def import_from_file(self, request):
        """A school's own Word or spreadsheet roadmap: roadmap/admin_import.py."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        return import_view(self, request, editable_roadmaps(request.user))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization", "district")
            .annotate(
                total=Count("stages__activities"),
                done=Count(
                    "stages__activities",
                    filter=Q(stages__activities__status=Activity.Status.DONE),
                ),
            )
        )

    def get_exclude(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["organization", "district"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        head, *rest = fieldsets
        shown = [f for f in head[1]["fields"] if f not in ("organization", "district")]
        return [(head[0], {"fields": shown}), *rest]

    def save_model(self, request, obj, form, change):
        fields = dict(form.cleaned_data)
        if change:
            services.update_roadmap(by=request.user, roadmap=obj, **fields)
            return
        if not request.user.is_superuser:
            if request.user.organization_id:
                fields["organization"] = request.user.organization
            else:
                fields["district"] = request.user.district
        _adopt(obj, services.create_roadmap(by=request.user, **fields))

    def delete_model(self, request, obj):
        services.remove_roadmap(by=request.user, roadmap=obj)

    def save_formset(self, request, form, formset, change):
        roadmap, by = form.instance, request.user
        _save_rows(
            formset,
            add=lambda data: services.add_stage(
                by=by,
                roadmap=roadmap,
                number=data["number"],
                name=data["name"],
                position=data["position"],
            ),
            edit=lambda stage, data: services.edit_stage(
                by=by,
                stage=stage,
                number=data["number"],
                name=data["name"],
                position=data["position"],
            ),
            remove=lambda stage: services.remove_stage(by=by, stage=stage),
        )

    @admin.display(description=_("документ"))
    def documents(self, roadmap):
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">XLSX</a>',
            reverse("roadmap:pdf", args=[roadmap.pk]),
            reverse("roadmap:xlsx", args=[roadmap.pk]),
        )

    @admin.display(description=_("дорожная карта"), ordering="title")
    def title_short(self, roadmap):
        return roadmap.short_title

    @admin.display(description=_("чья"))
    def owner_name(self, roadmap):
        if roadmap.is_template:
            return _("шаблон")
        return roadmap.organization or roadmap.district

    @admin.display(description=_("выполнено"))
    def progress(self, roadmap):
        return f"{roadmap.done} / {roadmap.total}"

    def view_on_site(self, roadmap):
        return reverse("roadmap:detail", args=[roadmap.pk])


class EvidenceInline(_InlineOfOwner, ScopedInlineMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["title", "url", "added_at"]
    readonly_fields = ["added_at"]


class ActivityInline(_InlineOfOwner, ScopedInlineMixin, admin.StackedInline):
    model = Activity
    form = ActivityAdminForm
    extra = 1
    autocomplete_fields = ["responsible"]
    ordering = ["position", "pk"]
    fields = [
        ("position", "code"),
        "content",
        "deadline_text",
        "responsible",
        "responsible_roles",
        ("status", "done_on"),
    ]
    # Changed by the actions of the activities' list and the site's buttons.
    readonly_fields = ["status", "done_on"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        roadmap = obj.roadmap if obj else None

        class Form(formset.form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                self.roadmap, self.user = roadmap, request.user

        formset.form = Form
        return formset


@admin.register(Stage)
class StageAdmin(
    ScopedLookupsMixin,
    ServiceRefusalsMixin,
    _EditableOnlyByOwner,
    RussianTitlesMixin,
    admin.ModelAdmin,
):
    """A stage with its activities: the roadmap's page links here."""

    form = StageAdminForm
    fields = ["roadmap", "position", "number", "name"]
    readonly_fields = ["roadmap"]
    inlines = [ActivityInline]
    list_display = ["number", "name", "roadmap"]
    list_select_related = ["roadmap"]

    def _roadmap_of(self, obj):
        return obj.roadmap

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.edit_stage(
            by=request.user,
            stage=obj,
            number=data["number"],
            name=data["name"],
            position=data["position"],
        )

    def delete_model(self, request, obj):
        services.remove_stage(by=request.user, stage=obj)

    def save_formset(self, request, form, formset, change):
        stage, by = form.instance, request.user
        _save_rows(
            formset,
            add=lambda data: services.add_activity(
                by=by, stage=stage, **_activity_fields(data)
            ),
            edit=lambda activity, data: services.edit_activity(
                by=by, activity=activity, **_activity_fields(data)
            ),
            remove=lambda activity: services.remove_activity(by=by, activity=activity),
        )


def _activity_fields(data) -> dict:
    return {
        "content": data["content"],
        "deadline_text": data.get("deadline_text") or "",
        "responsible": data.get("responsible") or [],
        "responsible_roles": data.get("responsible_roles") or "",
        "code": data.get("code") or "",
        "position": data["position"],
    }


class OverdueFilter(admin.SimpleListFilter):
    title = _("срок")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("просрочено")), ("soon", _("в ближайшие 14 дней"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_ = queryset.exclude(status=Activity.Status.DONE)
        if self.value() == "overdue":
            return open_.filter(ends_on__lt=today)
        if self.value() == "soon":
            return open_.filter(
                ends_on__gte=today, ends_on__lte=today + timezone.timedelta(days=14)
            )
        return queryset


def editable_roadmaps(user):
    if user is None:
        return Roadmap.objects.none()
    visible = Roadmap.objects.visible_to(user).filter(is_template=False)
    if user.is_superuser:
        return visible
    if user.organization_id:
        return visible.filter(organization_id=user.organization_id)
    return visible.filter(district_id=user.district_id)


@admin.register(Activity)
class ActivityAdmin(
    ScopedLookupsMixin,
    ExportXlsxMixin,
    ServiceRefusalsMixin,
    _EditableOnlyByOwner,
    RussianTitlesMixin,
    admin.ModelAdmin,
):
    """All activities of the roadmaps one sees, with deadlines."""

    form = ActivityAdminForm
    list_display = [
        "content_short",
        "stage_number",
        "deadline_text",
        "ends_on",
        "status",
        "roadmap_title",
    ]
    # The activity's whole text, not the list's shortened one.
    export_columns = [
        "content",
        "stage_number",
        "deadline_text",
        "ends_on",
        "status",
        "roadmap_title",
    ]
    list_filter = [OverdueFilter, "status", "stage__roadmap__year"]
    list_select_related = ["stage__roadmap"]
    search_fields = ["content"]
    autocomplete_fields = ["responsible"]
    inlines = [EvidenceInline]
    fields = [
        "stage",
        "position",
        "code",
        "content",
        "deadline_text",
        "responsible",
        "responsible_roles",
        ("status", "done_on"),
    ]
    # Status and its date change only through the actions below.
    readonly_fields = ["stage", "status", "done_on"]
    actions = ["mark_done", "mark_in_progress", "reopen"]
    show_full_result_count = False

    def _roadmap_of(self, obj):
        return obj.stage.roadmap

    def get_queryset(self, request):
        activities = super().get_queryset(request).visible_to(request.user)
        if request.user.is_superuser:
            return activities
        # Templates' activities are edited by the administrator only.
        return activities.filter(stage__roadmap__is_template=False)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.edit_activity(
            by=request.user, activity=obj, **_activity_fields(form.cleaned_data)
        )

    def save_related(self, request, form, formsets, change):
        # Responsible people were set by edit_activity, not form.save_m2m().
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.remove_activity(by=request.user, activity=obj)

    def save_formset(self, request, form, formset, change):
        activity, by = form.instance, request.user
        _save_rows(
            formset,
            add=lambda data: services.add_evidence(
                by=by, activity=activity, title=data["title"], url=data["url"]
            ),
            edit=lambda evidence, data: services.edit_evidence(
                by=by, evidence=evidence, title=data["title"], url=data["url"]
            ),
            remove=lambda evidence: services.remove_evidence(by=by, evidence=evidence),
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        roadmap = obj.stage.roadmap if obj else None

        class Form(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                self.roadmap, self.user = roadmap, request.user

        return Form

    @admin.display(description=_("мероприятие"), ordering="content")
    def content_short(self, activity):
        return str(activity)

    @admin.display(description=_("этап"), ordering="stage__position")
    def stage_number(self, activity):
        return activity.stage.number

    @admin.display(description=_("дорожная карта"))
    def roadmap_title(self, activity):
        return activity.stage.roadmap.period

    def _set_status(self, request, queryset, status, done_message) -> None:
        already = queryset.filter(status=status).count()
        moved = 0
        for activity in queryset.exclude(status=status):
            try:
                services.set_activity_status(
                    by=request.user, activity=activity, status=status
                )
            except ValidationError as error:
                report_errors(self, request, error)
            else:
                moved += 1
        if moved:
            self.message_user(request, done_message % {"n": moved}, messages.SUCCESS)
        if already:
            self.message_user(
                request,
                _("Уже в статусе «%(status)s»: %(n)s.")
                % {"status": Activity.Status(status).label, "n": already},
                messages.WARNING,
            )

    @admin.action(description=_("Отметить выполненными"), permissions=["change"])
    def mark_done(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Activity.Status.DONE,
            _("Отмечено выполненными: %(n)s."),
        )

    @admin.action(description=_("Отметить «В работе»"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Activity.Status.IN_PROGRESS,
            _("Отмечено «В работе»: %(n)s."),
        )

    @admin.action(
        description=_("Вернуть в запланированные (снять отметку)"),
        permissions=["change"],
    )
    def reopen(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Activity.Status.PLANNED,
            _("Возвращено в запланированные: %(n)s."),
        )


@admin.register(ReminderLog)
class ReminderLogAdmin(ScopedLookupsMixin, RussianTitlesMixin, admin.ModelAdmin):
    list_display = ["sent_at", "person", "activity", "threshold", "deadline"]
    list_select_related = ["person", "activity"]
    date_hierarchy = "sent_at"
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(activity__in=Activity.objects.visible_to(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
