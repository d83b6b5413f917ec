"""The ask form's field groups (the questions list) as HTML built in Python.

The list is drawn on every request it was not filled for (docs/caching.md), and drawing the
form's fields through templates (their labels, errors, attributes and each choice's bound
widget) cost more than the rest of the form. These write the markup of Django's field groups
for the four kinds of field the form has, as the template wrote them out before: the same
labels, errors, aria attributes, help texts, choices and values
(tests/reflections/test_questions.py compares each with Django's own field group).

Each takes a bound field of a flat choice field (no option groups) or a text or boolean
field, and escapes every text as the template did."""

from django.utils.safestring import mark_safe

from learning_lead.escape import e


def _errors(field) -> str:
    if not field.errors:
        return ""
    items = "".join(f"<li>{e(error)}</li>" for error in field.errors)
    return f'<ul class="errorlist" id="{e(field.auto_id)}_error">{items}</ul>'


def _label(field) -> str:
    return f'<label for="{e(field.id_for_label)}">{e(field.label)}:</label>'


def _chosen(field) -> list[tuple[int, object, object, bool]]:
    """Each choice's index, value, label and whether it is selected, as ChoiceWidget.optgroups
    decides: the first choice whose value is the field's, at most one."""
    chosen = field.field.widget.format_value(field.value())
    has_selected = False
    options = []
    for index, (value, label) in enumerate(field.field.choices):
        value = "" if value is None else value
        selected = not has_selected and str(value) in chosen
        has_selected |= selected
        options.append((index, value, label, selected))
    return options


def textarea(field) -> str:
    invalid = f' aria-invalid="true" aria-describedby="{e(field.auto_id)}_error"'
    value = field.value()
    return mark_safe(  # noqa: S308 - every part escaped
        f"{_label(field)}\n{_errors(field)}\n"
        f'<textarea name="{e(field.html_name)}" cols="40" '
        f'rows="{e(field.field.widget.attrs["rows"])}" maxlength="{e(field.field.max_length)}" '
        f'required{invalid if field.errors else ""} id="{e(field.auto_id)}">\n'
        f"{'' if value is None else e(value)}</textarea>"
    )


def radios(field) -> str:
    described = f' aria-describedby="{e(field.auto_id)}_error"' if field.errors else ""
    invalid = ' aria-invalid="true"' if field.errors else ""
    name, auto_id = e(field.html_name), e(field.auto_id)
    options = "".join(
        "<div>\n"
        f'    <label for="{auto_id}_{index}"><input type="radio" name="{name}" '
        f'value="{e(value)}" required{invalid} id="{auto_id}_{index}"'
        f"{' checked' if selected else ''}>\n {e(label)}</label>\n</div>"
        for index, value, label, selected in _chosen(field)
    )
    return mark_safe(  # noqa: S308 - every part escaped
        f"<fieldset{described}>\n  <legend>{e(field.label)}:</legend>\n{_errors(field)}\n"
        f'<div id="{auto_id}">{options}\n</div></fieldset>'
    )


def select(field) -> str:
    invalid = f' aria-invalid="true" aria-describedby="{e(field.auto_id)}_error"'
    options = "".join(
        f'\n  <option value="{e(value)}"{" selected" if selected else ""}>{e(label)}</option>'
        for _index, value, label, selected in _chosen(field)
    )
    return mark_safe(  # noqa: S308 - every part escaped
        f"{_label(field)}\n{_errors(field)}\n"
        f'<select name="{e(field.html_name)}"{invalid if field.errors else ""} '
        f'id="{e(field.auto_id)}">{options}\n</select>'
    )


def checkbox(field) -> str:
    auto_id = e(field.auto_id)
    return mark_safe(  # noqa: S308 - every part escaped
        f"{_label(field)}\n"
        f'<div class="helptext" id="{auto_id}_helptext">{e(field.help_text)}</div>\n'
        f'<input type="checkbox" name="{e(field.html_name)}" '
        f'aria-describedby="{auto_id}_helptext" id="{auto_id}"'
        f"{' checked' if field.value() else ''}>"
    )
