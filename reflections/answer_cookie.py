"""Telling an anonymous asker that their question got an answer, without the server ever
knowing who asked.

When someone asks anonymously and ticks "tell me when it is answered", the question's id goes
into a signed, HttpOnly, SameSite=Lax cookie that only their browser holds. It is not the
server-side session (that is keyed to the person), and no table, log or cache gets a row: the
server reads the cookie when the person opens a page and looks up which of those questions
have more answers than they have already seen. So it works on the device used to ask.

The signature's salt includes the person's id, so the cookie is valid only for the person who
asked (someone else signing in on a shared computer sees nothing), while the cookie's content
holds question ids and counts only. The value is "<uuid hex>:<answers seen>,..." with at most
MAX_ENTRIES questions, newest last.

No SQL statement holds both the person and the question ids: the answers are looked up by
question id alone, and the person's teams are read in a statement of their own and compared
in Python. A statement log, pg_stat_activity or an APM trace of one statement therefore never
pairs the asker with their questions.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse

from learning_lead import person_cookie
from reflections.models import Question
from teams import access

COOKIE_NAME = "ll_asked"
# The module lived in notifications once: the salt keeps that name so cookies already in
# people's browsers stay valid.
SALT = "notifications.answer_cookie"
MAX_ENTRIES = 40
MAX_AGE = timedelta(days=400)
ENTRY = re.compile(r"^([0-9a-f]{32}):(\d{1,4})$")


@dataclass
class AnsweredQuestion:
    question_id: uuid.UUID
    team_id: int
    team_name: str
    body: str
    answers: int


def read(request: HttpRequest) -> dict[str, int]:
    """The followed questions (uuid hex -> answers already seen); empty when there is no
    valid cookie for the signed-in person."""
    found = person_cookie.entries(request, COOKIE_NAME, salt=SALT, entry=ENTRY)
    entries = {match[1]: int(match[2]) for match in found}
    return dict(list(entries.items())[-MAX_ENTRIES:])


def write(request: HttpRequest, response: HttpResponse, entries: dict[str, int]) -> None:
    parts = [f"{key}:{seen}" for key, seen in list(entries.items())[-MAX_ENTRIES:]]
    person_cookie.write(request, response, COOKIE_NAME, parts, salt=SALT, max_age=MAX_AGE)


def follow(request: HttpRequest, response: HttpResponse, question_id: uuid.UUID) -> None:
    """Remembers, in this browser only, a question just asked anonymously."""
    entries = read(request)
    entries.pop(question_id.hex, None)
    entries[question_id.hex] = 0
    write(request, response, entries)


def answered(request: HttpRequest) -> list[AnsweredQuestion]:
    """The followed questions with answers not yet seen (no query without the cookie; with it,
    one for the questions and, if any is found, one for the person's teams), memoised on the
    request for the unread count and the inbox."""
    cached = getattr(request, "_answered_questions", None)
    if cached is not None:
        return cached
    entries = read(request)
    found: list[AnsweredQuestion] = []
    rows = _answer_counts(entries) if entries else []
    if rows:
        # The access check, in a statement of its own: the person's teams, without questions.
        visible = access.team_ids_for(request.user)
        for row in rows:
            if row["team_id"] in visible and row["answer_count"] > entries[row["pk"].hex]:
                found.append(
                    AnsweredQuestion(
                        row["pk"],
                        row["team_id"],
                        row["team__name"],
                        row["body"],
                        row["answer_count"],
                    )
                )
        found.sort(key=lambda item: list(entries).index(item.question_id.hex), reverse=True)
    request._answered_questions = found
    return found


def _answer_counts(entries: dict[str, int]) -> list[dict]:
    """The followed questions' answer counts, by question id alone (no person in the query)."""
    return list(
        Question.objects.filter(pk__in=[uuid.UUID(key) for key in entries], is_hidden=False)
        .annotate(
            answer_count=Count("answers", distinct=True)
            + Count("forwards", filter=~Q(forwards__answer=""), distinct=True)
        )
        .values("pk", "team_id", "team__name", "body", "answer_count")
    )


def dismissed(request: HttpRequest, question_id: uuid.UUID | None) -> dict[str, int]:
    """The cookie's entries with the answers of one followed question (or of all, with None)
    marked seen; the request's memo forgets them, so the page drawn next agrees. Write the
    result to the response with `write`."""
    entries = read(request)
    remaining = []
    for item in answered(request):
        if question_id is None or item.question_id == question_id:
            entries[item.question_id.hex] = item.answers
        else:
            remaining.append(item)
    request._answered_questions = remaining
    return entries
