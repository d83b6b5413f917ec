"""The team's questions list's page, read through SQL built once per process.

The list is rendered for every reader it was not filled for (docs/caching.md), and building its
querysets cost more than running them: the page's query with its subqueries took 2 ms to build,
and prefetching each question's answers, forwards and reports more again. On PostgreSQL this
runs the same querysets (reflections/selectors.py's: which questions, in which order, with which
vote count) compiled once (learning_lead/compiled.py), as rows made into the model instances
``selectors.questions_page`` gives, with the same lists of answers, forwards and reports;
elsewhere it is ``selectors.questions_page``. tests/reflections/test_question_rows.py compares
the two."""

import functools

from django.db import router
from django.utils import timezone

from learning_lead import compiled
from reflections import selectors
from reflections.models import Answer, ForwardedItem, Question, Report, Session
from teams.models import StrategyTheme, User


def _columns(model, prefix: str = "") -> list[str]:
    return [prefix + field.attname for field in model._meta.concrete_fields]


_QUESTION = _columns(Question)
_ANNOTATIONS = ["vote_count", "has_voted", "open_first"]
_SESSION = _columns(Session, "session__")
_AUTHOR = _columns(User, "author__")
_PAGE = [*_QUESTION, *_ANNOTATIONS, *_SESSION, *_AUTHOR]


@functools.cache
def _page_query(*, by_session: bool, voter: bool, after: bool, size: int) -> compiled.Query:
    """The page's questions, with their session and author, for one shape of request."""
    stand_ins = {"team": compiled.number(1)}
    if by_session:
        stand_ins["session"] = compiled.number(2)
    if voter:
        stand_ins["viewer"] = compiled.number(3)
    if after:
        stand_ins["after"] = [
            compiled.number(4),
            compiled.number(5),
            compiled.day(1),
            compiled.uuids(1)[0],
        ]

    def build(*, team, session=None, viewer=None, after=None):
        questions = selectors.sorted_questions(team, session_id=session)
        if after is not None:
            questions = selectors.questions_after(questions, after)
        chosen = selectors.annotated_questions(questions[: size + 1], viewer=viewer)
        return chosen.values_list(*_PAGE)

    return compiled.Query(build, **stand_ins)


_ANSWERS = compiled.Query(
    lambda ids: Answer.objects.filter(question_id__in=ids).values_list(
        *_columns(Answer), *_columns(User, "author__")
    ),
    ids=compiled.uuids(selectors.QUESTION_PAGE_SIZE),
)
_THROUGH = ForwardedItem.questions.through
_FORWARDS = compiled.Query(
    lambda ids: (
        _THROUGH.objects.filter(question_id__in=ids)
        .order_by("forwardeditem__forwarded_on", "forwardeditem__id")
        .values_list(
            "question_id",
            *_columns(ForwardedItem, "forwardeditem__"),
            *_columns(StrategyTheme, "forwardeditem__theme__"),
        )
    ),
    ids=compiled.uuids(selectors.QUESTION_PAGE_SIZE),
)
_REPORTS = compiled.Query(
    lambda ids: (
        Report.objects.filter(question_id__in=ids)
        .order_by("-reported_on", "id")
        .values_list(*_columns(Report))
    ),
    ids=compiled.uuids(selectors.QUESTION_PAGE_SIZE),
)


_SESSIONS = compiled.Query(
    lambda team, since, until: selectors.sessions_starting(team, since, until).values_list(
        *_columns(Session)
    ),
    team=compiled.number(1),
    since=compiled.moment(1),
    until=compiled.moment(2),
)


def sessions(team) -> list[Session]:
    """``selectors.feed_sessions_for_filter(team)``, the sessions a question can be about (the
    ask form's choices)."""
    alias = router.db_for_read(Session)
    if not compiled.available(alias):
        return list(selectors.feed_sessions_for_filter(team))
    since, until = selectors.feed_session_window(timezone.now())
    columns = _columns(Session)
    return [
        _instance(Session, alias, columns, row)
        for row in _SESSIONS.rows(alias, team=team.pk, since=since, until=until)
    ]


