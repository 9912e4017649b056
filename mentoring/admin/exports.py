"""«Выгрузить в Excel» on every back-office list.

The rows come from the changelist's own queryset: the admin's `get_queryset`
(scoped by `visible_to`), then the filters, search and ordering the curator
set, with the list's `select_related` and prefetches, so a download costs the
same few queries for 2 rows or 20,000. Columns are the list's own, read as the
list shows them, dates kept as dates.
"""

from __future__ import annotations

import datetime
import html
import io
from decimal import Decimal

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import FileResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.exports import XLSX, table_xlsx

# Rows are read in chunks, so a long list is never in memory as model objects
# all at once; prefetches run once per chunk.
CHUNK = 2000


@admin.action(description=gettext_lazy("Выгрузить в Excel"), permissions=["view"])
def export_selected_xlsx(modeladmin, request, queryset):
    return modeladmin.xlsx_response(request, queryset)


class ExportXlsxMixin:
    """The list as XLSX: an action for the selected rows, a button for all.

    `export_columns` names the columns as `list_display` does; by default the
    list's own. Set it where the list packs two values in one column (a term)
    or shows a shortened text.
    """

    export_columns: list[str] | None = None

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_export"
        return [
            path(
                "export.xlsx", self.admin_site.admin_view(self.export_view), name=name
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if IS_POPUP_VAR not in request.GET and self.has_view_permission(request):
            actions["export_selected_xlsx"] = self.get_action(export_selected_xlsx)
        return actions

    def changelist_view(self, request, extra_context=None):
        opts = self.model._meta
        url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_export"
        )
        # The button downloads what the page shows: same filters and search.
        query = request.GET.copy()
        query.pop(ERROR_FLAG, None)
        if query:
            url = f"{url}?{query.urlencode()}"
        return super().changelist_view(
            request, {"export_url": url, **(extra_context or {})}
        )

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            opts = self.model._meta
            changelist_url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
            )
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        return self.xlsx_response(request, changelist.get_queryset(request))

    def get_export_columns(self, request) -> list[str]:
        shown = [
            name for name in self.get_list_display(request) if name != "action_checkbox"
        ]
        columns = list(self.export_columns or shown)
        # The scope decides whether the organization is a column, as on the list.
        if "organization" not in shown:
            columns = [name for name in columns if name != "organization"]
        return columns

    def xlsx_response(self, request, queryset) -> FileResponse:
        columns = self.get_export_columns(request)
        headers = [
            capfirst(str(label_for_field(name, self.model, model_admin=self)))
            for name in columns
        ]
        rows = (
            [_cell_value(self, obj, name) for name in columns]
            for obj in queryset.iterator(chunk_size=CHUNK)
        )
        title = capfirst(str(self.model._meta.verbose_name_plural))
        content = table_xlsx(title=title, headers=headers, rows=rows)
        day = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
        return FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=_("%(list)s на %(day)s.xlsx") % {"list": title, "day": day},
            content_type=XLSX,
        )


def _cell_value(modeladmin, obj, name):
    """What the list shows in the cell, as a value a spreadsheet keeps."""
    try:
        field, attr, value = lookup_field(name, obj, modeladmin)
    except ObjectDoesNotExist:
        return None
    if field is not None:
        return _field_value(field, value)
    plain = getattr(attr, "plain_value", None)
    if plain is not None:  # a yes_no_column (lists.py)
        return _yes_no(plain(modeladmin, obj))
    if getattr(attr, "boolean", False):
        return _yes_no(value)
    return _plain(value)


def _field_value(field, value):
    if value is None:
        return None
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _yes_no(value)
    return _plain(value)


def _yes_no(value):
    if value is None:
        return None
    return _("да") if value else _("нет")


def _plain(value):
    if value is None or isinstance(
        value, (int, float, Decimal, datetime.date, datetime.datetime)
    ):
        return value
    if isinstance(value, models.Model):
        return str(value)
    text = str(value)
    if isinstance(value, SafeData):
        # The list's links and emphasis: the spreadsheet keeps their text.
        text = html.unescape(strip_tags(text))
    return text
