"""What a change list costs per row, brought down to string formatting.

Profiled on the generated district (issue 15): of about 60 ms of Python per
persons page of 50 rows, Django's admin spent most of it on the rows: each
cell resolves its column again (`lookup_field`), asks for the empty value's
display, and goes through `format_html`; each row's checkbox rendered the
form widget's template, its change URL was reversed, each boolean icon's URL
asked of the static files storage. Here the columns are resolved once per
page and each row is one string, joined from its cells; the markup stays
Django's own, byte for byte (tests/mentoring/test_admin_list_markup.py
compares the two on every list).
"""

import contextlib
import datetime
import functools
import html
from pathlib import Path
from urllib.parse import quote as escape_uri

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template.loader import get_template, select_template
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# A stand-in key reversed once per page; the row's own quoted key replaces it.
# Letters and digits only, so reverse() neither quotes nor rejects it.
_KEY = "0rowkey0"
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"
_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


class QuickChangeList(ChangeList):
    def url_for_result(self, result):
        return self.change_url_template().replace(
            _KEY, _escaped_key(getattr(result, self.pk_attname)), 1
        )

    def get_results(self, request):
        # The page's rows read only the columns they print, if the admin
        # names them (`list_only`), and an admin may load what they print
        # its own way (`list_rows`); the count, the filters and the download
        # keep the whole queryset. Every column read elsewhere would cost a
        # query per row, which the lists' query-count tests would show.
        if self.list_editable:
            return super().get_results(request)
        fields = getattr(self.model_admin, "list_only", None)
        whole = self.queryset
        if fields:
            self.queryset = whole.only(*fields)
        try:
            super().get_results(request)
        finally:
            self.queryset = whole
        load = getattr(self.model_admin, "list_rows", None)
        if load is not None:
            self.result_list = load(self.result_list)

    def get_filters(self, request):
        # A scoped filter offers what the listed rows point to
        # (ScopedRelatedFilter): the list's own queryset, already built,
        # rather than the admin's built again, its annotations and prefetch
        # for nothing (a fifth of the pairs page's Python, issue 15).
        request._quick_list_rows = (self.model_admin, self.root_queryset)
        return super().get_filters(request)

    def change_url_template(self):
        template = getattr(self, "_change_url", None)
        if template is None:
            template = self._change_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(_KEY,),
                current_app=self.model_admin.admin_site.name,
            )
        return template


def listed_rows(request, model_admin):
    """The rows of the change list being built, or else the admin's."""
    listed = getattr(request, "_quick_list_rows", None)
    if listed is not None and listed[0] is model_admin:
        return listed[1]
    return model_admin.get_queryset(request)


def _escape(value):
    """`conditional_escape`, without the lazy-text check wrapped around it and
    around `escape` (about a tenth of a page's rows): the same markup, since
    a lazy text has no `__html__` and prints as its text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _escaped_key(pk):
    # Quoted as the admin quotes a key, escaped as reverse() escapes it.
    return escape_uri(str(quote(pk)), safe=URL_SAFE)


class _RenderedOnce:
    """A widget whose markup, once rendered through its template, is kept.

    The actions' select and its hidden companion print the same markup for
    the same choices on every page of a list: each render through the form
    renderer's templates cost about 2 ms of a 45 ms page. The key holds
    everything the markup is made from, the language included.
    """

    _rendered: dict = {}

    def render(self, name, value, attrs=None, renderer=None):
        key = (
            type(self),
            name,
            str(value),
            _frozen(self.attrs),
            _frozen(attrs or {}),
            tuple((str(v), str(label)) for v, label in getattr(self, "choices", ())),
            self.is_required,
            get_language(),
            id(renderer),
        )
        html = self._rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self._rendered) > 500:  # choices that vary without end
                self._rendered.clear()
            self._rendered[key] = html
        return html


def _frozen(attrs):
    return tuple(sorted((k, str(v)) for k, v in attrs.items()))


class _Select(_RenderedOnce, forms.Select):
    pass


class _HiddenInput(_RenderedOnce, forms.HiddenInput):
    pass


class QuickActionForm(helpers.ActionForm):
    """Django's action form, its two widgets rendered once per set of choices."""

    action = forms.ChoiceField(
        label=helpers.ActionForm.base_fields["action"].label, widget=_Select
    )
    select_across = forms.BooleanField(
        label="",
        required=False,
        initial=0,
        widget=_HiddenInput({"class": "select-across"}),
    )


