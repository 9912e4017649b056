"""Pairs and groups, their programs and meetings."""

import functools
from collections import defaultdict, namedtuple

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from mentoring import selectors, services
from mentoring.forms import MeetingAdminForm, ParticipationFormSet, TerminatePairsForm
from mentoring.models import (
    AuditEntry,
    Meeting,
    Pair,
    Participation,
    Person,
    Program,
    ProgramItem,
)
from mentoring.services import meetings as meeting_services
from mentoring.services import programs as program_services

from .base import (
    ScopedAdminMixin,
    ScopedInlineMixin,
    formset_saved_by_service,
    report_errors,
)
from .orders import make_pair_order, program_pdf, release_from_order


class ParticipationInline(ScopedInlineMixin, admin.TabularInline):
    model = Participation
    formset = ParticipationFormSet
    autocomplete_fields = ["person"]
    fields = ["person", "role"]
    verbose_name = _("участник")
    verbose_name_plural = _("наставники и наставляемые")

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 1

    def _editable(self, obj):
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class MeetingInline(ScopedInlineMixin, admin.TabularInline):
    """Meetings of the pair: held ones stay as written; new ones go through
    `plan_meeting`, like the mentor's own page. Edit one on its own page."""

    model = Meeting
    extra = 0
    can_delete = False
    fields = ["starts_at", "kind", "duration_minutes", "format", "topic", "status"]
    readonly_fields = ["status"]
    show_change_link = True
    ordering = ["-starts_at"]
    verbose_name_plural = _("встречи (новые вносятся строкой ниже)")

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False


class KindFilter(admin.SimpleListFilter):
    title = _("тип")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("pair", _("пара")), ("group", _("группа"))]

    def queryset(self, request, queryset):
        group = Q(mentee_count__gt=1) | Q(mentor_count__gt=1)
        if self.value() == "group":
            return queryset.filter(group)
        if self.value() == "pair":
            return queryset.exclude(group)
        return queryset


# What Person.short_name reads (PairAdmin.list_rows).
_Names = namedtuple("_Names", ["last_name", "first_name", "patronymic"])


