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

from learning_lead import compiled
from reflections import selectors
from reflections.models import Answer, ForwardedItem, Question, Report, Session
from teams.models import StrategyTheme, User

_QUESTION = compiled.columns(Question)
_ANNOTATIONS = ("vote_count", "has_voted", "open_first")
_SESSION = compiled.columns(Session, "session__")
_AUTHOR = compiled.columns(User, "author__")
_PAGE = (*_QUESTION, *_ANNOTATIONS, *_SESSION, *_AUTHOR)


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
        *compiled.columns(Answer), *compiled.columns(User, "author__")
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
            *compiled.columns(ForwardedItem, "forwardeditem__"),
            *compiled.columns(StrategyTheme, "forwardeditem__theme__"),
        )
    ),
    ids=compiled.uuids(selectors.QUESTION_PAGE_SIZE),
)
_REPORTS = compiled.Query(
    lambda ids: (
        Report.objects.filter(question_id__in=ids)
        .order_by("-reported_on", "id")
        .values_list(*compiled.columns(Report))
    ),
    ids=compiled.uuids(selectors.QUESTION_PAGE_SIZE),
)


def _questions(alias: str, rows) -> list[Question]:
    parts = {}
    start = 0
    for name, columns in (("question", _QUESTION), ("annotations", _ANNOTATIONS)):
        parts[name] = slice(start, start + len(columns))
        start += len(columns)
    parts["session"] = slice(start, start + len(_SESSION))
    parts["author"] = slice(start + len(_SESSION), None)
    questions, seen = [], {}
    for row in rows:
        question = compiled.instance(Question, alias, row[parts["question"]])
        question.vote_count, question.has_voted, question.open_first = row[parts["annotations"]]
        # One instance for each session the page names (several questions are about one).
        session = seen.get(question.session_id)
        if session is None:
            session = seen[question.session_id] = compiled.instance(
                Session, alias, row[parts["session"]]
            )
        Question.session.field.set_cached_value(question, session)
        author = compiled.instance(User, alias, row[parts["author"]])
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
    answer_columns = compiled.columns(Answer)
    for row in _ANSWERS.rows(alias, ids=ids):
        answer = compiled.instance(Answer, alias, row[: len(answer_columns)])
        author = compiled.instance(User, alias, row[len(answer_columns) :])
        Answer.author.field.set_cached_value(answer, author)
        getattr(by_id[answer.question_id], selectors.ANSWERS).append(answer)
    forward_columns = compiled.columns(ForwardedItem)
    for row in _FORWARDS.rows(alias, ids=ids):
        end = 1 + len(forward_columns)
        forward = compiled.instance(ForwardedItem, alias, row[1:end])
        theme = compiled.instance(StrategyTheme, alias, row[end:])
        ForwardedItem.theme.field.set_cached_value(forward, theme)
        getattr(by_id[row[0]], selectors.FORWARDS).append(forward)
    if moderate:
        for row in _REPORTS.rows(alias, ids=ids):
            report = compiled.instance(Report, alias, row)
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