class QuickListMixin:
    """Django's change list markup without a template or a reverse per row."""

    action_form = QuickActionForm

    def get_changelist(self, request, **kwargs):
        return QuickChangeList

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        # What forms.CheckboxInput renders through its template, same attributes
        # in the same order (ModelAdmin.action_checkbox), by one format.
        return mark_safe(
            _CHECKBOX.format(
                _escape(obj.pk), _select_label(get_language()).format(_escape(obj))
            )
        )


_CHECKBOX = (
    f'<input type="checkbox" name="{escape(helpers.ACTION_CHECKBOX_NAME)}" '
    'value="{}" class="action-select" aria-label="{}">'
)


@functools.lru_cache(maxsize=16)
def _select_label(language):
    # The language is the key: gettext answers in the active one.
    return _("Select this object for an action - {}")


def result_list(cl):
    """`admin_list.result_list`'s context, each row one string of its cells.

    The template (Django's change_list_results.html) prints a row's items
    one after the other, so a row of one joined item prints the same. A list
    with editable cells or in a popup goes Django's way.
    """
    if not isinstance(cl, QuickChangeList) or cl.formset or cl.is_popup:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    cells = _cell_writers(cl)
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": [
            admin_list.ResultList(
                None, [mark_safe("".join([cell(row) for cell in cells]))]
            )
            for row in cl.result_list
        ],
    }


def results_markup(cl):
    """What Django's change_list_results.html prints for `result_list(cl)`.

    The template's loops, a context pushed per row and per cell, cost
    about a millisecond of a list page's ~17 (issue 15). The same text,
    whitespace included, joined here; None where the quick rows do not
    apply (editable cells, a popup), so the template prints them.
    tests/mentoring/test_admin_list_markup.py compares the two on every list.
    """
    if not isinstance(cl, QuickChangeList) or cl.formset or cl.is_popup:
        return None
    context = result_list(cl)
    if not context["results"]:
        return "\n\n\n"
    more_sorted = context["num_sorted_fields"] > 1
    out = ['\n\n\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n']
    for header in context["result_headers"]:
        out.append(f'\n<th scope="col"{header["class_attrib"]}>\n   ')
        if header["sortable"] and header["sort_priority"] > 0:
            out.append(
                '\n       <div class="sortoptions">\n'
                f'         <a class="sortremove" href="{_escape(header["url_remove"])}"'
                f' title="{_escape(_("Remove from sorting"))}"></a>\n         '
            )
            if more_sorted:
                priority = _escape(header["sort_priority"])
                title = _("Sorting priority: %(priority_number)s") % {
                    "priority_number": priority
                }
                out.append(
                    f'<span class="sortpriority" title="{title}">{priority}</span>'
                )
            direction = "ascending" if header["ascending"] else "descending"
            out.append(
                f'\n         <a href="{_escape(header["url_toggle"])}"'
                f' class="toggle {direction}"'
                f' title="{_escape(_("Toggle sorting"))}"></a>\n       </div>\n   '
            )
        text = _capfirst(header["text"])
        if header["sortable"]:
            text = f'<a href="{_escape(header["url_primary"])}">{text}</a>'
        else:
            text = f"<span>{text}</span>"
        out.append(
            f'\n   <div class="text">{text}</div>\n   <div class="clear"></div>\n</th>'
        )
    out.append("\n</tr>\n</thead>\n<tbody>\n")
    for row in context["results"]:
        out.append("\n\n<tr>" + "".join(row) + "</tr>\n")
    out.append("\n</tbody>\n</table>\n</div>\n\n")
    return mark_safe("".join(out))


