"""`{% quick_result_list cl %}`: the change list's rows from mentoring/admin/lists.py.

The same inclusion tag as Django's `{% result_list %}` (the same template,
overridable per model and per app), with the context built by our own code.
"""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from mentoring.admin.lists import prints_djangos_results, result_list, results_markup

register = template.Library()


class _QuickResultsNode(InclusionAdminNode):
    """Django's rows template, or, where it is Django's own, the same text
    joined in Python (`results_markup`)."""

    def render(self, context):
        opts = context["opts"]
        if prints_djangos_results(opts.app_label.lower(), opts.model_name):
            markup = results_markup(self.args[0].resolve(context))
            if markup is not None:
                return markup
        return super().render(context)


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return _QuickResultsNode(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
