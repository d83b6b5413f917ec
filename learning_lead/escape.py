"""`e(value)`: Django's `conditional_escape`, the same text, without its wrapping for lazy text,
for the pages' lists built in Python (reflections/thought_html.py, question_html.py,
goal_html.py, the feed's options), where a page escapes a few hundred texts: what is already
safe (has `__html__`) stays as it is, anything else is escaped."""

import html


def e(value) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
