"""Builds a team's session history for lapse and rhythm-health tests, through the services."""

from datetime import datetime, timedelta

from django.utils import timezone

from reflections import services
from reflections.models import Session
from teams.models import Team, User


def session_at(team: Team, *, days: float, status: str = "planned", attendees=()) -> Session:
    """A 30-minute session starting `days` from now (negative: in the past), left planned,
    held by `attendees`, or skipped."""
    session = services.session_add(
        team=team,
        title=f"Reflection {days:+g}",
        starts_at=timezone.now() + timedelta(days=days),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    if status == "held":
        services.session_hold(session=session, attendees=list(attendees))
    elif status == "skipped":
        services.session_skip(session=session)
    return session


def history(team: Team, pattern: str, *, held_by: list[User] = (), ahead: bool = True) -> list:
    """Weekly sessions, oldest first, one letter each: H held, M planned but not held (missed),
    S skipped; the last one a week ago. With `ahead`, one more planned next week."""
    statuses = {"H": "held", "M": "planned", "S": "skipped"}
    sessions = [
        session_at(
            team, days=-7 * (len(pattern) - index), status=statuses[letter], attendees=held_by
        )
        for index, letter in enumerate(pattern)
    ]
    if ahead:
        sessions.append(session_at(team, days=7))
    return sessions


def later(days: float) -> datetime:
    return timezone.now() + timedelta(days=days)
