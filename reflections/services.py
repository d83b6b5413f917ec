"""Writes for rhythms and sessions (planning, keeping the stored horizon, moving, skipping,
holding a session, prompts, calendar feed tokens) and for the place and atmosphere (thoughts,
questions, votes, answers, reports, the safety pulse).

Nothing here logs who asked an anonymous question or answered the pulse. Each write names the
cached pages' scopes it changes (learning_lead/fragment_scopes.py); questions, votes and
answers name only their team's ``questions:`` and their session's ``session:`` scope, which
only pages their writers fill read (docs/caching.md); reports and the pulse name none."""

import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from learning_lead import fragments
from notifications import notice_services
from privacy import audit as privacy_audit
from privacy.models import AuditEvent
from reflections import recurrence
from reflections.models import (
    Answer,
    Attendance,
    CalendarFeed,
    Prompt,
    PromptTemplate,
    PulseAnswered,
    PulseRelease,
    PulseValue,
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


def horizon_end(now: datetime) -> datetime:
    return now + timedelta(days=settings.SESSION_HORIZON_DAYS)


@transaction.atomic
def rhythm_create(*, team: Team, **fields) -> Rhythm:
    rhythm = Rhythm.objects.create(team=team, **fields)
    fragments.changed(fragments.team(team.pk))
    rhythm_sync(rhythm=rhythm)
    return rhythm


@transaction.atomic
def rhythm_update(*, rhythm: Rhythm, **fields) -> Rhythm:
    for name, value in fields.items():
        setattr(rhythm, name, value)
    rhythm.save()
    fragments.changed(fragments.team(rhythm.team_id))
    rhythm_sync(rhythm=rhythm)
    return rhythm


@transaction.atomic
def rhythm_sync(*, rhythm: Rhythm, now: datetime | None = None) -> None:
    """Makes the stored future sessions match the rhythm up to the horizon.

    Held and past sessions are never touched. Future planned sessions follow the rhythm's
    time, length and place unless the supervisor moved them one by one; occurrences the rhythm
    no longer has are removed (or kept as skipped if people already took part)."""
    now = now or timezone.now()
    fragments.changed(fragments.team(rhythm.team_id))  # its sessions, whatever changes below
    wanted = {}
    if rhythm.is_active:
        for occurrence in recurrence.occurrences(
            rule=rhythm.rule(),
            start_date=rhythm.start_date,
            start_time=rhythm.start_time,
            time_zone=rhythm.time_zone,
            duration_minutes=rhythm.duration_minutes,
            after=now,
            before=horizon_end(now),
        ):
            wanted[occurrence.local_date] = occurrence
    existing = {
        session.occurrence_date: session
        for session in Session.objects.select_for_update().filter(
            rhythm=rhythm, occurrence_date__gte=(now - timedelta(days=1)).date()
        )
    }
    new = []
    for local_date, occurrence in wanted.items():
        session = existing.pop(local_date, None)
        if session is None:
            new.append(
                Session(
                    team_id=rhythm.team_id,
                    rhythm=rhythm,
                    occurrence_date=local_date,
                    title=rhythm.title,
                    starts_at=occurrence.starts_at,
                    ends_at=occurrence.ends_at,
                    time_zone=rhythm.time_zone,
                    location=rhythm.location,
                    video_url=rhythm.video_url,
                )
            )
        elif session.status == Session.Status.PLANNED and session.starts_at > now:
            _follow_rhythm(session, rhythm, occurrence)
    # The new sessions and their prompts in one insert each, however many weeks the horizon
    # holds (the team's scope was named above).
    Session.objects.bulk_create(new)
    Prompt.objects.bulk_create(
        Prompt(session=session, builtin_key=key, position=index)
        for session in new
        for index, key in enumerate(rhythm.prompt_keys)
    )
    for session in existing.values():
        if session.status == Session.Status.PLANNED and session.starts_at > now:
            if session.attendances.exists():
                _skip(session)
            else:
                session.delete()
                # Thoughts about it stay, no longer about a session: the feed shows that.
                fragments.changed(fragments.thoughts(rhythm.team_id))


def _follow_rhythm(session: Session, rhythm: Rhythm, occurrence) -> None:
    times = (
        (session.starts_at, session.ends_at)
        if session.is_moved
        else (occurrence.starts_at, occurrence.ends_at)
    )
    changes = {
        "title": rhythm.title,
        "starts_at": times[0],
        "ends_at": times[1],
        "time_zone": rhythm.time_zone,
        "location": rhythm.location,
        "video_url": rhythm.video_url,
    }
    changed = [name for name, value in changes.items() if getattr(session, name) != value]
    if changed:
        for name in changed:
            setattr(session, name, changes[name])
        session.sequence += 1
        session.save(update_fields=[*changed, "sequence", "updated_at"])


def _skip(session: Session) -> None:
    session.status = Session.Status.SKIPPED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])


