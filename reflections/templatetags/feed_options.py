"""The team feed's lists of options (its filters' and its post form's) and its post form's
field groups, built in Python.

The feed is the most requested page and, with the fragment cache off, rendered on every
request: drawn through the template language, each option cost a loop's worth of nodes (and
Django's `subwidgets` an option dict and a bound widget each), and each field group a few
dozen nodes, together more than all the thoughts of the page. These give the markup the
template gave, to the character: templates/reflections/feed_options.html keeps the loops and
the end of templates/reflections/feed_body.html the field groups' partials as the references
(tests/reflections/test_feed_options.py compares; tests/reflections/test_thoughts.py compares
the partials with Django's own field groups).

Every text is escaped as Django's `conditional_escape` does after `localize`, as `{{ }}` does."""

import html

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.safestring import mark_safe

from learning_lead.dates import DateFormatter
from learning_lead.escape import e

register = template.Library()


def _text(value) -> str:
    """`conditional_escape(localize(value))`, the same text, without the lazy-text wrapping of
    Django's `escape` (a page draws a hundred of these). Without thousand separators, an id
    (`int`) is localized as `str` gives it; `localize` would look up the language's formats."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return e(formats.localize(value))


def _choices(field):
    """(index, value, label, selected) of a bound choice field's options, as Django's
    `ChoiceWidget.optgroups` gives them for a single choice without groups."""
    values = field.field.widget.format_value(field.value())
    chosen = False
    for index, (value, label) in enumerate(field.field.choices):
        if isinstance(label, (list, tuple)):
            raise TypeError("Grouped choices are not written out here.")
        value = "" if value is None else value
        selected = not chosen and str(value) in values
        chosen = chosen or selected
        yield index, value, label, selected


@register.simple_tag
def select_options(field) -> str:
    """The `<option>`s of a select field group."""
    return mark_safe(  # noqa: S308 - every part escaped
        "".join(
            f'\n  <option value="{_text(value)}"{" selected" if selected else ""}>'
            f"{_text(label)}</option>"
            for _, value, label, selected in _choices(field)
        )
    )


@register.simple_tag
def radio_options(field) -> str:
    """The required radio buttons of a choice field group."""
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    name = _text(field.html_name)
    invalid = ' aria-invalid="true"' if field.errors else ""
    out = []
    for index, value, label, selected in _choices(field):
        option_id = _text(f"{id_}_{index}")
        out.append(
            f'<div>\n    <label for="{option_id}"><input type="radio" name="{name}"'
            f' value="{_text(value)}" required{invalid} id="{option_id}"'
            f"{' checked' if selected else ''}>\n {_text(label)}</label>\n</div>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every part escaped


@register.simple_tag
def kind_filter_options(kinds, chosen) -> str:
    """The filter's kinds: `kinds` as (value, label), `chosen` the value filtered on."""
    return mark_safe(  # noqa: S308 - every part escaped
        "".join(
            f'<option value="{_text(value)}"{" selected" if chosen == value else ""}>'
            f"{_text(label)}</option>"
            for value, label in kinds
        )
    )


@register.simple_tag
def session_filter_options(sessions, chosen) -> str:
    """The filter's sessions, each its title and day; `chosen` the session's id filtered on."""
    out = []
    draw = DateFormatter("SHORT_DATE_FORMAT")  # the format split once, not per session
    for session in sessions:
        day = draw(timezone.localtime(session.starts_at))
        out.append(
            f'<option value="{_text(session.pk)}"{" selected" if chosen == session.pk else ""}>'
            f"{_text(session.title)} {html.escape(day)}</option>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every part escaped


# The post form's field groups, as the partials radio_field, text_field and select_field of
# templates/reflections/feed_body.html (their reference) draw them.


def _errors(field, id_: str) -> str:
    if not field.errors:
        return ""
    items = "".join(f"<li>{_text(error)}</li>" for error in field.errors)
    return f'<ul class="errorlist" id="{id_}_error">{items}</ul>'


def _help(field, id_: str) -> str:
    if not field.help_text:
        return ""
    return f'<div class="helptext" id="{id_}_helptext">{field.help_text}</div>'


def _described(field, id_: str) -> str:
    """aria-invalid and aria-describedby of a text or select field."""
    said = [f"{id_}_helptext"] if field.help_text else []
    said += [f"{id_}_error"] if field.errors else []
    invalid = ' aria-invalid="true"' if field.errors else ""
    return invalid + (f' aria-describedby="{" ".join(said)}"' if said else "")


def _label(field, id_: str) -> str:
    return (
        f'<label for="{_text(field.id_for_label)}">{_text(field.label)}:</label>\n'
        f"{_help(field, id_)}\n{_errors(field, id_)}\n"
    )


@register.simple_tag
def radio_group(field) -> str:
    id_ = _text(field.auto_id)
    described = f' aria-describedby="{id_}_error"' if field.errors else ""
    return mark_safe(  # noqa: S308 - every part escaped
        f"<fieldset{described}>\n  <legend>{_text(field.label)}:</legend>\n"
        f'{_errors(field, id_)}\n<div id="{id_}">{radio_options(field)}\n</div></fieldset>'
    )


@register.simple_tag
def text_group(field) -> str:
    id_ = _text(field.auto_id)
    value = field.value()
    return mark_safe(  # noqa: S308 - every part escaped
        f'{_label(field, id_)}<textarea name="{_text(field.html_name)}" cols="40"'
        f' rows="{_text(field.field.widget.attrs.get("rows", ""))}"'
        f' maxlength="{_text(field.field.max_length)}" required{_described(field, id_)}'
        f' id="{id_}">\n{"" if value is None else _text(value)}</textarea>'
    )


@register.simple_tag
def select_group(field) -> str:
    id_ = _text(field.auto_id)
    return mark_safe(  # noqa: S308 - every part escaped
        f'{_label(field, id_)}<select name="{_text(field.html_name)}"{_described(field, id_)}'
        f' id="{id_}">{select_options(field)}\n</select>'
    )
