"""Reads of sessions, rhythms, thoughts, questions and pulse results, with the joins their pages
need already applied (no per-row queries in templates)."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from learning_lead import compiled, params
from reflections.models import (
    Answer,
    Attendance,
    ForwardedItem,
    Prompt,
    PromptTemplate,
    PulseAnswered,
    Question,
    Report,
    Rhythm,
    Session,
    TeamAgreement,
    Thought,
    Vote,
)
from reflections.pulse import PULSE_STATEMENTS, pulse_threshold
from teams.models import Team, TeamGoal, User

PAST_LIMIT = 20
UPCOMING_LIMIT = 12
FEED_DAYS_BACK = 90


def upcoming_sessions_for(user: User, *, limit: int = 8) -> QuerySet[Session]:
    """The dashboard's planned sessions not yet over, of the teams the person may see
    (reflections.access.sessions_for): said as a join through the person's membership of
    their organisation's teams (one a team, so one row a session), without the general
    rule's subquery, which cost more to build than the rows
    (tests/reflections/test_dashboard_selectors.py compares the two)."""
    if not user.is_authenticated or user.organization_id is None:
        return Session.objects.none()
    return (
        Session.objects.filter(
            team__memberships__user=user,
            team__organization_id=user.organization_id,
            status=Session.Status.PLANNED,
            ends_at__gt=timezone.now(),
        )
        .select_related("team")
        .order_by("starts_at")[:limit]
    )


def team_upcoming(team: Team) -> QuerySet[Session]:
    return (
        Session.objects.filter(team=team, ends_at__gt=timezone.now())
        .exclude(status=Session.Status.HELD)
        .order_by("starts_at")[:UPCOMING_LIMIT]
    )


def team_past(team: Team) -> QuerySet[Session]:
    return (
        Session.objects.filter(team=team)
        .filter(ends_at__lte=timezone.now())
        .annotate(attendee_count=Count("attendances"))
        .order_by("-starts_at")[:PAST_LIMIT]
    )


def team_listed_session_ids(team_id: int) -> list[int]:
    """The sessions the team's sessions page lists (upcoming and past)."""
    team = Team(pk=team_id)
    return [
        *team_upcoming(team).values_list("pk", flat=True),
        *team_past(team).values_list("pk", flat=True),
    ]


def team_current_session_ids(team_id: int, *, days: int = 14) -> list[int]:
    """The team's sessions that start within `days` of now, either way."""
    now = timezone.now()
    return list(
        Session.objects.filter(
            team_id=team_id,
            starts_at__gte=now - timedelta(days=days),
            starts_at__lte=now + timedelta(days=days),
        ).values_list("pk", flat=True)
    )


def team_rhythms(team: Team) -> QuerySet[Rhythm]:
    return Rhythm.objects.filter(team=team).order_by("-is_active", "title")


def _agreement(team: Team) -> TeamAgreement | None:
    try:
        return team.agreement
    except TeamAgreement.DoesNotExist:
        return None


def _session_questions(*, moderate: bool, with_viewer: bool) -> compiled.Compiled:
    def build(team_id: int, session_id: int, viewer_id: int | None = None):
        team = Team(pk=team_id)
        return questions_list(team, session_id=session_id, moderate=moderate, viewer=viewer_id)

    return compiled.Compiled(build)


SESSION_THOUGHTS = 50


def _session_threads(session_id: int) -> QuerySet[Thought]:
    return _threads(Thought.objects.filter(session_id=session_id))[:SESSION_THOUGHTS]


