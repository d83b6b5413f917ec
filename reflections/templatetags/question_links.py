"""`{{ question.pk|link:links.upvote }}`: an object's path from reflections.links;
`{% question_item question %}`: one question of a list."""

from django import template

from reflections import question_html

register = template.Library()


@register.filter
def link(value, around: tuple[str, str]) -> str:
    head, tail = around
    return f"{head}{value}{tail}"


@register.simple_tag(takes_context=True)
def question_item(context, question, show_session=False):
    """One question of a list, built in Python (reflections/question_html.py)."""
    if not context.get("_fragment"):
        # It carries {% personal %} markers: only fragments.render fills them.
        raise template.TemplateSyntaxError(
            "{% question_item %} renders only through learning_lead.fragments.render()."
        )
    # What the page's questions share (paths, words), built at its first question and kept for
    # this rendering only (render_context lives as long as the template's render).
    key = ("question_item", show_session)
    page = context.render_context.get(key)
    if page is None:
        page = context.render_context[key] = question_html.Page(
            is_supervisor=bool(context.get("is_supervisor")),
            show_session=show_session,
            links=context["links"],
            next_path=context["next"],
        )
    return question_html.render(question, page)
