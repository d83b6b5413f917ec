"""The repeated items of the direction view and "my learning" (shared personal goals, recent
check-ins, thoughts on a goal, each of the person's goals), as HTML built in Python.

Both pages are rendered afresh for each viewer; drawn through the template language, the
direction view's forty shared goals and their check-ins cost more than the rest of its
markup, and each goal of "my learning" (two includes) most of that page. Each function gives
what its reference template gives, to the whitespace (templates/teams/goal_items/*.html,
teams/my_goal.html with teams/checkin_table.html; they stay the readable reference, the page
templates call these through {% load goal_items %}): tests/reflections/test_goal_html.py
compares the two for names and texts that need escaping, a former member, each language and
two time zones. Change both together.

Texts are escaped as Django's `conditional_escape` escapes them, translations use the templates'
msgids, dates are formatted as the `date` filter formats them (in the current time zone)."""

from collections.abc import Iterable

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning_lead.escape import e
from reflections.models import Thought
from teams.models import PersonalGoal

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
    challenges = {value: e(label) for value, label in PersonalGoal.Challenge.choices}
    return _items(
        (
            f'<li><a href="{head}{goal.pk}{tail}">{e(goal.title)}</a> <span class="meta">'
            f"· {e(goal.owner)} · {challenges.get(goal.challenge) or e(goal.challenge)}</span></li>"
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


def _checkin_table(checkins, caption: str) -> str:
    """templates/teams/checkin_table.html: a goal's check-ins, newest first."""
    out_of_five = _("%(value)s / 5")
    rows = "".join(
        "\n    <tr>\n"
        f'      <th scope="row">{_day(checkin.day)}</th>\n'
        f'      <td><meter min="0" max="5" value="{checkin.progress}">{checkin.progress}</meter>'
        f" {out_of_five % {'value': checkin.progress}}</td>\n"
        f"      <td>{linebreaksbr(checkin.note, autoescape=True) or '–'}</td>\n"
        "    </tr>\n  "
        for checkin in checkins
    )
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{caption}">'
        '<table class="checkins">\n'
        f'  <caption class="visually-hidden">{caption}</caption>\n'
        f'  <thead><tr><th scope="col">{e(_("Date"))}</th><th scope="col">{e(_("Progress"))}'
        f'</th><th scope="col">{e(_("Note"))}</th></tr></thead>\n'
        f"  <tbody>\n  {rows}\n  </tbody>\n</table></div>\n"
    )


def my_goal(goal) -> SafeString:
    """One of the person's goals on "my learning" (templates/teams/my_goal.html): a
    PersonalGoal with its team goal and team, `checkin_list` and `thought_list` attached
    (reflections.direction.my_learning)."""
    if goal.team_goal_id:
        part = _("Part of “%(title)s” (%(team)s)") % {
            "title": e(goal.team_goal.title),
            "team": e(goal.team_goal.team.name),
        }
    else:
        part = e(_("A free goal"))
    status = (
        f'<span class="badge">{e(goal.get_status_display())}</span>'
        if goal.status != "active"
        else ""
    )
    if goal.checkin_list:
        caption = _("Check-ins for %(title)s") % {"title": e(goal.title)}
        checkins = f"\n  \n  {_checkin_table(goal.checkin_list, caption)}\n  "
    else:
        empty = _("No check-ins yet. Add one whenever you have tried something: a line is enough.")
        checkins = f'\n  <p class="empty">{e(empty)}</p>\n  '
    thoughts = ""
    if goal.thought_list:
        thoughts = (
            f"\n  <h4>{e(_('My thoughts on the team goal'))}</h4>\n"
            f'  <ul class="plain-list">\n    {my_goal_thoughts(goal.thought_list)}\n  </ul>\n  '
        )
    path = e(reverse("teams:personal_goal", args=[goal.pk]))
    return mark_safe(
        f'<article class="card goal" aria-labelledby="goal-{goal.pk}">\n'
        f'  <h3 id="goal-{goal.pk}"><a href="{path}">{e(goal.title)}</a></h3>\n'
        '  <p class="meta">\n'
        f"    {part}\n"
        f"    · {e(goal.get_challenge_display())}\n"
        f'    <span class="badge">{e(_("Visible to:"))} {e(goal.get_visibility_display())}'
        "</span>\n"
        f"    {status}\n"
        "  </p>\n"
        f"  <p><strong>{e(_('Why:'))}</strong> {linebreaksbr(goal.reason, autoescape=True)}</p>\n"
        f"  \n  {checkins}\n  \n  {thoughts}\n</article>\n"
    )


def _section(heading: str, items: SafeString) -> str:
    return (
        f'\n    <h4>{e(heading)}</h4>\n    <ul class="plain-list">\n      {items}\n    </ul>\n    '
    )


def goal_article(item, *, leads: bool, quiet_days: int, goal_path: list[str]) -> SafeString:
    """One active team goal on the direction view (reflections.direction.GoalActivity), for a
    viewer leading the team or not (templates/teams/goal_items/goal_article.html)."""
    goal = item.goal
    quiet, badge, hint = "", "", ""
    if item.quiet:
        quiet = " quiet"
        days = ngettext(
            "Nothing new in %(days)s day", "Nothing new in %(days)s days", quiet_days
        ) % {"days": quiet_days}
        badge = f'<span class="badge badge-quiet">{days}</span>'
        if leads:
            hint = e(
                _(
                    "Quiet for a while: ask at the next session how this is going and what "
                    "would help."
                )
            )
            hint = f'<p class="hint">{hint}</p>'
    edit = ""
    if leads:
        path = e(reverse("teams:team_goal_edit", args=[goal.pk]))
        edit = f'<a href="{path}">{_("Edit “%(title)s”") % {"title": e(goal.title)}}</a>'
    people = ngettext(
        "%(people)s person works on this and shares it.",
        "%(people)s people work on this and share it.",
        item.people,
    ) % {"people": item.people}
    last = _("Last activity %(day)s.") % {"day": e(_day(item.last_activity))}
    shared = checkins = thoughts = ""
    if item.shared_goals:
        shared = _section(
            _("Personal goals shared on this"), shared_goals(item.shared_goals, goal_path)
        )
    if item.recent_checkins:
        checkins = _section(_("Recent check-ins"), recent_checkins(item.recent_checkins))
    if item.recent_thoughts:
        thoughts = _section(
            _("Recent thoughts on this goal"), team_goal_thoughts(item.recent_thoughts)
        )
    return mark_safe(
        f'<article class="card goal{quiet}" aria-labelledby="goal-{goal.pk}">\n'
        '    <div class="page-head">\n'
        f'      <h3 id="goal-{goal.pk}">{e(goal.title)}</h3>\n'
        f"      {badge}\n"
        f"      {edit}\n"
        "    </div>\n"
        f"    <p><strong>{e(_('Why:'))}</strong> {linebreaksbr(goal.why, autoescape=True)}</p>\n"
        f'    <p class="meta">{people}\n'
        f"      {last}</p>\n"
        f"    {hint}\n    {shared}\n    {checkins}\n    {thoughts}\n  </article>"
    )