def rhythms_extend_horizon(*, now: datetime | None = None) -> int:
    """Plans sessions up to the horizon for every active rhythm (run daily)."""
    count = 0
    for rhythm in Rhythm.objects.filter(is_active=True).iterator():
        rhythm_sync(rhythm=rhythm, now=now)
        count += 1
    return count


@transaction.atomic
def session_add(
    *,
    team: Team,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    time_zone: str,
    location: str = "",
    video_url: str = "",
    prompt_keys: list[str] | None = None,
) -> Session:
    session = Session.objects.create(
        team=team,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration_minutes),
        time_zone=time_zone,
        location=location,
        video_url=video_url,
    )
    prompts_add_builtin(session=session, keys=prompt_keys or [])
    fragments.changed(fragments.team(team.pk))
    return session


@transaction.atomic
def session_move(
    *, session: Session, starts_at: datetime, duration_minutes: int, location: str, video_url: str
) -> Session:
    session.starts_at = starts_at
    session.ends_at = starts_at + timedelta(minutes=duration_minutes)
    session.location = location
    session.video_url = video_url
    session.is_moved = session.rhythm_id is not None
    session.sequence += 1
    session.save(
        update_fields=[
            "starts_at",
            "ends_at",
            "location",
            "video_url",
            "is_moved",
            "sequence",
            "updated_at",
        ]
    )
    fragments.changed(fragments.team(session.team_id))
    return session


@transaction.atomic
def session_skip(*, session: Session) -> None:
    _skip(session)
    fragments.changed(fragments.team(session.team_id))


@transaction.atomic
def session_restore(*, session: Session) -> None:
    session.status = Session.Status.PLANNED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    fragments.changed(fragments.team(session.team_id))


@transaction.atomic
def session_hold(*, session: Session, attendees: list[User]) -> None:
    """Marks the session held and records exactly these people as having taken part."""
    session.status = Session.Status.HELD
    session.held_at = session.held_at or timezone.now()
    session.save(update_fields=["status", "held_at", "updated_at"])
    ids = {user.pk for user in attendees}
    Attendance.objects.filter(session=session).exclude(user_id__in=ids).delete()
    already = set(Attendance.objects.filter(session=session).values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(session=session, user_id=user_id) for user_id in ids - already]
    )
    fragments.changed(fragments.team(session.team_id))


def prompts_add_builtin(*, session: Session, keys: list[str]) -> None:
    start = session.prompts.count()
    Prompt.objects.bulk_create(
        [
            Prompt(session=session, builtin_key=key, position=start + index)
            for index, key in enumerate(keys)
        ]
    )
    fragments.changed(fragments.team(session.team_id))


@transaction.atomic
def prompt_add(*, session: Session, builtin_key: str = "", text: str = "") -> Prompt:
    position = session.prompts.count()
    prompt = Prompt.objects.create(
        session=session, builtin_key=builtin_key, custom_text=text, position=position
    )
    fragments.changed(fragments.team(session.team_id))
    return prompt


@transaction.atomic
def prompt_remove(*, prompt: Prompt) -> None:
    Prompt.objects.filter(session_id=prompt.session_id, position__gt=prompt.position).update(
        position=F("position") - 1
    )
    prompt.delete()
    fragments.changed(fragments.team(prompt.session.team_id))