def _instance(model, alias: str, names: list[str], values):
    """``model`` from all its columns' values, or None when its row was not joined (null id)."""
    if values[0] is None:
        return None
    return model.from_db(alias, names, values)


def _questions(alias: str, rows) -> list[Question]:
    parts = {}
    start = 0
    for name, columns in (("question", _QUESTION), ("annotations", _ANNOTATIONS)):
        parts[name] = slice(start, start + len(columns))
        start += len(columns)
    parts["session"] = slice(start, start + len(_SESSION))
    parts["author"] = slice(start + len(_SESSION), None)
    session_columns, author_columns = _columns(Session), _columns(User)
    questions, sessions = [], {}
    for row in rows:
        question = _instance(Question, alias, _QUESTION, row[parts["question"]])
        question.vote_count, question.has_voted, question.open_first = row[parts["annotations"]]
        # One instance for each session the page names (several questions are about one).
        session = sessions.get(question.session_id)
        if session is None:
            session = _instance(Session, alias, session_columns, row[parts["session"]])
            sessions[question.session_id] = session
        Question.session.field.set_cached_value(question, session)
        author = _instance(User, alias, author_columns, row[parts["author"]])
        Question.author.field.set_cached_value(question, author)
        questions.append(question)
    return questions


def _attach(alias: str, questions: list[Question], *, moderate: bool) -> None:
    """Each question's answers, forwards and (to moderate) reports, as ``_loaded`` lists them."""
    by_id = {}
    for question in questions:
        by_id[question.pk] = question
        setattr(question, selectors.ANSWERS, [])
        setattr(question, selectors.FORWARDS, [])
        if moderate:
            setattr(question, selectors.REPORTS, [])
    if not questions:
        return
    ids = list(by_id)
    answer_columns, author_columns = _columns(Answer), _columns(User)
    for row in _ANSWERS.rows(alias, ids=ids):
        answer = _instance(Answer, alias, answer_columns, row[: len(answer_columns)])
        author = _instance(User, alias, author_columns, row[len(answer_columns) :])
        Answer.author.field.set_cached_value(answer, author)
        getattr(by_id[answer.question_id], selectors.ANSWERS).append(answer)
    forward_columns, theme_columns = _columns(ForwardedItem), _columns(StrategyTheme)
    for row in _FORWARDS.rows(alias, ids=ids):
        end = 1 + len(forward_columns)
        forward = _instance(ForwardedItem, alias, forward_columns, row[1:end])
        theme = _instance(StrategyTheme, alias, theme_columns, row[end:])
        ForwardedItem.theme.field.set_cached_value(forward, theme)
        getattr(by_id[row[0]], selectors.FORWARDS).append(forward)
    if moderate:
        report_columns = _columns(Report)
        for row in _REPORTS.rows(alias, ids=ids):
            report = _instance(Report, alias, report_columns, row)
            getattr(by_id[report.question_id], selectors.REPORTS).append(report)


def page(
    team,
    *,
    session_id: int | None = None,
    moderate: bool = False,
    viewer=None,
    cursor: str = "",
    size: int = selectors.QUESTION_PAGE_SIZE,
) -> selectors.QuestionPage:
    """``selectors.questions_page``, read as the module says."""
    alias = router.db_for_read(Question)
    if not compiled.available(alias) or size > selectors.QUESTION_PAGE_SIZE:
        return selectors.questions_page(
            team,
            session_id=session_id,
            moderate=moderate,
            viewer=viewer,
            cursor=cursor,
            size=size,
        )
    position = selectors.decode_question_cursor(cursor)
    query = _page_query(
        by_session=bool(session_id),
        voter=viewer is not None,
        after=position is not None,
        size=size,
    )
    values = {"team": team.pk}
    if session_id:
        values["session"] = session_id
    if viewer is not None:
        values["viewer"] = viewer.pk
    if position is not None:
        values["after"] = list(position)
    questions = _questions(alias, query.rows(alias, **values))
    shown = selectors.QuestionPage.of(questions, size)
    _attach(alias, shown.questions, moderate=moderate)
    return shown
