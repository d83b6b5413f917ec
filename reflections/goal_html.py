"""The repeated items of the direction view and "my learning" (shared personal goals, recent
check-ins, thoughts on a goal), as HTML built in Python.

Both pages are rendered afresh for each viewer; drawn through the template language, the
direction view's forty shared goals and their check-ins cost more than the rest of its
markup. Each function gives what its reference template gives, to the whitespace
(templates/teams/goal_items/*.html, which stay the readable reference; the page templates call
them through {% load goal_items %}): tests/reflections/test_goal_html.py compares the two for
names and texts that need escaping, a former member, each language and two time zones.
Change both together.

Texts are escaped with Django's `conditional_escape`, translations use the templates'
msgids, dates are formatted as the `date` filter formats them (in the current time zone)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape as e
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from reflections.models import Thought

_KINDS = Thought.Kind.choices


def _day(value) -> str:
    """`|date:"SHORT_DATE_FORMAT"` of a date, or of a datetime in the current time zone."""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _words(text: str, count: int) -> str:
    """`|truncatewords:count`, escaped."""
    return e(Truncator(text).words(count, truncate=" …"))


def _items(lines: Iterable[str], indent: str) -> SafeString:
    """The output of a `{% for %}` loop whose body is one indented line."""
    return mark_safe("".join(f"\n{indent}{line}\n{indent}" for line in lines))


def shared_goals(goals, goal_path: list[str]) -> SafeString:
    """The direction view's shared personal goals (reflections.direction.SharedGoal), each
    linked through the personal goal path split around its id."""
    head, tail = e(goal_path[0]), e(goal_path[1])
    return _items(
        (
            f'<li><a href="{head}{goal.pk}{tail}">{e(goal.title)}</a> <span class="meta">'
            f"· {e(goal.owner)} · {e(goal.get_challenge_display())}</span></li>"
            for goal in goals
        ),
        "      ",
    )


def recent_checkins(checkins) -> SafeString:
    """A team goal's recent check-ins on the direction view
    (reflections.direction.RecentCheckIn)."""
    out_of_five = _("%(value)s / 5")
    lines = []
    for checkin in checkins:
        note = f" · {_words(checkin.note, 25)}" if checkin.note else ""
        lines.append(
            f"<li>{_day(checkin.day)} · {e(checkin.goal.owner)} · "
            f'<meter min="0" max="5" value="{checkin.progress}">{checkin.progress}</meter> '
            f"{out_of_five % {'value': checkin.progress}}{note}</li>"
        )
    return _items(lines, "      ")


def team_goal_thoughts(thoughts) -> SafeString:
    """A team goal's recent thoughts on the direction view (reflections.direction.GoalThought);
    a thought whose author has left shows "None", as the template does."""
    kinds = {value: e(label) for value, label in _KINDS}
    return _items(
        (
            f"<li>{_day(thought.created_at)} · {e(str(thought.author))} · "
            f"{kinds.get(thought.kind, e(thought.kind))}: {_words(thought.body, 25)}</li>"
            for thought in thoughts
        ),
        "      ",
    )


def my_goal_thoughts(thoughts) -> SafeString:
    """The person's own thoughts on the team goal of one of their goals, on "my learning"
    (reflections.direction.MyThought), each with a link to its team's feed."""
    kinds = {value: e(label) for value, label in _KINDS}
    feeds: dict[int, str] = {}
    lines = []
    for thought in thoughts:
        feed = feeds.get(thought.team_id)
        if feed is None:
            feed = feeds[thought.team_id] = e(
                reverse("reflections:team_feed", args=[thought.team_id])
            )
        local = timezone.localtime(thought.created_at)
        shown = formats.date_format(local, "SHORT_DATE_FORMAT")
        where = _("in the feed of %(team)s") % {"team": e(thought.team_name)}
        lines.append(
            f'<li><time datetime="{local.isoformat()}">{shown}</time> · '
            f"{kinds.get(thought.kind, e(thought.kind))}: {_words(thought.body, 30)} "
            f'<a href="{feed}">{where}</a></li>'
        )
    return _items(lines, "    ")
