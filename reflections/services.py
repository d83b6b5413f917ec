"""Writes for rhythms and sessions: planning, keeping the stored horizon, moving, skipping,
holding a session, prompts and calendar feed tokens."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reflections import recurrence
from reflections.models import Attendance, CalendarFeed, Prompt, Rhythm, Session
from teams.models import Team, User


def horizon_end(now: datetime) -> datetime:
    return now + timedelta(days=settings.SESSION_HORIZON_DAYS)


@transaction.atomic
def rhythm_create(*, team: Team, **fields) -> Rhythm:
    rhythm = Rhythm.objects.create(team=team, **fields)
    rhythm_sync(rhythm=rhythm)
    return rhythm


@transaction.atomic
def rhythm_update(*, rhythm: Rhythm, **fields) -> Rhythm:
    for name, value in fields.items():
        setattr(rhythm, name, value)
    rhythm.save()
    rhythm_sync(rhythm=rhythm)
    return rhythm


@transaction.atomic
def rhythm_sync(*, rhythm: Rhythm, now: datetime | None = None) -> None:
    """Makes the stored future sessions match the rhythm up to the horizon.

    Held and past sessions are never touched. Future planned sessions follow the rhythm's
    time, length and place unless the supervisor moved them one by one; occurrences the rhythm
    no longer has are removed (or kept as skipped if people already took part)."""
    now = now or timezone.now()
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
    for local_date, occurrence in wanted.items():
        session = existing.pop(local_date, None)
        if session is None:
            session = Session.objects.create(
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
            prompts_add_builtin(session=session, keys=rhythm.prompt_keys)
        elif session.status == Session.Status.PLANNED and session.starts_at > now:
            _follow_rhythm(session, rhythm, occurrence)
    for session in existing.values():
        if session.status == Session.Status.PLANNED and session.starts_at > now:
            if session.attendances.exists():
                _skip(session)
            else:
                session.delete()


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
    return session


@transaction.atomic
def session_skip(*, session: Session) -> None:
    _skip(session)


@transaction.atomic
def session_restore(*, session: Session) -> None:
    session.status = Session.Status.PLANNED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])


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


def prompts_add_builtin(*, session: Session, keys: list[str]) -> None:
    start = session.prompts.count()
    Prompt.objects.bulk_create(
        [
            Prompt(session=session, builtin_key=key, position=start + index)
            for index, key in enumerate(keys)
        ]
    )


@transaction.atomic
def prompt_add(*, session: Session, builtin_key: str = "", text: str = "") -> Prompt:
    position = session.prompts.count()
    return Prompt.objects.create(
        session=session, builtin_key=builtin_key, custom_text=text, position=position
    )


@transaction.atomic
def prompt_remove(*, prompt: Prompt) -> None:
    Prompt.objects.filter(session_id=prompt.session_id, position__gt=prompt.position).update(
        position=F("position") - 1
    )
    prompt.delete()


def feed_for_user(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def feed_for_team(*, team: Team) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(team=team)
    return feed


@transaction.atomic
def feed_reset(*, feed: CalendarFeed) -> CalendarFeed:
    """Gives the feed a new secret address; the old one stops working at once."""
    feed.token = CalendarFeed._meta.get_field("token").default()
    feed.save(update_fields=["token"])
    return feed
