"""Renders report cells the same way on the page as in the CSV."""

from django import template

from reports import report

register = template.Library()


@register.filter
def cell(value) -> str:
    return report.display(value)


@register.filter
def is_hidden(value) -> bool:
    return getattr(value, "hidden", False)