def filter_markup(cl, spec):
    """What Django's `{% admin_list_filter %}` prints for a filter whose
    template is Django's admin/filter.html, or None for any other.

    Each filter rendered its own small template: about 0.2 ms apiece, four
    or five on a list (issue 15).
    """
    if spec.template != "admin/filter.html" or not _djangos("admin/filter.html"):
        return None
    summary = _(" By %(filter_title)s ") % {"filter_title": _escape(spec.title)}
    out = [
        f'\n<details data-filter-title="{_escape(spec.title)}" open>\n'
        f"  <summary>\n    {summary}\n  </summary>\n  <ul>\n  "
    ]
    for choice in spec.choices(cl):
        selected = ' class="selected"' if choice["selected"] else ""
        href = _escape(iri_to_uri(choice["query_string"]))
        out.append(
            f'\n    <li{selected}>\n    <a href="{href}">'
            f"{_escape(choice['display'])}</a></li>\n  "
        )
    out.append("\n  </ul>\n</details>\n")
    return mark_safe("".join(out))


def pagination_markup(cl):
    """What templates/admin/pagination.html prints for Django's `pagination`
    context: the page links and «Всего: N», without a template per link;
    None where a model or an app has a pagination template of its own."""
    opts = cl.opts
    if _found(opts.app_label, opts.model_name, "pagination.html") != _OUR_PAGINATION:
        return None
    context = admin_list.pagination(cl)
    out = ['\n\n\n<p class="paginator">\n']
    if context["pagination_required"]:
        out.append("\n")
        for number in context["page_range"]:
            out.append("\n    " + admin_list.paginator_number(cl, number) + "\n")
        out.append("\n")
    out.append(f"\nВсего: {_escape(cl.result_count)}\n")
    if context["show_all_url"]:
        out.append(
            f'<a href="{_escape(context["show_all_url"])}" class="showall">'
            f"{_escape(_('Show all'))}</a>"
        )
    out.append("\n")
    if cl.formset and cl.result_count:
        out.append(
            '<input type="submit" name="_save" class="default"'
            f' value="{_escape(_("Save"))}">'
        )
    out.append("\n</p>\n")
    return mark_safe("".join(out))


def actions_markup(context, index):
    """What Django's actions.html prints for the `{% admin_actions %}` tag's
    context, or None where a model or an app has an actions template of its
    own. The form's two widgets come rendered (QuickActionForm)."""
    opts = context["opts"]
    found = _found(opts.app_label.lower(), opts.model_name, "actions.html")
    if not found.is_relative_to(_DJANGOS_ADMIN_TEMPLATES):
        return None
    cl = context["cl"]
    fields = "".join(
        f"<label>{_escape(field.label)} {field}</label>" if field.label else str(field)
        for field in context["action_form"]
    )
    out = [
        f'\n<div class="actions">\n  \n    \n    {fields}\n    \n    \n'
        f'    <button type="submit" class="button"'
        f' title="{_escape(_("Run the selected action"))}" name="index"'
        f' value="{_escape(index or 0)}">{_escape(_("Go"))}</button>\n    \n    \n    '
    ]
    if context.get("actions_selection_counter"):
        shown = len(cl.result_list)
        out.append(
            f'\n        <span class="action-counter" data-actions-icnt="{shown}">'
            f"{_escape(context.get('selection_note', ''))}</span>\n        "
        )
        if cl.result_count != shown:
            title = _escape(_("Click here to select the objects across all pages"))
            select_all = _("Select all %(total_count)s %(module_name)s") % {
                "total_count": _escape(cl.result_count),
                "module_name": _escape(context.get("module_name", "")),
            }
            out.append(
                f'\n        <span class="all hidden">'
                f"{_escape(context.get('selection_note_all', ''))}</span>\n"
                '        <span class="question hidden">\n'
                f'            <a role="button" href="#" title="{title}">'
                f"{select_all}</a>\n        </span>\n"
                '        <span class="clear hidden"><a role="button" href="#">'
                f"{_escape(_('Clear selection'))}</a></span>\n        "
            )
        out.append("\n    ")
    out.append("\n    \n  \n</div>\n")
    return mark_safe("".join(out))


