"""Ending a person's signed-in browser sessions (account deletion, SCIM deactivation)."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions_of(user_id: int) -> int:
    """Deletes every live session of the person through the session engine, so a cached
    session (cached_db with Redis) ends too; their id sits inside each session's encoded data.
    Returns how many ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
