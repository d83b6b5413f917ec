"""Anonymity that holds: the schema cannot tie an anonymous question or a pulse value to a
person, and asking leaves no trace of the asker in the database, logs, cache, session,
messages or e-mail."""

import logging
import re
import zoneinfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session as BrowserSession
from django.core import mail
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from reflections import services
from reflections.models import (
    Answer,
    ForwardedItem,
    PulseAnswered,
    PulseValue,
    Question,
    Report,
    Vote,
)
from teams import services as team_services
from teams.models import Membership

User = get_user_model()

# Records that must never point at a person, and the only links between a person and a
# question that are allowed (a voter wanting to know; a supervisor answering in their name; a
# supervisor forwarding the team's questions to HR; a named asker's own notification, which
# notifications.services creates only for named questions).
PERSONLESS = {Report, PulseValue}
ALLOWED_PERSON_LINKS_TO_QUESTIONS = {
    (Vote, "user"),
    (Answer, "author"),
    (Question, "author"),
    (ForwardedItem, "forwarded_by"),
    (Notification, "user"),
}
RANDOM_ID_NO_TIME = {Question, Vote, Report, PulseValue, ForwardedItem}


def forward_relations(model):
    """A model's own links: foreign keys and many-to-many fields (a set of questions counts
    as a link to questions too)."""
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation and (field.concrete or (field.many_to_many and not field.auto_created))
    ]


def test_schema_lets_no_anonymous_question_or_pulse_value_reference_a_person():
    problems = []
    for model in apps.get_models(include_auto_created=True):
        relations = forward_relations(model)
        to_person = [f for f in relations if f.related_model is User]
        to_question = [f for f in relations if f.related_model is Question]
        if model in PERSONLESS and to_person:
            problems.append(f"{model.__name__} references a person: {to_person}")
        if to_question or model is Question:
            for field in to_person:
                if (model, field.name) not in ALLOWED_PERSON_LINKS_TO_QUESTIONS:
                    problems.append(f"{model.__name__}.{field.name} ties a person to a question")
        if any(f.related_model in (PulseValue, PulseAnswered) for f in relations):
            problems.append(f"{model.__name__} references a pulse record")
    assert problems == []
    # The asker's link exists only for named questions: nullable, never required.
    author = Question._meta.get_field("author")
    assert author.null and author.blank


@pytest.mark.parametrize("model", sorted(RANDOM_ID_NO_TIME, key=lambda m: m.__name__))
def test_anonymous_records_have_random_ids_and_no_time_of_day(model):
    assert isinstance(model._meta.pk, models.UUIDField)
    times = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
    assert times == []


def test_pulse_mark_and_pulse_value_share_nothing_but_the_session():
    mark = {f.name for f in PulseAnswered._meta.concrete_fields} - {"id"}
    value = {f.name for f in PulseValue._meta.concrete_fields} - {"id"}
    assert mark & value == {"session"}
    assert not any(isinstance(f, models.DateTimeField) for f in PulseAnswered._meta.fields)


def snapshot() -> dict[str, set[str]]:
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = {repr(row) for row in cursor.fetchall()}
    return rows


def cache_contents() -> list[str]:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(None, write=False)
        return [f"{key!r}{client.dump(key)!r}" for key in client.keys("*")]
    return [f"{key!r}{value!r}" for key, value in backend._cache.items()]


@pytest.fixture
def asker(acme, team_a, supervisor):
    user = User.objects.create_user(
        id=424242,
        username="quiet-asker-7731",
        email="quiet.asker.7731@example.org",
        password="a-long-test-password-42",
        first_name="Quentin",
        organization=acme,
        language="en",
    )
    team_services.membership_set(team=team_a, user=user, role=Membership.Role.MEMBER)
    return user


def traces(text: str, user) -> list[str]:
    found = []
    if re.search(rf"(?<![0-9a-f]){user.pk}(?![0-9a-f])", text):
        found.append("id")
    for needle in (user.username, user.email, user.first_name):
        if needle.lower() in text.lower():
            found.append(needle)
    return found


