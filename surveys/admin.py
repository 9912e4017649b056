"""The curator's questionnaires: standard ones to read and copy, own ones to edit."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentoring.admin.base import ScopedAdminMixin, ScopedInlineMixin, report_errors

from . import services
from .models import Answer, Question, Questionnaire, Response


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "position",
            "text",
            "kind",
            "is_required",
            "scale_min",
            "scale_max",
            "min_label",
            "max_label",
            "choices",
            "code",
        ]
        widgets = {
            "position": forms.NumberInput(attrs={"class": "narrow-number"}),
            "text": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "scale_min": forms.NumberInput(attrs={"class": "narrow-number"}),
            "scale_max": forms.NumberInput(attrs={"class": "narrow-number"}),
            "min_label": forms.TextInput(attrs={"size": 12}),
            "max_label": forms.TextInput(attrs={"size": 12}),
            "code": forms.TextInput(attrs={"size": 14}),
            "choices": forms.Textarea(attrs={"rows": 2, "cols": 18}),
        }


class QuestionInline(ScopedInlineMixin, admin.TabularInline):
    model = Question
    form = QuestionForm
    fields = QuestionForm.Meta.fields
    extra = 0
    min_num = 1
    validate_min = True
    ordering = ["position", "pk"]
    classes = ["sortable-questions"]


class AnswerInline(ScopedInlineMixin, admin.TabularInline):
    model = Answer
    fields = ["question", "value"]
    readonly_fields = ["question", "value"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ответ"))
    def value(self, answer):
        return answer.value


@admin.register(Questionnaire)
class QuestionnaireAdmin(ScopedAdminMixin, admin.ModelAdmin):
    organization_field = "organization"
    list_display = [
        "title",
        "kind",
        "audience",
        "organization",
        "is_standard",
        "is_active",
        "version_number",
        "response_count",
    ]
    list_filter = ["kind", "audience", "is_standard", "is_active", "organization"]
    search_fields = ["title"]
    fields = [
        "title",
        "kind",
        "audience",
        "description",
        "is_active",
        "organization",
        "code",
        "is_standard",
    ]
    inlines = [QuestionInline]
    actions = ["copy_to_own_organization"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":
            kwargs["widget"] = forms.TextInput(attrs={"size": 70})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    add_title = _("Новая анкета")

    class Media:
        js = ["js/sortable_inline.js"]
        css = {"all": ["css/admin_questions.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization")
            .annotate(
                last_version=Max("versions__number"),
                # A standard questionnaire is answered in every school: count
                # only the answers the user may read.
                responses_total=Count(
                    "responses",
                    filter=Q(responses__in=Response.objects.visible_to(request.user)),
                    distinct=True,
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["code", "is_standard"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.organization_id is None:
            return allowed and request.user.is_superuser
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is not None and obj.organization_id is None:
            return allowed and request.user.is_superuser
        return allowed

    def get_actions(self, request):
        # Deleting goes one by one, so a questionnaire in use gets its own message.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and obj.responses.exists():
            self.message_user(
                request,
                _(
                    "Анкету «%(title)s» нельзя удалить: на неё уже отвечали, и "
                    "ответы нужны для мониторинга. Снимите отметку «используется», "
                    "чтобы её больше не заполняли."
                )
                % {"title": obj.title},
                level=messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse("admin:surveys_questionnaire_change", args=[obj.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    @admin.display(description=_("версия"), ordering="last_version")
    def version_number(self, obj):
        return obj.last_version

    @admin.display(description=_("ответов"), ordering="responses_total")
    def response_count(self, obj):
        return obj.responses_total

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, QuestionInline):
            # The inline edits the current version; older ones stay as answered.
            version = services.current_version(obj) if obj and obj.pk else None
            kwargs["queryset"] = Question.objects.filter(version=version).order_by(
                "position", "pk"
            )
        return kwargs

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        rows = [
            {**f.cleaned_data, "pk": f.instance.pk}
            for f in formset.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and (f.instance.pk or f.has_changed())
        ]
        for row in rows:
            row.pop("id", None)
        version = services.save_questions(
            questionnaire=form.instance, rows=rows, by=request.user
        )
        formset.new_objects = list(version.questions.all())
        formset.changed_objects = []
        formset.deleted_objects = []

    @admin.action(description=_("Создать копию для своей организации"))
    def copy_to_own_organization(self, request, queryset):
        for questionnaire in queryset:
            try:
                copy = services.copy_questionnaire(
                    questionnaire=questionnaire, by=request.user
                )
            except ValidationError as error:
                report_errors(self, request, error)
                continue
            self.message_user(
                request,
                _("Создана анкета «%(title)s»: её можно менять.")
                % {"title": copy.title},
                level=messages.SUCCESS,
            )


@admin.register(Response)
class ResponseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["questionnaire", "respondent", "moment", "meeting", "submitted_at"]
    list_filter = ["questionnaire__kind", "moment", "questionnaire"]
    list_select_related = ["questionnaire", "respondent", "meeting"]
    search_fields = ["respondent__last_name", "questionnaire__title"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    fields = [
        "questionnaire",
        "version",
        "respondent",
        "meeting",
        "pair",
        "program",
        "moment",
        "submitted_at",
        "submitted_by",
    ]
    readonly_fields = fields
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
