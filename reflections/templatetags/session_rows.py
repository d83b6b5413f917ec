"""`{% session_row session %}`: one of the dashboard's upcoming sessions, built in Python
(reflections/session_row_html.py); templates/reflections/session_row.html is its reference."""

from django import template

from reflections import session_row_html

register = template.Library()


@register.simple_tag(takes_context=True)
def session_row(context, session):
    # The paths and words the rows share, built at the first row and kept for this rendering
    # only (render_context lives as long as the template's render).
    words = context.render_context.get("session_row")
    if words is None:
        words = context.render_context["session_row"] = session_row_html.Words()
    return session_row_html.render(session, words)