# The session page runs these on every request: compiled once per process
# (learning_lead/compiled.py). The replies are those of the threads the page shows, in a query
# of their own as prefetch_related("replies") would run them (its query is built afresh).
_SESSION_PROMPTS = compiled.Compiled(
    lambda session_id: Prompt.objects.filter(session_id=session_id)
)
_SESSION_THREADS = compiled.Compiled(_session_threads)
_SESSION_REPLIES = compiled.Compiled(
    lambda session_id: _replies().filter(parent__in=_session_threads(session_id).values("pk"))
)
# The supervisor's forms on it: who took part, and their choices.
_SESSION_ATTENDEES = compiled.Compiled(
    lambda session_id: Attendance.objects.filter(session_id=session_id).values_list(
        "user_id", flat=True
    )
)
SESSION_PEOPLE = compiled.Compiled(lambda team_id: attendance_people(Team(pk=team_id)))
SESSION_TEMPLATES = compiled.Compiled(lambda organization_id: prompt_templates_of(organization_id))
_SESSION_QUESTIONS = {
    (moderate, with_viewer): _session_questions(moderate=moderate, with_viewer=with_viewer)
    for moderate in (False, True)
    for with_viewer in (False, True)
}


def _with_replies(thoughts: list[Thought], replies: list[Thought]) -> None:
    """The thoughts, each with its replies from `replies` in `reply_list`, as
    thoughts_with_replies gives them (prefetch_related's `to_attr`, each reply's parent set)."""
    by_parent = defaultdict(list)
    for reply in replies:
        by_parent[reply.parent_id].append(reply)
    for thought in thoughts:
        thought.reply_list = by_parent[thought.pk]
        for reply in thought.reply_list:
            reply.parent = thought


def session_page(session: Session, *, moderate: bool = False, viewer=None) -> dict:
    """Everything the session page shows the team alike: prompts, what the team posted for
    the session (thoughts with replies, questions with votes and answers) and, for the
    supervisor, who took part. Whether the viewer voted or answered the pulse is asked per
    request (reflections/viewer_facts.py)."""
    questions = _SESSION_QUESTIONS[moderate, viewer is not None]
    ids = {"viewer_id": viewer.pk} if viewer is not None else {}
    thoughts = _SESSION_THREADS(session_id=session.pk)
    if thoughts:  # as prefetch_related, no query for the replies of no thoughts
        _with_replies(thoughts, _SESSION_REPLIES(session_id=session.pk))
    page = {
        "prompts": _SESSION_PROMPTS(session_id=session.pk),
        "attendee_ids": set(),
        "thoughts": thoughts,
        "questions": questions(team_id=session.team_id, session_id=session.pk, **ids),
        "agreement": _agreement(session.team),
        "pulse_statements": len(PULSE_STATEMENTS),
    }
    if moderate:
        page["attendee_ids"] = set(_SESSION_ATTENDEES(session_id=session.pk))
    return page


# The calendar feed reads rows, not model instances: it is polled, and building the sessions,
# their teams and prompts as models was most of its queries' time.
FEED_SESSION_FIELDS = (
    "pk",
    "uid",
    "title",
    "team__name",
    "starts_at",
    "ends_at",
    "time_zone",
    "location",
    "video_url",
    "status",
    "sequence",
    "updated_at",
)


def feed_sessions(teams: QuerySet[Team] | Iterable[int]) -> QuerySet[Session]:
    """The calendar feed's sessions of these teams (or team ids), as rows of
    FEED_SESSION_FIELDS."""
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    return (
        Session.objects.filter(team__in=teams, starts_at__gte=since)
        .order_by("starts_at")
        .values(*FEED_SESSION_FIELDS)
    )


def feed_prompts(session_ids: Iterable[int]) -> QuerySet[Prompt]:
    """(session id, built-in key, custom text) of the sessions' prompts, in their order."""
    return Prompt.objects.filter(session_id__in=session_ids).values_list(
        "session_id", "builtin_key", "custom_text"
    )


# Place: the team feed, newest first, paged by (created_at, id) rather than by offset.

FEED_PAGE_SIZE = 20


@dataclass
class FeedPage:
    thoughts: list[Thought]
    next_cursor: str = ""


def encode_cursor(thought: Thought) -> str:
    micros = int(thought.created_at.timestamp() * 1_000_000)
    return f"{micros}-{thought.pk}"