def test_an_anonymous_question_leaves_no_trace_of_its_asker(client, asker, team_a, caplog):
    cache.clear()
    cache.set("probe-key", "probe-value")  # proves the cache inspection below sees entries
    client.force_login(asker)
    client.get(reverse("reflections:team_questions", args=[team_a.pk]))
    before = snapshot()
    caplog.set_level(logging.DEBUG)

    response = client.post(
        reverse("reflections:question_ask", args=[team_a.pk]),
        {"body": "Am I the only one who finds the new tool confusing?", "identity": "anonymous"},
    )
    question = Question.objects.get()
    services.question_upvote(question=question, user=asker)  # the asker may upvote like anyone

    assert question.author_id is None
    new_rows = {table: rows - before.get(table, set()) for table, rows in snapshot().items()}
    assert any(question.body in row for row in new_rows["reflections_question"])
    for table, rows in new_rows.items():
        if table in ("django_session", "reflections_vote"):
            continue  # checked below: a person's session, and a vote is a voter's, not an asker's
        for row in rows:
            assert traces(row, asker) == [], (table, row)
    assert traces(caplog.text, asker) == []
    contents = cache_contents()
    assert any("probe-value" in entry for entry in contents)
    assert all(traces(entry, asker) == [] for entry in contents)
    assert all(traces(message.message(), asker) == [] for message in getattr(mail, "outbox", []))

    question_ids = (str(question.pk), question.pk.hex)
    assert not any(qid in response["Location"] for qid in question_ids)
    for stored in BrowserSession.objects.all():
        decoded = repr(stored.get_decoded())
        assert not any(qid in decoded for qid in question_ids)
    for cookie in client.cookies.values():
        assert not any(qid in cookie.value for qid in question_ids)
    page = client.get(response["Location"])
    shown = [str(message) for message in page.context["messages"]]
    assert shown == ["Your question is asked anonymously."]
    # The list the asker is sent to is a cached fragment: shared, keyed by nothing of theirs.
    assert question.body in page.content.decode()
    assert all(traces(entry, asker) == [] for entry in cache_contents())


def test_moderation_and_votes_never_attach_an_author(client, asker, supervisor, team_a):
    question = services.question_ask(team=team_a, body="Quiet question")
    services.question_upvote(question=question, user=asker)
    services.question_report(question=question, reason="test")
    services.question_answer(question=question, author=supervisor, body="Answer")
    services.question_hide(question=question, reason="test", moderator=supervisor)
    question.refresh_from_db()
    assert question.author_id is None
    client.force_login(supervisor)
    page = client.get(reverse("reflections:team_questions", args=[team_a.pk])).content.decode()
    assert "Quentin" not in page and "quiet-asker" not in page


def test_there_is_no_way_to_edit_or_delete_a_question():
    from tests.test_access_matrix import url_names

    assert not [name for name in url_names() if re.search(r"question_(edit|delete)", name)]


def test_a_pulse_answer_leaves_the_values_unlinked_to_the_person(asker, team_a, supervisor):
    session = services.session_add(
        team=team_a,
        title="Held",
        starts_at=timezone.now(),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    services.session_hold(session=session, attendees=[asker])
    before = snapshot()
    services.pulse_answer(session=session, user=asker, values={"dont_know": 4, "ask": 2})
    new_rows = {table: rows - before.get(table, set()) for table, rows in snapshot().items()}
    assert len(new_rows["reflections_pulsevalue"]) == 2
    for row in new_rows["reflections_pulsevalue"]:
        assert traces(row, asker) == []
    (mark,) = new_rows["reflections_pulseanswered"]
    value_row = next(iter(new_rows["reflections_pulsevalue"]))
    mark_values = set(re.findall(r"[\w-]+", mark)) - {str(session.pk)}
    assert mark_values & set(re.findall(r"[\w-]+", value_row)) <= {"UUID"}


def test_the_day_of_a_question_follows_the_team_not_the_askers_time_zone(client, asker, team_a):
    # UTC+14 and UTC-11 are a day apart at every moment: the asker's zone would show.
    team_a.time_zone = "Pacific/Pago_Pago"
    team_a.save()
    asker.time_zone = "Pacific/Kiritimati"
    asker.save()
    client.force_login(asker)
    client.post(
        reverse("reflections:question_ask", args=[team_a.pk]),
        {"body": "Which day is it?", "identity": "anonymous"},
    )
    team_day = timezone.localdate(timezone=zoneinfo.ZoneInfo("Pacific/Pago_Pago"))
    question = Question.objects.get()
    assert question.asked_on == team_day
    services.question_report(question=question, reason="check")
    assert question.reports.get().reported_on == team_day
