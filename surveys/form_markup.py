"""A questionnaire's form as first shown, printed as crispy-forms prints it,
without its templates.

The feedback form is opened before each feedback post of the mixed load
(issue 15): crispy's bootstrap5 templates, a dozen includes and tags per
question, were about a third of the page's CPU. Here the same markup is
joined in Python for a form not bound to a post whose initial values are in
text fields only; any other (a post shown again with its errors) goes
through crispy as before. tests/surveys/test_form_markup.py compares the two
byte for byte for every kind of question.
"""

from __future__ import annotations

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TEXT_WIDGETS = (forms.TextInput, forms.Textarea)
# CheckboxSelectMultiple is a RadioSelect too.
_CHOICE_WIDGETS = (forms.RadioSelect,)


def plain_markup(form, *, scales: set[str]) -> SafeString | None:
    """The markup of `{% crispy form %}`, or None if crispy must print it.

    `scales` names the fields crispy's layout prints as InlineRadios. The
    helper prints neither the <form> nor its CSRF input: the page's
    template holds them.
    """
    if form.is_bound:
        return None
    fields = []
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if value is not None and not isinstance(field.widget, _TEXT_WIDGETS):
            return None
        if isinstance(field.widget, _CHOICE_WIDGETS):
            markup = _choices(form[name], field, inline=name in scales)
        elif isinstance(field.widget, _TEXT_WIDGETS) and not field.help_text:
            markup = _text(form[name], field, value)
        else:
            return None
        fields.append(markup)
    (submit,) = form.helper.inputs
    return mark_safe(
        "\n\n"
        + " ".join(fields)
        + ' <div class="mb-3"> <div class=""> <input type="submit"\n'
        f'    name="{escape(submit.name)}"\n'
        f'    value="{escape(submit.value)}"\n'
        "    \n"
        '        class="btn btn-primary"\n'
        f'        id="{escape(submit.id)}"\n'
        "    \n    \n    /> </div> </div>\n"
    )


def _choices(bound, field, *, inline: bool) -> str:
    auto_id = bound.auto_id
    kind = field.widget.input_type
    wrapper = "form-check form-check-inline" if inline else "form-check"
    options = " ".join(
        f'<div class="{wrapper}"> <input type="{kind}" class="form-check-input"  '
        f'name="{escape(bound.html_name)}" value="{escape(value)}"  '
        f'id="{auto_id}_{index}"> '
        f'<label for="{auto_id}_{index}" class="form-check-label">\n'
        f"            {escape(label)}\n        </label> </div>"
        for index, (value, label) in enumerate(field.widget.choices)
    )
    label = f"\n                {escape(field.label)}\n            </legend>"
    fieldset = "<fieldset>"
    helptext = ""
    if inline:
        # crispy's InlineRadios (radioselect_inline.html).
        legend = '<legend for=""  class=" fs-6 form-label">'
        if field.help_text:
            fieldset = f'<fieldset aria-describedby="{auto_id}_helptext">'
            # help_text.html prints it `|safe`.
            helptext = (
                f' <div id="{auto_id}_helptext" class="form-text">'
                f"{field.help_text}</div>"
            )
    else:
        if field.help_text:
            raise ValueError("a choice field's help text is printed by crispy")
        legend = '<legend\n                 class="form-label fs-6">'
    return (
        f'<div id="div_{auto_id}" class="mb-3"> {fieldset} {legend}{label} '
        f"<div > {options} </div>{helptext} </fieldset> </div>"
    )


def _text(bound, field, value) -> str:
    auto_id, widget = bound.auto_id, field.widget
    name = escape(bound.html_name)
    attrs = "".join(f' {key}="{escape(v)}"' for key, v in widget.attrs.items())
    if isinstance(widget, forms.Textarea):
        control = (
            f'<textarea name="{name}"{attrs} class="textarea form-control" '
            f'id="{auto_id}">\n{escape(value) if value else ""}</textarea>'
        )
    else:
        shown = "" if value is None else f' value="{escape(value)}"'
        control = (
            f'<input type="text" name="{name}"{shown}{attrs} '
            f'class="textinput form-control" id="{auto_id}">'
        )
    return (
        f'<div id="div_{auto_id}" class="mb-3"> <label\n'
        f'                for="{auto_id}" class="form-label">\n'
        f"                {escape(field.label)}\n            </label> "
        f"{control} </div>"
    )