@admin.register(Pair)
class PairAdmin(ScopedAdminMixin, admin.ModelAdmin):
    add_title = _("Новая наставническая пара или группа")
    organization_field = "organization"
    list_display = [
        "number",
        "kind",
        "form",
        "mentors",
        "mentees",
        "status",
        "term",
        "organization",
    ]
    list_display_links = ["number", "kind"]
    # The term as two dates a spreadsheet can sort and filter.
    export_columns = [
        "number",
        "kind",
        "form",
        "mentors",
        "mentees",
        "status",
        "starts_on",
        "ends_on",
        "organization",
    ]
    list_filter = ["status", "form", "format", KindFilter, "organization"]
    search_fields = [
        "participations__person__last_name",
        "participations__person__first_name",
        "=id",
    ]
    date_hierarchy = "starts_on"
    # What the rows print (mentoring/admin/lists.py): not the goal and the
    # outcome's texts, nor the school's and the form's other columns.
    list_only = [
        "status",
        "starts_on",
        "ends_on",
        "form__name",
        "organization__short_name",
    ]
    list_per_page = 50
    show_full_result_count = False
    inlines = [ParticipationInline, MeetingInline]
    fields = [
        "organization",
        "form",
        "format",
        "starts_on",
        "ends_on",
        "goal",
        "status",
        "termination_reason",
        "closed_on",
        "result",
        "order_link",
        "program_link",
        "history",
    ]
    actions = [
        make_pair_order,
        release_from_order,
        "start_work",
        "resume",
        "complete",
        "terminate",
    ]

    def prepare_rows(self, rows):
        return selectors.pairs_for_list(rows)

    def get_readonly_fields(self, request, obj=None):
        fixed = [
            "status",
            "termination_reason",
            "closed_on",
            "order_link",
            "program_link",
            "history",
        ]
        if obj is not None and not obj.is_editable:
            # Approved pairs belong to a signed order: only the outcome is written.
            return [f for f in self.fields if f != "result"]
        return fixed

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            fields = [
                f
                for f in fields
                if f
                not in (
                    "status",
                    "termination_reason",
                    "closed_on",
                    "result",
                    "order_link",
                    "program_link",
                    "history",
                )
            ]
        return fields

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        # A draft in an order would silently drop out of it: remove it from
        # the order first.
        return allowed and (obj is None or (obj.is_editable and obj.order_id is None))

    @admin.display(description=_("№"), ordering="pk")
    def number(self, pair):
        return pair.pk

    @admin.display(description=_("срок"), ordering="starts_on")
    def term(self, pair):
        language = get_language()
        days = [_short_date(d, language) for d in (pair.starts_on, pair.ends_on) if d]
        return "–".join(days) or "—"

    @admin.display(description=_("тип"))
    def kind(self, pair):
        return _kind_names(get_language())[
            pair.mentee_count > 1 or pair.mentor_count > 1
        ]

    @admin.display(description=_("наставник"))
    def mentors(self, pair):
        return self._names(pair, Participation.Role.MENTOR)

    @admin.display(description=_("наставляемые"))
    def mentees(self, pair):
        return self._names(pair, Participation.Role.MENTEE)

    def list_rows(self, pairs):
        """The page's pairs with their people's names (mentoring/admin/lists.py).

        The queryset's prefetch built a query per page through Django's
        prefetch machinery and a whole person per participant: about half
        of the pairs list's ORM time (issue 15). The same names, in the same
        order, come here from one query of the four columns they need.
        """
        pairs = list(pairs.prefetch_related(None))
        people = defaultdict(list)
        participations = (
            Participation.objects.filter(pair_id__in=[pair.pk for pair in pairs])
            .order_by("-role", "person__last_name", "person__first_name")
            .values_list(
                "pair_id",
                "role",
                "person__last_name",
                "person__first_name",
                "person__patronymic",
            )
        )
        # The model's own rule for a short name, read from the three names
        # alone: a Person built per participant cost a fifth of this method.
        short_name = Person.short_name.fget
        for pair_id, role, *names in participations:
            people[pair_id].append((role, short_name(_Names(*names))))
        for pair in pairs:
            pair.listed_people = people[pair.pk]
        return pairs

    @staticmethod
    def _names(pair, role):
        listed = getattr(pair, "listed_people", None)
        if listed is None:  # the download reads the prefetched people
            listed = [(p.role, p.person.short_name) for p in pair.participations.all()]
        return ", ".join(name for own, name in listed if own == role) or "—"

    @admin.display(description=_("приказ"))
    def order_link(self, pair):
        if pair.order_id is None:
            return "—"
        url = reverse("admin:mentoring_order_change", args=[pair.order_id])
        return format_html('<a href="{}">{}</a>', url, pair.order)

    @admin.display(description=_("программа"))
    def program_link(self, pair):
        try:
            program = pair.program
        except Program.DoesNotExist:
            url = reverse("admin:mentoring_program_add") + f"?pair={pair.pk}"
            return format_html('<a href="{}">{}</a>', url, _("Создать программу"))
        url = reverse("admin:mentoring_program_change", args=[program.pk])
        return format_html(
            '<a href="{}">{}</a> ({})', url, _("Открыть"), program.get_status_display()
        )

    @admin.display(description=_("история"))
    def history(self, pair):
        entries = AuditEntry.objects.for_object(pair).select_related("actor")[:30]
        if not entries:
            return "—"
        return format_html_join(
            "",
            "<div>{} — {} ({})</div>",
            (
                (
                    date_format(timezone.localtime(e.at), "SHORT_DATETIME_FORMAT"),
                    e.message,
                    e.actor.get_full_name() or e.actor.username if e.actor else "—",
                )
                for e in entries
            ),
        )

    def save_model(self, request, obj, form, change):
        if change and not obj.is_editable:
            services.record_pair_result(
                pair=obj, result=form.cleaned_data["result"], by=request.user
            )
            return
        services.save_pair_draft(pair=obj, by=request.user, participants_follow=True)

    def save_formset(self, request, form, formset, change):
        if formset.model is Meeting:
            return self._plan_meetings(request, form.instance, formset)
        if formset.model is not Participation:
            return super().save_formset(request, form, formset, change)
        formset_saved_by_service(formset)
        if not form.instance.is_editable:
            return None
        mentors, mentees = formset.participants()
        services.set_pair_participants(
            pair=form.instance, mentors=mentors, mentees=mentees, by=request.user
        )
        return None

    def _plan_meetings(self, request, pair, formset):
        planned = [
            meeting_services.plan_meeting(
                pair=pair,
                by=request.user,
                **{
                    name: meeting_form.cleaned_data[name]
                    for name in (
                        "kind",
                        "starts_at",
                        "topic",
                        "duration_minutes",
                        "format",
                    )
                },
            )
            for meeting_form in formset.extra_forms
            if meeting_form.has_changed()
        ]
        formset_saved_by_service(formset, planned)

    def _move(self, request, queryset, to, **kwargs):
        moved = 0
        for pair in queryset:
            try:
                services.change_pair_status(pair=pair, to=to, by=request.user, **kwargs)
                moved += 1
            except ValidationError as error:
                report_errors(self, request, error)
        if moved:
            self.message_user(
                request,
                _("Статус «%(status)s» установлен: %(n)s.")
                % {"status": Pair.Status(to).label, "n": moved},
                level=messages.SUCCESS,
            )

    @admin.action(
        description=_("Начать работу (утверждённые приказом)"), permissions=["change"]
    )
    def start_work(self, request, queryset):
        self._move(request, queryset, Pair.Status.ACTIVE)

    @admin.action(
        description=_("Возобновить приостановленные (после нового согласия)"),
        permissions=["change"],
    )
    def resume(self, request, queryset):
        # Back to where each was: a draft stays a draft, an approved pair works.
        drafts = queryset.filter(suspended_from=Pair.Status.DRAFT)
        self._move(request, drafts, Pair.Status.DRAFT)
        self._move(request, queryset.exclude(pk__in=drafts), Pair.Status.ACTIVE)

    def changelist_view(self, request, extra_context=None):
        # The curator's task after a consent ends: every suspended pair needs
        # a decision, wherever the list is filtered.
        # Counted from the scoped pairs alone: the list's own queryset would
        # build its participants' counts and prefetch only to be counted.
        waiting = (
            Pair.objects.visible_to(request.user)
            .filter(status=Pair.Status.SUSPENDED)
            .count()
        )
        if waiting and request.method == "GET":
            self.message_user(
                request,
                format_html(
                    '{} <a href="?status__exact=suspended">{}</a>',
                    _(
                        "Приостановлено пар/групп: %(n)s — нужно решение: прекратить, "
                        "завершить или возобновить после нового согласия."
                    )
                    % {"n": waiting},
                    _("Показать"),
                ),
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Завершить работу пары/группы"), permissions=["change"])
    def complete(self, request, queryset):
        self._move(request, queryset, Pair.Status.COMPLETED)

    @admin.action(description=_("Прекратить досрочно…"), permissions=["change"])
    def terminate(self, request, queryset):
        form = TerminatePairsForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._move(
                request,
                queryset,
                Pair.Status.TERMINATED,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
            return None
        return TemplateResponse(
            request,
            "admin/mentoring/pair/terminate.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Досрочное прекращение"),
                "pairs": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class ProgramItemInline(ScopedInlineMixin, admin.TabularInline):
    """The plan is written before approval; its marks while it is carried out.

    Saved as a whole by `set_program_items` (ProgramAdmin.save_formset).
    """

    model = ProgramItem
    extra = 1
    fields = [
        "position",
        "direction",
        "content",
        "due_on",
        "form",
        "expected_result",
        "status",
        "done_on",
    ]
    plan_fields = [f for f in fields if f not in ("status", "done_on")]

    def _plan_open(self, obj):
        return obj is None or obj.status in program_services.PLAN_OPEN

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if self._plan_open(obj) else 0

    def get_readonly_fields(self, request, obj=None):
        if self._plan_open(obj):
            return ["status", "done_on"]
        if obj.status == Program.Status.IN_PROGRESS:
            return self.plan_fields
        return self.fields

    def has_add_permission(self, request, obj=None):
        return self._plan_open(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._plan_open(obj) and super().has_delete_permission(request, obj)


class ProgramProgressFilter(admin.SimpleListFilter):
    title = _("выполнение плана")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [("overdue", _("есть просроченные пункты"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(overdue_items__gt=0)
        return queryset


def _program_action(to, description):
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        moved = 0
        for program in queryset:
            try:
                program_services.change_program_status(
                    program=program, to=to, by=request.user
                )
                moved += 1
            except ValidationError as error:
                report_errors(modeladmin, request, error)
        if moved:
            modeladmin.message_user(
                request,
                _("Статус «%(status)s» установлен: %(n)s.")
                % {"status": Program.Status(to).label, "n": moved},
                level=messages.SUCCESS,
            )

    action.__name__ = f"program_to_{to}"
    return action


@admin.register(Program)
class ProgramAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Programs through `mentoring.services.programs`: the form saves the plan,
    the actions move the status (and its date of approval)."""

    add_title = _("Новая персонализированная программа")
    list_display = ["pair", "status", "starts_on", "ends_on", "progress"]
    list_filter = ["status", ProgramProgressFilter]
    search_fields = ["pair__participations__person__last_name", "goal"]
    autocomplete_fields = ["pair"]
    inlines = [ProgramItemInline]
    actions = [
        program_pdf,
        _program_action(Program.Status.ON_APPROVAL, _("Направить на согласование")),
        _program_action(Program.Status.APPROVED, _("Утвердить")),
        _program_action(Program.Status.DRAFT, _("Вернуть на доработку")),
        _program_action(Program.Status.IN_PROGRESS, _("Начать реализацию")),
        _program_action(Program.Status.DONE, _("Итог: выполнена")),
        _program_action(Program.Status.PARTIALLY_DONE, _("Итог: выполнена частично")),
        _program_action(Program.Status.NOT_DONE, _("Итог: не выполнена")),
    ]
    show_full_result_count = False
    fields = [
        "pair",
        "status",
        ("starts_on", "ends_on"),
        "goal",
        "tasks",
        "difficulties",
        "strengths",
        "expected_results",
        "approved_on",
        "final_report",
    ]

    def get_queryset(self, request):
        return selectors.programs_for_list(super().get_queryset(request))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            hidden = ("status", "approved_on", "final_report")
            return [f for f in fields if f not in hidden]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = ["pair", "status", "approved_on"]
        if obj.status not in program_services.PLAN_OPEN:
            fixed += program_services.PLAN_FIELDS
        if obj.status != Program.Status.IN_PROGRESS:
            fixed.append("final_report")
        return fixed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == Program.Status.DRAFT)

    @admin.display(description=_("выполнено пунктов"))
    def progress(self, program):
        text = f"{program.done_items} / {program.total_items}"
        if program.overdue_items:
            return format_html(
                "{} · <strong>{} {}</strong>",
                text,
                program.overdue_items,
                _("просрочено"),
            )
        return text

    def save_model(self, request, obj, form, change):
        saved = program_services.save_program(program=obj, by=request.user)
        obj.pk, obj.status = saved.pk, saved.status

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProgramItem:
            return super().save_formset(request, form, formset, change)
        rows = []
        for item_form in formset.forms:
            data = item_form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if item_form.instance.pk is None and not item_form.has_changed():
                continue
            rows.append(
                {
                    "id": item_form.instance.pk,
                    **{
                        name: data[name]
                        for name in ProgramItemInline.fields
                        if name in item_form.fields
                    },
                }
            )
        formset_saved_by_service(formset)
        program_services.set_program_items(
            program=form.instance, rows=rows, by=request.user
        )
        return None


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Meetings through the services the mentor's pages use: a new one is
    planned or logged by `plan_meeting`, a change goes through
    `update_meeting`, a cancellation through its action. The status follows."""

    add_title = _("Новая встреча")
    form = MeetingAdminForm
    list_display = ["starts_at", "pair", "kind", "format", "topic", "status"]
    list_filter = ["status", "kind", "format"]
    search_fields = ["topic", "pair__participations__person__last_name"]
    autocomplete_fields = ["pair"]
    date_hierarchy = "starts_at"
    list_select_related = ["pair"]
    show_full_result_count = False
    actions = ["cancel"]
    fields = [
        "pair",
        "kind",
        "starts_at",
        "duration_minutes",
        "format",
        "topic",
        "status",
        "outcome",
        "version",
    ]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [f for f in fields if f not in ("status", "version")]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["pair", "status"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # Feedback and monitoring refer to meetings: one that did not take
        # place is marked so, not erased.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {
            name: data[name]
            for name in ("kind", "starts_at", "topic", "duration_minutes", "format")
        }
        if change:
            saved = meeting_services.update_meeting(
                meeting=obj,
                by=request.user,
                outcome=data["outcome"],
                version=data["version"],
                **fields,
            )
        else:
            saved = meeting_services.plan_meeting(
                pair=data["pair"], by=request.user, outcome=data["outcome"], **fields
            )
        obj.pk, obj.status, obj.outcome = saved.pk, saved.status, saved.outcome

    @admin.action(
        description=_("Отметить, что встречи не состоялись"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        cancelled = 0
        for meeting in queryset:
            try:
                meeting_services.cancel_meeting(meeting=meeting, by=request.user)
                cancelled += 1
            except ValidationError as error:
                report_errors(self, request, error)
        if cancelled:
            self.message_user(
                request,
                _("Отмечено несостоявшихся встреч: %(n)s.") % {"n": cancelled},
                level=messages.SUCCESS,
            )


@functools.lru_cache(maxsize=4096)
def _short_date(day, language):
    # A page of pairs formats the same few dates again and again, each time
    # reading the format and building a formatter (a tenth of its rows); the
    # language is the key, as the format follows it.
    return date_format(day, "SHORT_DATE_FORMAT")


@functools.lru_cache(maxsize=16)
def _kind_names(language):
    # «пара», «группа» in the active language, translated once: a lazy text
    # per row was looked up again in every cell it printed. The language is
    # the key, as gettext answers in it.
    return (gettext("пара"), gettext("группа"))
