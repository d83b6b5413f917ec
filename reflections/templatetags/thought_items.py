"""`{% thought_item thought %}`: one thought of a list with its replies, built in Python
(reflections/thought_html.py); templates/reflections/thought_item.html is its reference."""

from django import template

from reflections import links, thought_html

register = template.Library()


@register.simple_tag(takes_context=True)
def thought_item(context, thought, interactive=False, show_session=False):
    if not context.get("_fragment"):
        # It carries {% personal %} markers: only fragments.render fills them.
        raise template.TemplateSyntaxError(
            "{% thought_item %} renders only through learning_lead.fragments.render()."
        )
    # What the page's thoughts share (paths, words), built at its first thought and kept for
    # this rendering only (render_context lives as long as the template's render).
    key = ("thought_item", interactive, show_session)
    page = context.render_context.get(key)
    if page is None:
        page = context.render_context[key] = thought_html.Page(
            links=links.thought_links(),
            interactive=interactive,
            show_session=show_session,
            page_query=context.get("page_query") or "",
            reply_to=context.get("reply_to"),
            reply_form=context.get("reply_form"),
        )
    return thought_html.render(thought, page)
