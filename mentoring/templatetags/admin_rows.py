"""`{% quick_result_list cl %}`: the change list's rows from mentoring/admin/lists.py.

The same inclusion tag as Django's `{% result_list %}` (the same template,
overridable per model and per app), with the context built by our own code.
"""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from mentoring.admin.lists import result_list

register = template.Library()


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
