"""`{% feed_thought_items thoughts %}`: the team feed's thoughts, each as `{% thought_item
thought interactive=True show_session=True %}` draws it, in one node: the template's loop
cost a context push, a variable and a tag's arguments to resolve per thought, on the most
requested page (tests/reflections/test_feed_rows.py compares it with the loop)."""

from django import template
from django.utils.safestring import mark_safe

from reflections.templatetags.thought_items import thought_item

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_thought_items(context, thoughts) -> str:
    return mark_safe(  # noqa: S308 - each item built escaped (reflections/thought_html.py)
        "".join(
            thought_item(context, thought, interactive=True, show_session=True)
            for thought in thoughts
        )
    )