def feed_for_user(*, user: User) -> CalendarFeed:
    """The person's own feed of all their teams."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user, team=None)
    return feed


def feed_for_team(*, user: User, team: Team) -> CalendarFeed:
    """The person's own link to one team's sessions; it works while they are in the team."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user, team=team)
    return feed


def feeds_for_teams(*, user: User, teams: list[Team]) -> dict[int, CalendarFeed]:
    """The person's feed of each team by team id, creating the missing ones; one query once
    they exist."""
    mine = CalendarFeed.objects.filter(user=user, team__in=teams)
    feeds = {feed.team_id: feed for feed in mine}
    missing = [CalendarFeed(user=user, team=team) for team in teams if team.pk not in feeds]
    if missing:
        CalendarFeed.objects.bulk_create(missing, ignore_conflicts=True)
        feeds = {feed.team_id: feed for feed in mine.all()}
    return feeds


@transaction.atomic
def feed_reset(*, feed: CalendarFeed) -> CalendarFeed:
    """Gives the feed a new secret address; the old one stops working at once."""
    feed.token = CalendarFeed._meta.get_field("token").default()
    feed.save(update_fields=["token"])
    return feed


# Place: in-progress thoughts and replies.


def _thought_scopes(team_id: int, *, session_id, team_goal_id) -> list[str]:
    """A thought's scopes: its team's thoughts (the feed), and the pages of the session and the
    team goal it is about, if any."""
    scopes = [fragments.thoughts(team_id), *_session_scope(session_id)]
    if team_goal_id:
        scopes.append(fragments.goal_thoughts(team_id))
    return scopes


def _session_scope(session_id: int | None) -> list[str]:
    """The page of the session a thought or question is about, if any (``session:``)."""
    return [fragments.session(session_id)] if session_id else []


@transaction.atomic
def thought_post(
    *,
    author: User,
    team: Team,
    kind: str,
    body: str,
    session: Session | None = None,
    team_goal: TeamGoal | None = None,
) -> Thought:
    if session is not None and session.team_id != team.pk:
        raise ValueError("The session belongs to another team.")
    if team_goal is not None and team_goal.team_id != team.pk:
        raise ValueError("The learning goal belongs to another team.")
    fragments.changed(
        *_thought_scopes(
            team.pk, session_id=session and session.pk, team_goal_id=team_goal and team_goal.pk
        )
    )
    return Thought.objects.create(
        author=author, team=team, kind=kind, body=body, session=session, team_goal=team_goal
    )


@transaction.atomic
def thought_reply(*, author: User, parent: Thought, body: str) -> Thought:
    """A reply builds on a top-level thought; replies to replies attach to the same thread."""
    root = parent if parent.parent_id is None else parent.parent
    fragments.changed(
        *_thought_scopes(root.team_id, session_id=root.session_id, team_goal_id=root.team_goal_id)
    )
    return Thought.objects.create(
        author=author,
        team_id=root.team_id,
        session_id=root.session_id,
        team_goal_id=root.team_goal_id,
        parent=root,
        kind=root.kind,
        body=body,
    )


@transaction.atomic
def thought_edit(*, thought: Thought, body: str, kind: str | None = None) -> Thought:
    thought.body = body
    if kind and thought.parent_id is None:
        thought.kind = kind
    thought.edited_at = timezone.now()
    thought.save(update_fields=["body", "kind", "edited_at"])
    fragments.changed(
        *_thought_scopes(
            thought.team_id, session_id=thought.session_id, team_goal_id=thought.team_goal_id
        )
    )
    return thought


@transaction.atomic
def thought_delete(*, thought: Thought) -> None:
    thought.delete()
    fragments.changed(
        *_thought_scopes(
            thought.team_id, session_id=thought.session_id, team_goal_id=thought.team_goal_id
        )
    )


# Atmosphere: ask-out-loud questions.


