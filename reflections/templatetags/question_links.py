"""`{{ question.pk|link:links.upvote }}`: an object's path from reflections.links."""

from django import template

register = template.Library()


@register.filter
def link(value, around: tuple[str, str]) -> str:
    head, tail = around
    return f"{head}{value}{tail}"
