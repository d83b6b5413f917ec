"""templates/field_groups.html's "choices" and "select" groups built in Python, for the
session page's supervisor forms (its people to mark present, its prompts to add): the page is
rendered for each variant and, with the cache off, each request, and the template's loop over
Django's subwidgets cost more than the rest of the page. The template stays the reference:
tests/reflections/test_field_group_tags.py compares the strings.

    {% load field_groups %}{{ form.attendees|choices_group }}
"""

from django import template
from django.utils.html import conditional_escape as e
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _head(field) -> tuple[str, str, str]:
    """The help text and errors as the template writes them, and the invalid flag."""
    auto_id = field.auto_id
    help_text = (
        f'<div class="helptext" id="{auto_id}_helptext">{field.help_text}</div>'
        if field.help_text
        else ""
    )
    errors = field.errors
    listed = (
        f'<ul class="errorlist" id="{auto_id}_error">'
        + "".join(f"<li>{e(error)}</li>" for error in errors)
        + "</ul>"
        if errors
        else ""
    )
    return help_text, listed, ' aria-invalid="true"' if errors else ""


def _options(field):
    """(value, label, selected) of each choice, as the widget's subwidgets say them."""
    widget = field.field.widget
    chosen = set(widget.format_value(field.value()))
    has_selected = False  # a single choice selects its first match only
    for value, label in widget.choices:
        if isinstance(label, list | tuple):
            raise ValueError("grouped choices are written by the template only")
        text = "" if value is None else str(value)
        selected = text in chosen and (not has_selected or widget.allow_multiple_selected)
        has_selected |= selected
        yield text, label, selected


@register.filter
def choices_group(field) -> SafeString:
    """field_groups.html#choices for `field` (radio buttons or checkboxes)."""
    auto_id = field.auto_id
    help_text, errors, invalid = _head(field)
    described = field.aria_describedby
    input_type = field.field.widget.input_type
    required = " required" if field.field.required and input_type == "radio" else ""
    name = e(field.html_name)
    head = f'<fieldset aria-describedby="{e(described)}">' if described else "<fieldset>"
    out = [f"{head}\n  <legend>{e(field.label)}:</legend>\n{help_text}\n{errors}\n"]
    out.append(f'<div id="{auto_id}">')
    for index, (value, label, selected) in enumerate(_options(field)):
        option_id = f"{auto_id}_{index}"
        checked = " checked" if selected else ""
        out.append(
            f'<div>\n    <label for="{option_id}"><input type="{input_type}" name="{name}" '
            f'value="{e(value)}"{required}{invalid} id="{option_id}"{checked}>\n'
            f" {e(label)}</label>\n</div>"
        )
    out.append("\n</div></fieldset>")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped


@register.filter
def select_group(field) -> SafeString:
    """field_groups.html#select for `field` (a single choice)."""
    auto_id = field.auto_id
    help_text, errors, invalid = _head(field)
    described = ""
    if field.help_text or field.errors:
        ids = [f"{auto_id}_helptext"] if field.help_text else []
        ids += [f"{auto_id}_error"] if field.errors else []
        described = f' aria-describedby="{" ".join(ids)}"'
    out = [
        f'<label for="{field.id_for_label}">{e(field.label)}:</label>\n{help_text}\n{errors}\n'
        f'<select name="{e(field.html_name)}"{invalid}{described} id="{auto_id}">'
    ]
    for value, label, selected in _options(field):
        out.append(
            f'\n  <option value="{e(value)}"{" selected" if selected else ""}>{e(label)}</option>'
        )
    out.append("\n</select>")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped
