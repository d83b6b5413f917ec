"""The "tell me when answered" cookie of an anonymous asker: the asker is told, and no SQL
statement of the requests that read the cookie holds both the person and the questions."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reflections import services
from reflections.models import Question
from teams import services as team_services
from teams.models import Membership, User
from tests.conftest import PASSWORD

INBOX = reverse("notifications:inbox")


@pytest.fixture
def asker(acme, team_a, supervisor):
    # An id no other number in a statement is likely to contain.
    user = User.objects.create_user(
        id=565656,
        username="still-asker-2219",
        email="still.asker.2219@example.org",
        password=PASSWORD,
        organization=acme,
        language="en",
    )
    team_services.membership_set(team=team_a, user=user, role=Membership.Role.MEMBER)
    return user


def ask_anonymously(client, team, body) -> Question:
    response = client.post(
        reverse("reflections:question_ask", args=[team.pk]),
        {"body": body, "identity": "anonymous", "notify": "on"},
    )
    assert response.status_code == 302
    return Question.objects.get(body=body)


def names_the_person(sql: str, user: User, session_key: str) -> bool:
    return any(mark in sql for mark in (str(user.pk), session_key, user.username, user.email))


def names_a_question(sql: str, questions: list[Question]) -> bool:
    return any(mark in sql for q in questions for mark in (str(q.pk), q.pk.hex))


def test_no_statement_of_a_cookie_reading_request_holds_the_asker_and_the_questions(
    client, asker, supervisor, team_a
):
    client.force_login(asker)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    with CaptureQueriesContext(connection) as captured:
        first = ask_anonymously(client, team_a, "Who decides the budget?")
        second = ask_anonymously(client, team_a, "Are we moving offices?")
        for question in (first, second):
            services.question_answer(question=question, author=supervisor, body="Soon.")
        page = client.get(reverse("reflections:team_questions", args=[team_a.pk]))
        inbox = client.get(INBOX).content.decode()
        client.post(
            reverse("notifications:dismiss_answered"),
            {"question": str(first.pk)},
            headers={"HX-Request": "true"},
        )
        client.post(reverse("notifications:mark_read", args=[1]), headers={"HX-Request": "true"})
        client.post(reverse("notifications:mark_all_read"))

    assert 'class="badge">2<' in page.content.decode()  # the navigation counts both answers
    assert "Your anonymous question in Team A got an answer" in inbox
    statements = [query["sql"] for query in captured.captured_queries]
    # Not vacuous: the questions were looked up, and the person was read, in these requests.
    assert any(names_a_question(sql, [first, second]) for sql in statements)
    assert any(names_the_person(sql, asker, session_key) for sql in statements)
    both = [
        sql
        for sql in statements
        if names_a_question(sql, [first, second]) and names_the_person(sql, asker, session_key)
    ]
    assert both == []


def test_the_asker_is_told_once_per_answer_and_the_count_follows(client, asker, supervisor, team_a):
    client.force_login(asker)
    question = ask_anonymously(client, team_a, "When is the next review?")
    assert 'class="badge"' not in client.get(INBOX).content.decode()
    services.question_answer(question=question, author=supervisor, body="In May.")
    inbox = client.get(INBOX).content.decode()
    assert "Your anonymous question in Team A got an answer" in inbox
    assert inbox.count('class="badge">1<') == 1
    client.post(reverse("notifications:dismiss_answered"), {"question": str(question.pk)})
    inbox = client.get(INBOX).content.decode()
    assert "got an answer" not in inbox and 'class="badge">' not in inbox


def test_an_asker_who_left_the_team_is_no_longer_told(client, asker, supervisor, team_a):
    client.force_login(asker)
    question = ask_anonymously(client, team_a, "Will the team stay together?")
    services.question_answer(question=question, author=supervisor, body="Yes.")
    team_services.membership_remove(team=team_a, user=asker)
    assert "got an answer" not in client.get(INBOX).content.decode()


def test_a_hidden_question_is_not_announced(client, asker, supervisor, team_a):
    client.force_login(asker)
    question = ask_anonymously(client, team_a, "Names a colleague")
    services.question_answer(question=question, author=supervisor, body="Let us talk.")
    services.question_hide(question=question, reason="Names a colleague", moderator=supervisor)
    assert "got an answer" not in client.get(INBOX).content.decode()
