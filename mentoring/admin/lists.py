"""What a change list costs per row, brought down to string formatting.

Profiled on the generated district (issue 15): of about 60 ms of Python per
persons page of 50 rows, Django's admin spent a fifth rendering each row's
action checkbox through the form widget's template, and more reversing the
change URL of each row, and asking the static files storage for each
boolean icon's URL. The markup stays Django's own, byte for byte; it is built once per page, or once
per process, instead of once per row.
"""

import functools
from urllib.parse import quote as escape_uri

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# A stand-in key reversed once per page; the row's own quoted key replaces it.
# Letters and digits only, so reverse() neither quotes nor rejects it.
_KEY = "0rowkey0"
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


class QuickChangeList(ChangeList):
    def url_for_result(self, result):
        template = getattr(self, "_change_url", None)
        if template is None:
            template = self._change_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(_KEY,),
                current_app=self.model_admin.admin_site.name,
            )
        key = quote(getattr(result, self.pk_attname))
        # Escaped as reverse() escapes its arguments.
        return template.replace(_KEY, escape_uri(str(key), safe=URL_SAFE), 1)


class QuickListMixin:
    """Django's change list markup without a template or a reverse per row."""

    def get_changelist(self, request, **kwargs):
        return QuickChangeList

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        # What forms.CheckboxInput renders through its template, same attributes
        # in the same order (ModelAdmin.action_checkbox).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


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