def decode_cursor(value: str) -> tuple[datetime, int] | None:
    """The position after which the next page starts; None for anything malformed."""
    micros, _, pk = (value or "").partition("-")
    micros, pk = params.id_or_none(micros), params.id_or_none(pk)
    if micros is None or pk is None:
        return None
    try:
        when = datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return when, pk


# What a list of thoughts shows (reflections/thought_html.py), and nothing more: the feed and
# the session page read these on every request with the fragment cache off, and the joined
# rows' other columns cost more to compile and to build into instances than the page itself.
THOUGHT_SHOWN = (
    *("team_id", "session_id", "parent_id", "team_goal_id", "author_id"),
    *("kind", "body", "created_at", "edited_at"),
    *("author__first_name", "author__last_name", "author__username"),
)


def _replies() -> QuerySet[Thought]:
    return (
        Thought.objects.select_related("author").only(*THOUGHT_SHOWN).order_by("created_at", "id")
    )


def thoughts_with_replies(thoughts: QuerySet[Thought]) -> QuerySet[Thought]:
    """Top-level thoughts, newest first, with the fields a list shows; each one's replies,
    oldest first, in `reply_list` (a list: no queryset is built per thought)."""
    return _threads(thoughts).prefetch_related(
        Prefetch("replies", queryset=_replies(), to_attr="reply_list")
    )


def _threads(thoughts: QuerySet[Thought]) -> QuerySet[Thought]:
    """The top-level thoughts of `thoughts`, newest first, with the fields a list shows,
    without their replies."""
    return (
        thoughts.filter(parent__isnull=True)
        .select_related("author", "session", "team_goal")
        .only(*THOUGHT_SHOWN, "session__title", "session__starts_at", "team_goal__title")
        .order_by("-created_at", "-id")
    )


def feed_page(
    team: Team,
    *,
    kind: str = "",
    session_id: int | None = None,
    cursor: str = "",
    size: int = FEED_PAGE_SIZE,
) -> FeedPage:
    thoughts = feed_thoughts(team, kind=kind, session_id=session_id, position=decode_cursor(cursor))
    rows = list(thoughts_with_replies(thoughts)[: size + 1])
    if len(rows) > size:
        return FeedPage(rows[:size], encode_cursor(rows[size - 1]))
    return FeedPage(rows)


def feed_thoughts(
    team: Team | int,
    *,
    kind: str = "",
    session_id: int | None = None,
    position: tuple[datetime, int] | None = None,
) -> QuerySet[Thought]:
    """The team's thoughts the feed may list, filtered by kind and session, after `position`
    (`decode_cursor`), unordered."""
    thoughts = Thought.objects.filter(team=team)
    if kind:
        thoughts = thoughts.filter(kind=kind)
    if session_id:
        thoughts = thoughts.filter(session_id=session_id)
    if position is not None:
        created_at, pk = position
        thoughts = thoughts.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        )
    return thoughts


def feed_sessions_for_filter(team: Team) -> QuerySet[Session]:
    """Sessions a thought or question can be about: held or started recently, or coming soon."""
    return sessions_starting(team, *feed_session_window(timezone.now()))


def feed_session_window(now: datetime) -> tuple[datetime, datetime]:
    """When the sessions of `feed_sessions_for_filter` start."""
    return now - timedelta(days=FEED_DAYS_BACK), now + timedelta(days=14)


def sessions_starting(team: Team | int, since: datetime, until: datetime) -> QuerySet[Session]:
    """The team's sessions starting from `since` to `until`, the latest first."""
    return Session.objects.filter(team=team, starts_at__gte=since, starts_at__lte=until).order_by(
        "-starts_at"
    )


def thought_goals(team: Team | int) -> QuerySet[TeamGoal]:
    """The team's learning goals a thought can build on (the post form's choices)."""
    return TeamGoal.objects.filter(team=team, status=TeamGoal.Status.ACTIVE).order_by("title")


