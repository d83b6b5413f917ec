"""The unread notification count shown in the navigation: notification rows, plus answers to
questions this browser asked anonymously (read from its own cookie, never stored)."""

from notifications import selectors


def unread(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_total(request)}
