"""Reads of notifications with what their rows show."""

from django.db.models import QuerySet

from notifications.models import Notification
from teams.models import User

INBOX_LIMIT = 50


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related(
        "session", "session__team", "team", "question", "question__team"
    )[:INBOX_LIMIT]