def feed_sessions_listed(team: Team) -> list[Session]:
    """feed_sessions_for_filter as the feed's filter and form list them: a title and a day
    each (Session.__str__), nothing the page does not show."""
    return list(feed_sessions_for_filter(team).only("title", "starts_at"))


# Atmosphere: questions. Ordered by votes, then day, then the random id: never by creation, so
# the list's order tells nothing about who asked when.

QUESTION_LIST_LIMIT = 100
QUESTION_PAGE_SIZE = 20


def _vote_count():
    # A subquery per question, not a join and GROUP BY: the page is rendered on every request
    # (docs/caching.md), and the join made PostgreSQL scan and group every vote of the database.
    return Coalesce(
        Subquery(
            Vote.objects.filter(question=OuterRef("pk"))
            .order_by()
            .values("question")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


QUESTION_ORDER = ("open_first", "-vote_count", "-asked_on", "id")


def sorted_questions(team: Team | int, *, session_id: int | None = None) -> QuerySet[Question]:
    """The team's questions with their sort key only (no join): the list's order."""
    questions = Question.objects.filter(team=team)
    if session_id:
        questions = questions.filter(session_id=session_id)
    return questions.annotate(
        vote_count=_vote_count(),
        open_first=Case(When(status=Question.Status.OPEN, then=Value(0)), default=Value(1)),
    ).order_by(*QUESTION_ORDER)


def questions_after(questions: QuerySet[Question], position: tuple) -> QuerySet[Question]:
    """The `sorted_questions` after the one at `position` (`decode_question_cursor`)."""
    first, votes, day, pk = position
    return questions.filter(
        Q(open_first__gt=first)
        | Q(open_first=first, vote_count__lt=votes)
        | Q(open_first=first, vote_count=votes, asked_on__lt=day)
        | Q(open_first=first, vote_count=votes, asked_on=day, id__gt=pk)
    )


def annotated_questions(chosen: QuerySet[Question], *, viewer=None) -> QuerySet[Question]:
    """The questions `chosen` (a sliced `sorted_questions`) in list order, each with its vote
    count and whether `viewer` (a person or their id) voted (`has_voted`): the page shows that
    per request (reflections/viewer_facts.py), and the viewer who renders the page gets it from
    here without a query more. The sort and the limit run on the questions alone, and only the
    rows of the page are joined: joining first made PostgreSQL hash every session and user of
    the database on every request."""
    return (
        Question.objects.filter(pk__in=chosen.values("pk"))
        .annotate(
            vote_count=_vote_count(),
            has_voted=Exists(Vote.objects.filter(question=OuterRef("pk"), user=viewer))
            if viewer is not None
            else Value(False),
            open_first=Case(When(status=Question.Status.OPEN, then=Value(0)), default=Value(1)),
        )
        .order_by(*QUESTION_ORDER)
    )


# What a listed question carries besides its row, as lists (Prefetch's to_attr): its answers,
# the forwards it went up in, and, for a supervisor, its reports.
ANSWERS, FORWARDS, REPORTS = "answer_list", "forward_list", "report_list"


def _loaded(chosen: QuerySet[Question], *, moderate: bool = False, viewer=None):
    """`annotated_questions` with all a list shows: author, session, answers, forwards and,
    to moderate, reports."""
    questions = (
        annotated_questions(chosen, viewer=viewer)
        .select_related("author", "session")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("author"), to_attr=ANSWERS),
            Prefetch(
                "forwards",
                queryset=ForwardedItem.objects.select_related("theme").order_by(
                    "forwarded_on", "id"
                ),
                to_attr=FORWARDS,
            ),
        )
    )
    if moderate:
        questions = questions.prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.order_by("-reported_on", "id"),
                to_attr=REPORTS,
            )
        )
    return questions


def questions_list(
    team: Team, *, session_id: int | None = None, moderate: bool = False, viewer=None
) -> QuerySet[Question]:
    """The team's questions as everyone sees them, in list order, at most
    QUESTION_LIST_LIMIT."""
    chosen = sorted_questions(team, session_id=session_id)[:QUESTION_LIST_LIMIT]
    return _loaded(chosen, moderate=moderate, viewer=viewer)


