"""Reads of sessions and rhythms, with the joins their pages need already applied."""

from datetime import timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from reflections.models import Rhythm, Session
from teams import access
from teams.models import Team, User

PAST_LIMIT = 20
UPCOMING_LIMIT = 12
FEED_DAYS_BACK = 90


def upcoming_sessions_for(user: User, *, limit: int = 8) -> QuerySet[Session]:
    return (
        access.sessions_for(user)
        .filter(status=Session.Status.PLANNED, ends_at__gt=timezone.now())
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


def team_rhythms(team: Team) -> QuerySet[Rhythm]:
    return Rhythm.objects.filter(team=team).order_by("-is_active", "title")


def session_page(session: Session) -> dict:
    attendee_ids = set(session.attendances.values_list("user_id", flat=True))
    return {
        "prompts": list(session.prompts.all()),
        "attendee_ids": attendee_ids,
    }


def feed_sessions(teams: QuerySet[Team]) -> QuerySet[Session]:
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    return (
        Session.objects.filter(team__in=teams, starts_at__gte=since)
        .select_related("team")
        .prefetch_related("prompts")
        .order_by("starts_at")
    )
