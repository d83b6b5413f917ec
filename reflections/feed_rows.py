"""The team feed's page of thoughts and the sessions it lists, read through SQL built once per
process.

The feed is the most requested page and, with the fragment cache off, read on every request:
building its querysets (the page's joins, the replies' prefetch) and the ORM's instances cost
more than running them. On PostgreSQL this runs the same reads (reflections/selectors.py's
``feed_thoughts`` and the fields ``thoughts_with_replies`` loads) compiled once
(learning_lead/compiled.py), as rows made into the model instances ``selectors.feed_page``
gives, with the same ``reply_list``; elsewhere it is ``selectors.feed_page``.
tests/reflections/test_feed_rows.py compares the two."""

import functools

from django.db import router
from django.utils import timezone

from learning_lead import compiled
from reflections import selectors
from reflections.models import Session, Thought
from teams.models import TeamGoal, User


def _fields(model, names) -> tuple[str, ...]:
    """`names` and the id in the model's order of fields, the order `Model.from_db` reads."""
    wanted = {"id", *names}
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in wanted)


# The fields .only() loads in selectors.thoughts_with_replies: the thought's own
# (THOUGHT_SHOWN's), its author's, its session's and its goal's.
_THOUGHT = _fields(Thought, [name for name in selectors.THOUGHT_SHOWN if "__" not in name])
_AUTHOR = _fields(User, [name[8:] for name in selectors.THOUGHT_SHOWN if name[:8] == "author__"])
_SESSION = _fields(Session, ["title", "starts_at"])
_GOAL = _fields(TeamGoal, ["title"])


def _through(prefix: str, names) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in names)


_PAGE = (*_THOUGHT, *_through("author", _AUTHOR))
_TOP = (*_PAGE, *_through("session", _SESSION), *_through("team_goal", _GOAL))


@functools.cache
def _page_query(*, by_kind: bool, by_session: bool, after: bool, size: int) -> compiled.Query:
    """One page of the team's top-level thoughts (and one more, to know there is a next), for
    one shape of request."""
    stand_ins = {"team": compiled.number(1)}
    if by_kind:
        stand_ins["kind"] = "stand-in kind"
    if by_session:
        stand_ins["session"] = compiled.number(2)
    if after:
        stand_ins["after"] = [compiled.moment(1), compiled.number(3)]

    def build(*, team, kind="", session=None, after=None):
        thoughts = selectors.feed_thoughts(team, kind=kind, session_id=session, position=after)
        return selectors.thoughts_with_replies(thoughts).values_list(*_TOP)[: size + 1]

    return compiled.Query(build, **stand_ins)


_REPLIES = compiled.Query(
    lambda parents: (
        Thought.objects.filter(parent_id__in=parents)
        .order_by("created_at", "id")
        .values_list(*_PAGE)
    ),
    parents=[compiled.number(10 + index) for index in range(selectors.FEED_PAGE_SIZE)],
)


_AUTHOR_FIELD = Thought.author.field
_SESSION_FIELD = Thought.session.field
_GOAL_FIELD = Thought.team_goal.field
_AUTHOR_END = len(_THOUGHT) + len(_AUTHOR)
_SESSION_END = _AUTHOR_END + len(_SESSION)


class _Loader:
    """Makes one page's rows into instances, loaded with only their fields as `.only()` loads
    them; one instance for each author, session and goal the page names (a page of thoughts
    and replies names a few people many times)."""

    def __init__(self, alias: str):
        self.alias = alias
        self.seen = {}

    def related(self, model, names, values):
        """None for a row not joined (a null id)."""
        if values[0] is None:
            return None
        key = (model, values[0])
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = model.from_db(self.alias, names, values)
        return found

    def thought(self, row) -> Thought:
        thought = Thought.from_db(self.alias, _THOUGHT, row[: len(_THOUGHT)])
        author = self.related(User, _AUTHOR, row[len(_THOUGHT) : _AUTHOR_END])
        _AUTHOR_FIELD.set_cached_value(thought, author)
        return thought

    def top(self, row) -> Thought:
        """A thought of the page's own query, with its session and goal."""
        thought = self.thought(row)
        session = self.related(Session, _SESSION, row[_AUTHOR_END:_SESSION_END])
        _SESSION_FIELD.set_cached_value(thought, session)
        _GOAL_FIELD.set_cached_value(thought, self.related(TeamGoal, _GOAL, row[_SESSION_END:]))
        return thought


def page(
    team,
    *,
    kind: str = "",
    session_id: int | None = None,
    cursor: str = "",
    size: int = selectors.FEED_PAGE_SIZE,
) -> selectors.FeedPage:
    """``selectors.feed_page``, read as the module says."""
    alias = router.db_for_read(Thought)
    if not compiled.available(alias) or size > selectors.FEED_PAGE_SIZE:
        return selectors.feed_page(team, kind=kind, session_id=session_id, cursor=cursor, size=size)
    position = selectors.decode_cursor(cursor)
    query = _page_query(
        by_kind=bool(kind), by_session=bool(session_id), after=position is not None, size=size
    )
    values = {"team": team.pk}
    if kind:
        values["kind"] = kind
    if session_id:
        values["session"] = session_id
    if position is not None:
        values["after"] = list(position)
    loader = _Loader(alias)
    thoughts = [loader.top(row) for row in query.rows(alias, **values)]
    shown = thoughts[:size]
    by_id = {}
    for thought in shown:
        thought.reply_list = []
        by_id[thought.pk] = thought
    if by_id:
        for row in _REPLIES.rows(alias, parents=list(by_id)):
            reply = loader.thought(row)
            by_id[reply.parent_id].reply_list.append(reply)
    if len(thoughts) > size:
        return selectors.FeedPage(shown, selectors.encode_cursor(shown[-1]))
    return selectors.FeedPage(shown)


_SESSIONS = compiled.Query(
    lambda team, since, until: selectors.sessions_starting(team, since, until).values_list(
        *_SESSION
    ),
    team=compiled.number(1),
    since=compiled.moment(1),
    until=compiled.moment(2),
)


def sessions_listed(team) -> list[Session]:
    """``selectors.feed_sessions_listed(team)``: the sessions the filter and the form offer."""
    alias = router.db_for_read(Session)
    if not compiled.available(alias):
        return selectors.feed_sessions_listed(team)
    since, until = selectors.feed_session_window(timezone.now())
    return [
        Session.from_db(alias, _SESSION, row)
        for row in _SESSIONS.rows(alias, team=team.pk, since=since, until=until)
    ]


_GOALS = compiled.Query(
    lambda team: selectors.thought_goals(team).values_list(*_GOAL), team=compiled.number(1)
)


def goals(team) -> list[TeamGoal]:
    """``selectors.thought_goals(team)``, with the title each one's choice shows: the goals
    the post form offers."""
    alias = router.db_for_read(TeamGoal)
    if not compiled.available(alias):
        return list(selectors.thought_goals(team).only(*_GOAL))
    return [TeamGoal.from_db(alias, _GOAL, row) for row in _GOALS.rows(alias, team=team.pk)]