@dataclass
class QuestionPage:
    questions: list[Question]
    next_cursor: str = ""

    @classmethod
    def of(cls, rows: list[Question], size: int) -> "QuestionPage":
        """The page of `size` questions from `size` + 1 rows (the one more says there is a
        next page)."""
        if len(rows) > size:
            return cls(rows[:size], encode_question_cursor(rows[size - 1]))
        return cls(rows)


def encode_question_cursor(question: Question) -> str:
    """The list's sort key of the question: nothing the page does not already show."""
    return (
        f"{question.open_first}-{question.vote_count}-{question.asked_on:%Y%m%d}-{question.pk.hex}"
    )


def decode_question_cursor(value: str) -> tuple[int, int, date, uuid.UUID] | None:
    parts = (value or "").split("-")
    if len(parts) != 4 or not all(part.isalnum() for part in parts):
        return None
    try:
        day = datetime.strptime(parts[2], "%Y%m%d").date()
        return int(parts[0]), int(parts[1]), day, uuid.UUID(hex=parts[3])
    except ValueError:
        return None


def questions_page(
    team: Team,
    *,
    session_id: int | None = None,
    moderate: bool = False,
    viewer=None,
    cursor: str = "",
    size: int = QUESTION_PAGE_SIZE,
) -> QuestionPage:
    """A page of the team's questions in list order, after `cursor` (keyset, not offset).
    A vote cast between two pages can move a question across the page boundary.
    (reflections/question_rows.py reads the same page faster on PostgreSQL.)"""
    questions = sorted_questions(team, session_id=session_id)
    position = decode_question_cursor(cursor)
    if position is not None:
        questions = questions_after(questions, position)
    rows = list(_loaded(questions[: size + 1], moderate=moderate, viewer=viewer))
    return QuestionPage.of(rows, size)


# Atmosphere: the safety pulse, only in aggregate and only from enough people.


@dataclass
class StatementResult:
    text: str
    count: int
    average: float | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class PulseResults:
    answered: int
    threshold: int
    statements: list[StatementResult]
    released: int = 0  # how many had answered when the results shown were taken

    @property
    def visible(self) -> bool:
        return self.released >= self.threshold

    @property
    def next_release(self) -> int:
        return (self.answered // self.threshold + 1) * self.threshold


def pulse_results(session: Session) -> PulseResults:
    """The latest release (reflections.services._pulse_release): results move only when
    another full group has answered."""
    threshold = pulse_threshold(session)
    answered = PulseAnswered.objects.filter(session=session).count()
    release = session.pulse_releases.order_by("-answered").first()
    counts = release.counts if release else {}
    statements = []
    for key, text in PULSE_STATEMENTS.items():
        values = {int(value): n for value, n in counts.get(key, {}).items()}
        total = sum(values.values())
        result = StatementResult(text=str(text), count=total)
        if total >= threshold:  # each statement needs enough answers of its own, too
            result.average = sum(v * n for v, n in values.items()) / total
            result.distribution = [(value, values.get(value, 0)) for value in range(1, 6)]
        statements.append(result)
    return PulseResults(
        answered=answered,
        threshold=threshold,
        statements=statements,
        released=release.answered if release else 0,
    )


def agreement_of(team: Team) -> TeamAgreement | None:
    """The team's agreement with who last changed it, or None before the first one."""
    return TeamAgreement.objects.filter(team=team).select_related("updated_by").first()


def pulse_answered(*, session: Session, user: User) -> bool:
    return PulseAnswered.objects.filter(session=session, user=user).exists()


def prompt_templates_of(organization_id: int) -> QuerySet[PromptTemplate]:
    return PromptTemplate.objects.filter(organization_id=organization_id)


def attendance_people(team: Team) -> QuerySet[User]:
    """Whom a supervisor can mark present at a session of the team."""
    return team.members.order_by("first_name", "username")
