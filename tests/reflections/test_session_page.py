"""The session page is filled by its writers but for its live part (reflections/session_page.py,
docs/caching.md): every reader is served what the writer filled, the live part is the
viewer's own, and no reader's request fills or draws anything."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reflections import services
from reflections.models import Thought
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _keys() -> set[bytes]:
    return set(cache._cache.get_client().keys("*fragment*"))


def _get(client, url) -> tuple[str, bool]:
    """The page, and whether rendering it read the thoughts table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    table = f'"{Thought._meta.db_table}"'
    return response.content.decode(), any(table in q["sql"] for q in queries)


@pytest.fixture
def session(team_a):
    return services.session_add(
        team=team_a,
        title="Retro",
        starts_at=timezone.now() - timedelta(hours=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )


@pytest.fixture
def reader(acme, team_a):
    person = make_user(acme, "lukija", language="fi")
    team_services.preferences_update(user=person, language="fi", time_zone="America/New_York")
    team_services.membership_set(team=team_a, user=person, role=Membership.Role.MEMBER)
    return person


def test_every_reader_is_served_what_the_writer_filled(
    session, reader, member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.thought_post(
            author=member, team=team_a, kind="insight", body="Pairing helped", session=session
        )
    filled = _keys()
    for person in (member, supervisor, reader):
        page, read = _get(_client(person), url)
        assert "Pairing helped" in page
        assert not read, f"{person} was served the page afresh, not as its writer filled it"
        assert _keys() == filled  # the reader drew and kept nothing
    # The live part is each viewer's own, in their language.
    assert "Start the live session" in _get(_client(supervisor), url)[0]
    assert "Start the live session" not in _get(_client(member), url)[0]
    assert "Yhteinen pohdintahetki" in _get(_client(reader), url)[0]
    # The supervisor's tools are in the supervisor's variant only.
    assert "Mark held" in _get(_client(supervisor), url)[0]
    assert "Mark held" not in _get(_client(member), url)[0]


def test_a_question_about_the_session_shows_at_once(
    session, member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(team=team_a, body="Why retro at all?", session=session)
    page, read = _get(_client(supervisor), url)
    assert "Why retro at all?" in page and not read


def test_a_change_of_the_team_fills_the_sessions_around_today(
    session, member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.prompt_add(session=session, text="What surprised you?")
    page, read = _get(_client(member), url)
    assert "What surprised you?" in page and not read


def test_a_reader_fills_nothing(session, member, supervisor, team_a):
    services.thought_post(  # its commit never runs: nothing is filled
        author=member, team=team_a, kind="insight", body="Unfilled", session=session
    )
    url = reverse("reflections:session", args=[session.pk])
    before = _keys()
    for person in (member, supervisor):
        page, read = _get(_client(person), url)
        assert "Unfilled" in page and read
    assert _keys() == before