def team_today(team: Team) -> date:
    """Today in the team's time zone. Never the asker's own zone: near midnight, a day in the
    asker's zone could tell which time zone (and so which person) asked."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(team.time_zone))


# Spam limits that never count per person (see docs/anonymity.md).
ANONYMOUS_QUESTIONS_PER_TEAM_PER_DAY = 20
REPORTS_PER_QUESTION = 10


class QuestionLimitReached(Exception):
    """The team has had its share of anonymous questions today."""


class AlreadyVoted(Exception):
    pass


class QuestionHidden(Exception):
    """A hidden question can't be upvoted."""


class PulseNotOpen(Exception):
    """The person was not marked present at the session (Session.pulse_open_to)."""


class PulseAlreadyAnswered(Exception):
    pass


@transaction.atomic
def question_ask(
    *,
    team: Team,
    body: str,
    named_author: User | None = None,
    session: Session | None = None,
    name_upward: bool = False,
    notify_author: bool = False,
) -> Question:
    """Asks a question; anonymously unless `named_author` is given.

    A named asker may consent that their name goes with the question if it is forwarded to
    HR/leadership (`name_upward`), and ask to be notified of answers (`notify_author`). For an
    anonymous question both are dropped: nothing about its asker is stored.

    The spam limit counts the team's anonymous questions of the day, never a person's: a
    per-person counter would be a record of who asked. The team row lock makes the count exact
    when two people ask at once."""
    if session is not None and session.team_id != team.pk:
        raise ValueError("The session belongs to another team.")
    today = team_today(team)
    if named_author is None:
        Team.objects.select_for_update().filter(pk=team.pk).first()
        asked = Question.objects.filter(team=team, asked_on=today, author__isnull=True).count()
        if asked >= ANONYMOUS_QUESTIONS_PER_TEAM_PER_DAY:
            raise QuestionLimitReached
    named = named_author is not None
    question = Question.objects.create(
        team=team,
        body=body,
        author=named_author,
        session=session,
        asked_on=today,
        name_upward=named and name_upward,
        notify_author=named and notify_author,
    )
    # The pages that show it are filled again by this request on commit, for every reader
    # alike (docs/caching.md).
    _question_changed(question)
    return question


def _question_changed(question: Question) -> None:
    """The team's questions list and, for a question about a session, that session's page."""
    fragments.changed(fragments.questions(question.team_id), *_session_scope(question.session_id))


@transaction.atomic
def question_name_upward_set(*, question: Question, allowed: bool) -> None:
    """A named asker gives or withdraws consent that their name goes with the question to
    HR/leadership. HR's page reads it when drawn, so withdrawing hides the name at once, even
    on a question already forwarded."""
    if question.author_id is None:
        raise ValueError("An anonymous question has no one to consent.")
    question.name_upward = allowed
    question.save(update_fields=["name_upward"])
    _question_changed(question)


@transaction.atomic
def question_upvote(*, question: Question, user: User) -> None:
    """One upvote per person; a second one raises AlreadyVoted, one of a hidden question
    QuestionHidden."""
    if question.is_hidden:
        raise QuestionHidden
    try:
        with transaction.atomic():
            Vote.objects.create(question=question, user=user)
    except IntegrityError:
        raise AlreadyVoted from None
    _question_changed(question)


@transaction.atomic
def question_upvote_withdraw(*, question: Question, user: User) -> bool:
    """Takes back the person's "I want to know too", hidden question or not. The vote row
    goes and nothing takes its place (no audit row, no time): what is left is exactly what
    there would be had they never voted. False when there was no vote to take back."""
    deleted, _ = Vote.objects.filter(question=question, user=user).delete()
    if deleted:
        _question_changed(question)
    return bool(deleted)


@transaction.atomic
def question_answer(*, question: Question, author: User, body: str) -> Answer:
    answer = Answer.objects.create(question=question, author=author, body=body)
    question_mark_answered(question=question)
    notice_services.question_answered_notify(question=question)
    return answer


@transaction.atomic
def question_mark_answered(*, question: Question) -> None:
    question.status = Question.Status.ANSWERED
    question.save(update_fields=["status"])
    _question_changed(question)


