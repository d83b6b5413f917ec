"""Reads of notifications with what their rows show, and the unread count of the navigation."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from notifications.models import Notification, TeamOptOut
from reflections import answer_cookie
from teams.models import User

INBOX_LIMIT = 50


def muted_team_ids(user: User) -> list[int]:
    return list(TeamOptOut.objects.filter(user=user).values_list("team_id", flat=True))


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related(
        "session", "session__team", "team", "question", "question__team"
    )[:INBOX_LIMIT]


def _unread(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def with_unread_count(users: QuerySet[User]) -> QuerySet[User]:
    """Users loaded with their unread count, so the navigation needs no query of its own for
    the signed-in person (see learning_lead/auth.py)."""
    count = _unread(OuterRef("pk")).order_by().values("user").annotate(n=Count("pk")).values("n")
    return users.annotate(
        unread_notifications=Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    )


def unread_count(user: User, *, fresh: bool = False) -> int:
    """The count loaded with the user for this request, unless `fresh` or not loaded so."""
    if not fresh and hasattr(user, "unread_notifications"):
        return user.unread_notifications
    return _unread(user).count()


def unread_total(request, *, fresh: bool = False) -> int:
    """The navigation's unread count: notification rows plus answers to questions this
    browser asked anonymously (from its own cookie, never stored)."""
    return unread_count(request.user, fresh=fresh) + len(answer_cookie.answered(request))
