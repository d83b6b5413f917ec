"""A signed, HttpOnly, SameSite=Lax cookie of comma-separated entries that only the browser
holds and that is valid for one person only: its signature's salt includes the signed-in
person's id, so someone else signing in on a shared computer reads nothing from it. Used
where the server must not keep a row, session entry or cache key (reflections/answer_cookie.py,
reflections/ask_allowance.py)."""

import re
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _salt(request: HttpRequest, salt: str) -> str:
    return f"{salt}:{request.user.pk}"


def entries(request: HttpRequest, name: str, *, salt: str, entry: re.Pattern) -> list[re.Match]:
    """The cookie's entries that match `entry` (none without a valid cookie for this person)."""
    if not request.user.is_authenticated or name not in request.COOKIES:
        return []
    raw = request.get_signed_cookie(name, default="", salt=_salt(request, salt))
    return [match for part in (raw or "").split(",") if (match := entry.match(part))]


def write(
    request: HttpRequest,
    response: HttpResponse,
    name: str,
    parts: list[str],
    *,
    salt: str,
    max_age: timedelta,
) -> None:
    """Sets the cookie to `parts`, or deletes it when there are none."""
    if not parts:
        response.delete_cookie(name, samesite="Lax")
        return
    response.set_signed_cookie(
        name,
        ",".join(parts),
        salt=_salt(request, salt),
        max_age=int(max_age.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