@transaction.atomic
def question_report(*, question: Question, reason: str) -> None:
    """Notes that a question needs a look. Beyond a few reports per question more add nothing,
    so a report button cannot be used to flood the supervisor."""
    if question.reports.count() < REPORTS_PER_QUESTION:
        Report.objects.create(
            question=question, reason=reason, reported_on=team_today(question.team)
        )
        # The supervisors are told of the question; there is no reporter to name.
        notice_services.question_reported_notify(question=question)


@transaction.atomic
def question_hide(
    *, question: Question, reason: str, moderator: User, ip_address: str | None = None
) -> None:
    question.is_hidden = True
    question.hide_reason = reason
    question.save(update_fields=["is_hidden", "hide_reason"])
    _question_changed(question)
    _moderation_audit(question, AuditEvent.Action.QUESTION_HIDE, moderator, ip_address)


@transaction.atomic
def question_unhide(*, question: Question, moderator: User, ip_address: str | None = None) -> None:
    question.is_hidden = False
    question.hide_reason = ""
    question.save(update_fields=["is_hidden", "hide_reason"])
    _question_changed(question)
    _moderation_audit(question, AuditEvent.Action.QUESTION_UNHIDE, moderator, ip_address)


def _moderation_audit(question: Question, action: str, moderator: User, ip_address) -> None:
    # The moderator and the question's id only: never who asked it.
    privacy_audit.audit_record(
        organization=moderator.organization_id,
        action=action,
        actor=moderator,
        target=f"question {question.pk}",
        ip_address=ip_address,
    )


# Atmosphere: the safety pulse.


@transaction.atomic
def pulse_answer(*, session: Session, user: User, values: dict[str, int]) -> None:
    """Records that the person answered (once per session) and, separately, the values.

    The two writes share nothing the application can read back: the mark has no values; the
    values have no person, no time and random ids."""
    values = {key: value for key, value in values.items() if value}
    if not values or not set(values) <= set(PULSE_STATEMENTS):
        raise ValueError("Unknown or empty pulse statements.")
    if not all(1 <= value <= 5 for value in values.values()):
        raise ValueError("Pulse values are from 1 to 5.")
    if not session.pulse_open_to(user):
        raise PulseNotOpen
    with transaction.atomic():
        # Answers to one session take turns, so each release counts exactly its group.
        Session.objects.select_for_update().filter(pk=session.pk).exists()
        try:
            with transaction.atomic():
                PulseAnswered.objects.create(session=session, user=user)
        except IntegrityError:
            raise PulseAlreadyAnswered from None
        rows = [
            PulseValue(session=session, statement=key, value=value) for key, value in values.items()
        ]
        PulseValue.objects.bulk_create(rows)
        _pulse_release(session)


def _pulse_release(session: Session) -> None:
    """Takes the results each time another full group has answered (5, 10, 15, ... with a
    threshold of 5); between two releases the results a supervisor sees do not move."""
    answered = PulseAnswered.objects.filter(session=session).count()
    threshold = pulse_threshold(session)
    if answered % threshold:
        return
    counts: dict[str, dict[str, int]] = {}
    rows = (
        PulseValue.objects.filter(session=session)
        .values("statement", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["statement"], {})[str(row["value"])] = row["n"]
    PulseRelease.objects.create(session=session, answered=answered, counts=counts)


@transaction.atomic
def agreement_save(*, team: Team, user: User, text: str) -> TeamAgreement:
    """The team's agreement card, written by anyone in the team; the last edit wins."""
    agreement, _ = TeamAgreement.objects.update_or_create(
        team=team, defaults={"text": text, "updated_by": user}
    )
    fragments.changed(fragments.team(team.pk))
    return agreement


@transaction.atomic
def prompt_template_create(*, organization_id: int, text: str) -> PromptTemplate:
    """A prompt the organisation's planners can offer (on the session page)."""
    fragments.changed(fragments.org(organization_id))
    return PromptTemplate.objects.create(organization_id=organization_id, text=text)


@transaction.atomic
def prompt_template_delete(*, template: PromptTemplate) -> None:
    """Sessions that used the template keep their own copy of its text."""
    template.delete()
    fragments.changed(fragments.org(template.organization_id))
