"""The change list's rows, filters and page links from mentoring/admin/lists.py.

The same inclusion tag as Django's `{% result_list %}` (the same template,
overridable per model and per app), with the context built by our own code.
"""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from mentoring.admin.lists import (
    actions_markup,
    filter_markup,
    pagination_markup,
    prints_djangos_results,
    result_list,
    results_markup,
)

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


@register.simple_tag
def quick_list_filter(cl, spec):
    """`{% admin_list_filter cl spec %}`, joined in Python where it can be."""
    markup = filter_markup(cl, spec)
    return admin_list.admin_list_filter(cl, spec) if markup is None else markup


@register.tag(name="quick_pagination")
def quick_pagination_tag(parser, token):
    return _QuickPaginationNode(
        parser,
        token,
        func=admin_list.pagination,
        template_name="pagination.html",
        takes_context=False,
    )


class _QuickPaginationNode(InclusionAdminNode):
    """`{% pagination cl %}`, joined in Python while the template is ours."""

    def render(self, context):
        markup = pagination_markup(self.args[0].resolve(context))
        return super().render(context) if markup is None else markup


@register.tag(name="quick_admin_actions")
def quick_admin_actions_tag(parser, token):
    return _QuickActionsNode(
        parser, token, func=admin_list.admin_actions, template_name="actions.html"
    )


class _QuickActionsNode(InclusionAdminNode):
    """`{% admin_actions %}`, joined in Python while the template is Django's."""

    def render(self, context):
        # Django's tag counts its renders on the page into the context
        # (`action_index`, the button's value); so does this one.
        index = context.get("action_index", -1) + 1
        markup = actions_markup(context, index)
        if markup is None:
            return super().render(context)
        context["action_index"] = index
        return markup