@functools.cache
def _found(app_label, model_name, name):
    """The file an admin inclusion tag renders for a model (InclusionAdminNode)."""
    template = select_template(
        [
            f"admin/{app_label}/{model_name}/{name}",
            f"admin/{app_label}/{name}",
            f"admin/{name}",
        ]
    )
    return Path(template.origin.name)


@functools.cache
def _djangos(name):
    """Whether the template found by `name` is Django's admin's own."""
    return Path(get_template(name).origin.name).is_relative_to(_DJANGOS_ADMIN_TEMPLATES)


def _capfirst(text):
    # Django's `capfirst` filter, escaped as the template escapes it.
    shown = capfirst(text)
    return shown if isinstance(text, SafeData) else _escape(shown)


def prints_djangos_results(app_label, model_name):
    """Whether a list's rows template is Django's own, not one of ours."""
    return _found(app_label, model_name, "change_list_results.html").is_relative_to(
        _DJANGOS_ADMIN_TEMPLATES
    )


_DJANGOS_ADMIN_TEMPLATES = Path(admin.__file__).parent / "templates"
_OUR_PAGINATION = Path(settings.BASE_DIR) / "templates" / "admin" / "pagination.html"


def _cell_writers(cl):
    """One function per column, row -> the cell's markup (`items_for_result`)."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    try:
        change_url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts},
            cl.change_url_template(),
        )
    except NoReverseMatch:
        change_url = None
    links = cl.list_display_links
    grouping = settings.USE_THOUSAND_SEPARATOR
    writers = []
    first = True
    for index, name in enumerate(cl.list_display):
        # Django's link_in_col: the first column, or those named.
        link = links is not None and ((first and not links) or name in links)
        tag = None
        if link:
            tag = "th" if first else "td"
            first = False
        classes = f"field-{admin_list._coerce_field_name(name, index)}"
        value_of = _value_reader(name, cl.model, model_admin)
        writers.append(
            _cell_writer(
                name, value_of, classes, empty, tag, change_url, cl.pk_attname, grouping
            )
        )
    return writers


def _value_reader(name, model, model_admin):
    """row -> (field, attr, value), as `lookup_field` finds them, resolved once."""
    try:
        field = _get_non_gfk_field(model._meta, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        if callable(name):
            return lambda row: (None, name, name(row))
        if hasattr(model_admin, name) and name != "__str__":
            method = getattr(model_admin, name)

            def reader(row):
                return None, method, method(row)

            reader.method = method  # for _quick_display
            return reader
        # A model attribute or a related path: Django's lookup per row.
        return functools.partial(_lookup, name, model_admin)

    def reader(row):
        return field, None, getattr(row, name)

    reader.field = field  # for _quick_display
    return reader


def _labels(field, kept):
    """A field's choices as `display_for_field` looks them up, or None where
    it has none (or unhashable ones): Django flattens them again per cell."""
    if field not in kept:
        labels = None
        if field.flatchoices:
            with contextlib.suppress(TypeError):
                # Translated once a page, not once a cell: a lazy label
                # looks its text up again each time it is printed.
                labels = {
                    key: str(label) if isinstance(label, Promise) else label
                    for key, label in field.flatchoices
                }
        kept[field] = labels
    return kept[field]


def _lookup(name, model_admin, row):
    return lookup_field(name, row, model_admin)


def _cell_writer(name, value_of, classes, empty, tag, change_url, pk_attname, grouping):
    choices = {}  # the column's field -> its choices' labels, read once a page

    def display(row):
        """The cell's content and class attribute, as `items_for_result` has them."""
        try:
            field, attr, value = value_of(row)
        except ObjectDoesNotExist:
            return empty, classes
        return shown_of(row, field, attr, value)

    def shown_of(row, field, attr, value):
        shown_empty = getattr(attr, "empty_value_display", empty)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if field is None or field.auto_created:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            if isinstance(value, Promise):
                # display_for_value compares a lazy text with five empty
                # values, translating it each time, then once more to print.
                value = str(value)
            if isinstance(value, str) and not boolean:
                # What display_for_value gives a text, without its checks.
                text = value or shown_empty
            elif type(value) is int and not boolean and not grouping:
                # What number_format gives a whole number printed ungrouped,
                # without reading four formats for it.
                text = str(value)
            else:
                text = display_for_value(value, shown_empty, boolean)
            own = "action-checkbox" if name == "action_checkbox" else classes
            if isinstance(value, (datetime.date, datetime.time)):
                own += " nowrap"
            return text, own
        if isinstance(field.remote_field, models.ManyToOneRel):
            related = getattr(row, field.name)
            text = shown_empty if related is None else related
        elif (labels := _labels(field, choices)) is not None:
            text = labels.get(value, shown_empty)
        else:
            text = display_for_field(
                value, field, shown_empty, avoid_link=tag is not None
            )
        if isinstance(field, _NOWRAP_FIELDS):
            return text, classes + " nowrap"
        return text, classes

    display = (
        _quick_display(name, value_of, classes, empty, choices, shown_of) or display
    )

    if tag is None:

        def cell(row):
            shown, own = display(row)
            return '<td class="' + own + '">' + _escape(shown) + "</td>"

    elif change_url is None:

        def cell(row):
            shown, own = display(row)
            return f'<{tag} class="{own}">' + _escape(shown) + f"</{tag}>"

    else:
        url = escape(change_url)

        def cell(row):
            shown, own = display(row)
            href = url.replace(_KEY, _escape(_escaped_key(getattr(row, pk_attname))), 1)
            return (
                f'<{tag} class="{own}"><a href="{href}">'
                + _escape(shown)
                + f"</a></{tag}>"
            )

    return cell


