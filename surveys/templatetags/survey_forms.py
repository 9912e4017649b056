"""The questionnaire form printed without crispy's templates when it can be
(surveys.form_markup):

    {% plain_form form as markup %}{% if markup %}{{ markup }}{% else %}{% crispy form %}{% endif %}
"""

from django import template

register = template.Library()


@register.simple_tag
def plain_form(form):
    return form.plain_markup()
