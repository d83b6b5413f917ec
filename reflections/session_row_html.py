"""One session of the dashboard's upcoming sessions, as HTML built in Python.

The dashboard is requested on most visits and, with the fragment cache off, rendered on
every request: drawn through `{% include "reflections/session_row.html" %}` in a loop, each
session cost an include and a `{% url %}` and a dozen nodes, most of the page's own share.
This builds the same markup as templates/reflections/session_row.html, which stays the
readable reference (and the one other lists use, with their attendance):
tests/reflections/test_session_row_html.py renders both for every kind of session, in each
language and two time zones, and compares the strings. Change both together.

Every text is escaped with Django's `conditional_escape`; the translations are the
template's msgids; dates as the `date` and `time` filters give them (in the current time
zone), with the formats split once a list (learning_lead.dates)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from learning_lead.dates import DateFormatter
from reflections.models import Session

e = conditional_escape
_MARK = 987654321


class Words:
    """What every row of one list shares: the session page's path and the translated words,
    built once per list and language."""

    def __init__(self):
        self.path = tuple(reverse("reflections:session", args=[_MARK]).split(str(_MARK)))
        self.statuses = {value: e(label) for value, label in Session.Status.choices}
        self.moved = f'<span class="badge">{e(_("Moved"))}</span>'
        self.draw_day = DateFormatter("D")
        self.draw_date = DateFormatter("SHORT_DATE_FORMAT")
        self.draw_time = DateFormatter("TIME_FORMAT")


def render(session, words: Words) -> str:
    """The `<li>` of one session with its team, as session_row.html draws it with
    show_team."""
    local = timezone.localtime(session.starts_at)
    status = e(session.status)
    day, date, time = words.draw_day(local), words.draw_date(local), words.draw_time(local)
    head, tail = words.path
    badge = ""
    if session.status != Session.Status.PLANNED:
        label = words.statuses.get(session.status, status)
        badge = f'<span class="badge badge-{status}">{label}</span>'
    # The whitespace is the template's, to the character (the test compares the strings).
    return mark_safe(  # noqa: S308 - every part escaped
        f'<li class="session-row status-{status}">\n'
        f'  <a href="{head}{session.pk}{tail}"><time datetime="{local.isoformat()}">'
        f"{e(day)} {e(date)} {e(time)}</time> · {e(session.title)}</a>\n"
        f'  <span class="meta">{e(session.team.name)}</span>\n'
        f"  {badge}\n"
        f"  {words.moved if session.is_moved else ''}\n"
        "  \n"
        "</li>\n"
    )
