"""Renders report cells the same way on the page as in the CSV."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from reports import report

register = template.Library()


@register.filter
def cell(value) -> str:
    return report.display(value)


@register.filter
def is_hidden(value) -> bool:
    return getattr(value, "hidden", False)


@register.filter
def row_cells(row) -> str:
    """A table row's cells: the label as the row header, then each figure. Built here rather
    than in a template loop: the whole-organisation table has a row per team (1,000 and more),
    and rendering every cell through the template language took most of the page's time.
    The standard library's escape: Django's wraps it for lazy strings, at a cost per call."""
    label, *values = row
    cells = [f'<th scope="row">{escape(str(label))}</th>']
    for value in values:
        kind = "hidden-cell" if getattr(value, "hidden", False) else "number"
        cells.append(f'<td class="{kind}">{escape(report.display(value))}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - every part escaped above
