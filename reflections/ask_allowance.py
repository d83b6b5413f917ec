"""Each browser's share of a team's anonymous questions a day, kept by the browser alone.

The team's daily limit (services.ANONYMOUS_QUESTIONS_PER_TEAM_PER_DAY) is counted from stored
days and never per person, so on its own one member could use it all up. Beside it, each
browser may ask PER_BROWSER_PER_DAY anonymous questions in a team on the team's day. The count
lives in a signed, HttpOnly cookie holding "<team id>:<team's day>:<count>" entries: no
question id, no user id, and no row, session entry or cache key on the server. The signature's
salt includes the person's id, so a count is valid only for the person it was given to.

A person who clears their cookies or switches browser starts again from nothing; the team's
limit still holds then. docs/anonymity.md ("Sharing the daily limit fairly") explains why no
stronger per-person limit is kept.
"""

import re
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse

from learning_lead import person_cookie
from reflections.services import team_today
from teams.models import Team

PER_BROWSER_PER_DAY = 3
COOKIE_NAME = "ll_asks"
SALT = "reflections.ask_allowance"
MAX_AGE = timedelta(days=2)  # the count is of one day; the cookie need not outlive it
MAX_TEAMS = 20
ENTRY = re.compile(r"^(\d{1,18}):(\d{4}-\d{2}-\d{2}):(\d{1,3})$")


def _read(request: HttpRequest) -> dict[int, tuple[str, int]]:
    """team id -> (the team's day, questions asked that day) from a valid cookie."""
    found = person_cookie.entries(request, COOKIE_NAME, salt=SALT, entry=ENTRY)
    return {int(match[1]): (match[2], int(match[3])) for match in found}


def asked_today(request: HttpRequest, team: Team, *, today: date | None = None) -> int:
    day, count = _read(request).get(team.pk, ("", 0))
    return count if day == (today or team_today(team)).isoformat() else 0


def allows(request: HttpRequest, team: Team) -> bool:
    """Whether this browser may ask one more anonymous question in the team today."""
    return asked_today(request, team) < PER_BROWSER_PER_DAY


def spend(request: HttpRequest, response: HttpResponse, team: Team) -> None:
    """Counts one anonymous question asked in the team today, in the browser's cookie."""
    today = team_today(team)
    entries = _read(request)
    entries.pop(team.pk, None)
    entries[team.pk] = (today.isoformat(), asked_today(request, team, today=today) + 1)
    parts = [
        f"{team_id}:{day}:{count}" for team_id, (day, count) in list(entries.items())[-MAX_TEAMS:]
    ]
    person_cookie.write(request, response, COOKIE_NAME, parts, salt=SALT, max_age=MAX_AGE)