def _quick_display(name, value_of, classes, empty, choices, shown_of):
    """`display` for the common columns, its choices made once a column:
    a method giving text, a foreign key, a field with choices. None for
    the rest. The same content and classes (the markup test compares them);
    about a third of the rows' time went on deciding per cell (issue 15)."""
    method = getattr(value_of, "method", None)
    if method is not None:
        shown_empty = getattr(method, "empty_value_display", empty)
        if getattr(method, "boolean", False):
            return None
        own = "action-checkbox" if name == "action_checkbox" else classes

        def display(row):
            try:
                value = method(row)
            except ObjectDoesNotExist:
                return empty, classes
            if isinstance(value, str):
                return (value if value.strip() else shown_empty), own
            return shown_of(row, None, method, value)

        return display
    field = getattr(value_of, "field", None)
    if field is None or field.auto_created:
        return None
    own = classes + " nowrap" if isinstance(field, _NOWRAP_FIELDS) else classes
    if isinstance(field.remote_field, models.ManyToOneRel):

        def display(row):
            try:
                related = getattr(row, name)
            except ObjectDoesNotExist:
                return empty, classes
            return (empty if related is None else related), own

        return display
    labels = _labels(field, choices)
    if labels is None:
        return None

    def display(row):
        try:
            value = getattr(row, name)
        except ObjectDoesNotExist:
            return empty, classes
        if isinstance(value, str) and value.strip() == "":
            value = ""
        return labels.get(value, empty), own

    return display


def yes_no_column(*, description, ordering=None):
    """`admin.display(boolean=True)` for a method column, the icon built once.

    Django asks the static files storage for the icon's URL in every boolean
    cell (two columns of fifty rows on the persons list). The column shows
    Django's own icon markup; the XLSX download reads the method's plain
    value (`plain_value`), as it reads a boolean column's.
    """

    def decorate(method):
        @admin.display(description=description, ordering=ordering)
        @functools.wraps(method)
        def column(model_admin, obj):
            return _boolean_icon(method(model_admin, obj))

        column.plain_value = method
        return column

    return decorate


@functools.cache
def _boolean_icon(value):
    # The static URL of an icon does not change while the process runs.
    return admin_list._boolean_icon(value)
