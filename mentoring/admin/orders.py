"""Orders in the curator's back office, and the document actions on other lists."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mentoring import documents
from mentoring.dates import short_date
from mentoring.forms import PaperSignedOrderForm
from mentoring.models import (
    Consent,
    Order,
    OrderAcquaintance,
    OrderItem,
    OrderReward,
)
from mentoring.pdf import pdf_response
from mentoring.selectors import orders as order_selectors
from mentoring.selectors.orders import orders_for_list
from mentoring.services import orders as order_services
from mentoring.services.batches import request_order_batch

from .base import (
    ScopedAdminMixin,
    ScopedInlineMixin,
    formset_saved_by_service,
    report_errors,
)


class OrderItemInline(ScopedInlineMixin, admin.TabularInline):
    model = OrderItem
    fields = ["text"]
    verbose_name = _("пункт")
    verbose_name_plural = _("распорядительная часть (после «ПРИКАЗЫВАЮ:»)")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None else 1

    def _editable(self, obj):
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class OrderAcquaintanceInline(ScopedInlineMixin, admin.TabularInline):
    """Who is listed before signing; after signing, only the dates are written."""

    model = OrderAcquaintance
    autocomplete_fields = ["person"]
    fields = ["person", "acquainted_on"]
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.is_editable:
            return ["acquainted_on"]
        if obj.status == Order.Status.SIGNED:
            return ["person"]
        return ["person", "acquainted_on"]

    def has_add_permission(self, request, obj=None):
        editable = obj is None or obj.is_editable
        return editable and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # A signed order's familiarization dates are still written down.
        allowed = obj is None or obj.status != Order.Status.ON_SIGNATURE
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        editable = obj is None or obj.is_editable
        return editable and super().has_delete_permission(request, obj)


class OrderRewardInline(ScopedInlineMixin, admin.TabularInline):
    """The reward order's appendix, in print order; fixed once sent to sign."""

    model = OrderReward
    autocomplete_fields = ["person"]
    fields = ["person", "kind", "basis"]
    extra = 0
    verbose_name = _("поощряемый")
    verbose_name_plural = _("приложение к приказу: поощряемые участники")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
    }

    def _editable(self, obj):
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Order)
class OrderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    add_title = _("Новый приказ")
    organization_field = "organization"
    list_display = [
        "listed_title",
        "kind",
        "status",
        "number_display",
        "signed_on",
        "pair_count",
        "pdf_link",
        "organization",
    ]
    list_display_links = ["listed_title"]
    list_filter = ["status", "kind", "organization"]
    search_fields = ["title", "=number"]
    date_hierarchy = "signed_on"
    show_full_result_count = False
    list_per_page = 50
    inlines = [OrderItemInline, OrderAcquaintanceInline]
    fields = [
        "organization",
        "kind",
        "title",
        "preamble",
        "place",
        "status",
        "number_display",
        "signed_on",
        "director_comment",
        "submitted",
        "decided",
        "pairs_display",
        "pdf_link",
    ]
    actions = ["submit", "signed_on_paper", "print_batch"]

    class Media:
        css = {"all": ["css/admin_orders.css"]}

    def get_queryset(self, request):
        return orders_for_list(super().get_queryset(request))

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == Order.Kind.REWARD:
            return [OrderItemInline, OrderRewardInline, OrderAcquaintanceInline]
        return self.inlines

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [
                f
                for f in fields
                if f in ("organization", "kind", "title", "preamble", "place")
            ]
        return fields

    def get_readonly_fields(self, request, obj=None):
        computed = [
            "status",
            "number_display",
            "signed_on",
            "director_comment",
            "submitted",
            "decided",
            "pairs_display",
            "pdf_link",
        ]
        if obj is not None and not obj.is_editable:
            # A signed order is a registered document; one on signature waits.
            return list(
                dict.fromkeys(
                    ["organization", "kind", "title", "preamble", "place", *computed]
                )
            )
        if obj is not None:
            return ["kind", *computed]
        return computed

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            for name in ("title", "preamble"):
                if name in form.base_fields:
                    form.base_fields[name].required = False
                    form.base_fields[name].help_text = _(
                        "Оставьте пустым — подставится типовой текст приказа этого вида."
                    )
        return form

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.is_editable)

    @admin.display(description=_("заголовок"), ordering="title")
    def listed_title(self, order):
        # Three orders «О закреплении наставнических пар» are told apart by
        # their pairs: the title says whom it concerns.
        return order_selectors.listed_title(order)

    @admin.display(description=_("№"), ordering="number")
    def number_display(self, order):
        if not order.full_number:
            return "—"
        return format_html('<span class="nowrap">{}</span>', order.full_number)

    @admin.display(description=_("пар/групп"), ordering="pair_count")
    def pair_count(self, order):
        return order.pair_count

    @admin.display(description=_("направлен на подпись"))
    def submitted(self, order):
        if order.submitted_at is None:
            return "—"
        who = order.submitted_by.get_full_name() if order.submitted_by else ""
        # The site's time zone, not the server's.
        at = date_format(
            timezone.localtime(order.submitted_at), "SHORT_DATETIME_FORMAT"
        )
        return f"{at} {who}".strip()

    @admin.display(description=_("рассмотрен"))
    def decided(self, order):
        if order.decided_at is None:
            return "—"
        who = order.decided_by.get_full_name() if order.decided_by else ""
        at = date_format(timezone.localtime(order.decided_at), "SHORT_DATETIME_FORMAT")
        return f"{at} {who}".strip()

    @admin.display(description=_("пары и группы"))
    def pairs_display(self, order):
        pairs = list(order.pairs.order_by("pk").values_list("pk", flat=True))
        if not pairs:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">№ {}</a>',
            ((reverse("admin:mentoring_pair_change", args=[pk]), pk) for pk in pairs),
        )

    @admin.display(description=_("PDF"))
    def pdf_link(self, order):
        if order.pk is None:
            return "—"
        url = reverse("mentoring:order-pdf", args=[order.pk])
        label = _("Скачать") if order.status == Order.Status.SIGNED else _("Проект")
        return format_html('<a href="{}?download=1">{}</a>', url, label)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/submit/",
                self.admin_site.admin_view(require_POST(self.submit_view)),
                name="mentoring_order_submit",
            ),
            *super().get_urls(),
        ]

    def submit_view(self, request, object_id):
        """The draft page's «Направить на подпись»: the list action's service
        for one order, its refusals shown on the page they came from."""
        order = self.get_object(request, object_id)
        if order is None:
            return self._get_obj_does_not_exist_redirect(
                request, self.model._meta, object_id
            )
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        try:
            order_services.submit_order(order=order, by=request.user)
        except ValidationError as error:
            report_errors(self, request, error)
        else:
            self.message_user(
                request,
                _("Приказ «%(title)s» направлен руководителю на подпись.")
                % {"title": order.title},
                level=messages.SUCCESS,
            )
        return redirect("admin:mentoring_order_change", order.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The items shown are those that print: a draft's standard wording
        # rendered afresh, so a name corrected on a card shows here too.
        if request.method == "GET":
            order = self.get_object(request, object_id)
            if order is not None:
                order_services.refresh_order_text(order=order)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            created = order_services.create_order(
                organization=obj.organization,
                kind=obj.kind,
                title=obj.title,
                preamble=obj.preamble,
                by=request.user,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        if obj.status == Order.Status.SIGNED or not form.has_changed():
            return
        order_services.save_order_draft(order=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        order = form.instance
        formset_saved_by_service(formset)
        if formset.model is OrderItem:
            texts = [
                f.cleaned_data["text"]
                for f in formset.forms
                if f.cleaned_data
                and not f.cleaned_data.get("DELETE")
                and f.cleaned_data.get("text")
            ]
            # A new order keeps its standard items unless the curator typed some.
            if order.is_editable and (change or texts):
                order_services.set_order_items(
                    order=order, texts=texts, by=request.user
                )
            return
        if formset.model is OrderReward:
            if order.is_editable:
                rows = [
                    (
                        f.cleaned_data["person"],
                        f.cleaned_data["kind"],
                        f.cleaned_data["basis"],
                    )
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
                order_services.set_order_rewards(
                    order=order, rows=rows, by=request.user
                )
            return
        if order.is_editable:
            people = [
                f.cleaned_data["person"]
                for f in formset.forms
                if f.cleaned_data
                and not f.cleaned_data.get("DELETE")
                and f.cleaned_data.get("person")
            ]
            if change or people:
                order_services.set_order_acquaintances(
                    order=order, people=people, by=request.user
                )
            return
        for f in formset.forms:
            if f.has_changed() and f.instance.pk:
                order_services.mark_acquainted(
                    acquaintance=f.instance,
                    on=f.cleaned_data.get("acquainted_on"),
                    by=request.user,
                )

    @admin.action(description=_("Направить на подпись"), permissions=["change"])
    def submit(self, request, queryset):
        sent = 0
        for order in queryset:
            try:
                order_services.submit_order(order=order, by=request.user)
                sent += 1
            except ValidationError as error:
                report_errors(self, request, error)
        if sent:
            self.message_user(
                request,
                _("Направлено руководителю на подпись: %(n)s.") % {"n": sent},
                level=messages.SUCCESS,
            )

    @admin.action(
        description=_("Внести подписанный на бумаге (номер и дата)…"),
        permissions=["change"],
    )
    def signed_on_paper(self, request, queryset):
        orders = list(queryset[:2])
        if len(orders) != 1:
            self.message_user(
                request,
                _("Отметьте один приказ: номер и дата у каждого свои."),
                level=messages.ERROR,
            )
            return None
        order = orders[0]
        form = PaperSignedOrderForm(request.POST if "number" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                order = order_services.register_paper_order(
                    order=order,
                    by=request.user,
                    number=form.cleaned_data["number"],
                    signed_on=form.cleaned_data["signed_on"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("Приказ внесён в журнал: № %(number)s от %(day)s.")
                    % {
                        "number": order.full_number,
                        "day": short_date(order.signed_on),
                    },
                    level=messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/mentoring/order/signed_on_paper.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Приказ, подписанный на бумаге"),
                "order": order,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description=_("Напечатать пакетом (ZIP, до 100 приказов)"),
        permissions=["view"],
    )
    def print_batch(self, request, queryset):
        # Printed by a task: a hundred orders take longer than a request.
        try:
            batch = request_order_batch(orders=queryset, by=request.user)
        except ValidationError as error:
            report_errors(self, request, error)
            return None
        self.message_user(
            request,
            _("Приказы печатаются пакетом: %(n)s. Архив появится на странице пакета.")
            % {"n": batch.total},
            level=messages.SUCCESS,
        )
        return redirect("mentoring:document-batch", batch.pk)


# ---------------------------------------------------------------- other lists


@admin.action(
    description=_("Сформировать приказ о закреплении пар"), permissions=["change"]
)
def make_pair_order(modeladmin, request, queryset):
    pairs = list(queryset.select_related("organization"))
    organization = request.user.organization or (
        pairs[0].organization if pairs else None
    )
    if organization is None:
        return None
    try:
        order = order_services.create_pair_order(
            organization=organization, pairs=pairs, by=request.user
        )
    except ValidationError as error:
        report_errors(modeladmin, request, error)
        return None
    modeladmin.message_user(
        request,
        _(
            "Создан проект приказа с парами и группами: %(n)s. Проверьте текст и "
            "направьте его на подпись."
        )
        % {"n": len(pairs)},
        level=messages.SUCCESS,
    )
    return redirect("admin:mentoring_order_change", order.pk)


@admin.action(description=_("Исключить из проекта приказа"), permissions=["change"])
def release_from_order(modeladmin, request, queryset):
    released = 0
    for pair in queryset.select_related("order").exclude(order=None):
        try:
            order_services.release_pairs(
                order=pair.order, pairs=[pair], by=request.user
            )
            released += 1
        except ValidationError as error:
            report_errors(modeladmin, request, error)
    if released:
        modeladmin.message_user(
            request,
            _("Исключено из проектов приказов: %(n)s.") % {"n": released},
            level=messages.SUCCESS,
        )


@admin.action(description=_("Программа наставничества (PDF)"), permissions=["view"])
def program_pdf(modeladmin, request, queryset):
    program = queryset.select_related(
        "pair__form", "pair__organization", "pair__order"
    ).first()
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Выберите одну программу."), level=messages.ERROR
        )
        return None
    return pdf_response(
        documents.program_pdf(program=program),
        documents.program_filename(program),
        inline=False,
    )


@admin.action(
    description=_("Бланки согласий на обработку персональных данных (PDF)"),
    permissions=["view"],
)
def consent_forms(modeladmin, request, queryset):
    people = list(
        queryset.select_related("organization").order_by("last_name", "first_name")
    )
    name = (
        documents.consent_filename(people[0])
        if len(people) == 1
        else documents.transliterate("согласия на обработку пдн") + ".pdf"
    )
    return pdf_response(documents.consent_pdf(people=people), name, inline=False)


@admin.action(
    description=_(
        "Бланки согласий на передачу персональных данных третьим лицам (PDF)"
    ),
    permissions=["view"],
)
def consent_transfer_forms(modeladmin, request, queryset):
    """156-ФЗ: the transfer consent is its own document, printed on its own."""
    people = list(
        queryset.select_related("organization").order_by("last_name", "first_name")
    )
    purpose = Consent.Purpose.TRANSFER
    name = (
        documents.consent_filename(people[0], purpose)
        if len(people) == 1
        else documents.transliterate("согласия на передачу пдн") + ".pdf"
    )
    return pdf_response(
        documents.consent_pdf(people=people, purpose=purpose), name, inline=False
    )
