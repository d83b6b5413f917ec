"""`{{ field|select_options }}`: the `<option>`s of a bound choice field's `<select>`, as
Django's select widget writes them (each on a line of its own, the chosen one `selected`).

The ask form is drawn on every request of the questions list, and Django's widget builds a
dictionary, a bound widget and, through the template, half a dozen nodes for each session of
the choice: more than the rest of the form (tests/reflections/test_questions.py compares the
field with Django's own field group)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def select_options(field) -> str:
    """The options of `field` (a BoundField whose choices are flat, without groups)."""
    chosen = field.field.widget.format_value(field.value())
    has_selected = False
    out = []
    for value, label in field.field.choices:
        value = "" if value is None else value
        # As ChoiceWidget.optgroups: one option selected at most, the first that matches.
        selected = not has_selected and str(value) in chosen
        has_selected |= selected
        out.append(
            f'\n  <option value="{conditional_escape(value)}"{" selected" if selected else ""}>'
            f"{conditional_escape(label)}</option>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every part escaped
