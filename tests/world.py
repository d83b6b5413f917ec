"""The world the access matrix, the CSRF check and the fuzzers request against: every kind of
object a URL can name, built through services, with the personas (tests/conftest.py).

Built once per test module (`world_once`), inside a transaction that stays open for the module;
`world` gives it to a test inside the test's own transaction (pytest-django's `db`, a savepoint
here), so whatever a test changes is rolled back before the next. Building it for each of the
~1,000 requests was most of `make test-fast`'s time (docs/testing.md).
"""

from contextlib import contextmanager
from datetime import time, timedelta

import pytest
from cryptography.fernet import Fernet
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from chat import services as chat_services
from notifications.models import Notification
from reflections import bridge_services, live_services
from reflections import services as services_r
from reflections.models import PromptTemplate
from teams import direction_services, services
from teams.models import Organization
from tests.personas import build_personas


@contextmanager
def for_the_module(django_db_blocker, **settings):
    """Database access and a transaction for a module-scoped fixture's rows, rolled back when
    the module ends; each test's own transaction is a savepoint inside it. The settings are
    those the tests' autouse fixtures give each test (the personas' password hasher), plus
    any the rows need while the module runs. A module using it must not also hold
    transactional tests (`django_db(transaction=True)`) or build the same people again."""
    kept = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LANGUAGE_CODE="en",
        **settings,
    )
    with django_db_blocker.unblock(), kept, transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after its last test."""
    # The chat channel's key, which the tests then read.
    with for_the_module(
        django_db_blocker,
        CHAT_ENCRYPTION_KEYS=[Fernet.generate_key().decode()],
        CHAT_TEST_RECEIVER_HOSTS=["localhost"],
    ):
        yield build_world()


@pytest.fixture
def world(db, world_once) -> dict:
    """The module's world, for one test: what the test changes is rolled back after it."""
    return world_once


def build_world() -> dict:
    acme = Organization.objects.create(name="Acme", slug="acme")
    other_org = Organization.objects.create(name="Other", slug="other")
    personas, team_a = build_personas(acme, other_org)
    supervisor, member = personas["supervisor"], personas["member"]
    invitation = services.invitation_create(
        inviter=supervisor, email="new@example.org", team=team_a, role="member", language="en"
    )
    rhythm = services_r.rhythm_create(
        team=team_a,
        title="Weekly",
        frequency="weekly",
        weekday=0,
        start_date=timezone.localdate(),
        start_time=time(9, 0),
        time_zone="Europe/Helsinki",
    )
    past_session = services_r.session_add(
        team=team_a,
        title="Yesterday",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=["learned"],
    )
    template = PromptTemplate.objects.create(organization=team_a.organization, text="Why?")
    notification = Notification.objects.create(
        user=personas["member"], kind="before", session=past_session
    )
    theme = direction_services.theme_create(organization=acme, title="Customer first")
    team_goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Calm calls", why="Our work", themes=[theme]
    )
    # Shared with the team: the strongest visibility, so every "404" below is about reach.
    personal_goal = direction_services.personal_goal_create(
        owner=member,
        title="Listen first",
        reason="Mine",
        challenge=2,
        visibility="team",
        team_goal=team_goal,
    )
    thought = services_r.thought_post(
        author=personas["member"], team=team_a, kind="thinking", body="Still thinking"
    )
    question = services_r.question_ask(
        team=team_a, body="Anyone else unsure?", session=past_session
    )
    forwarded = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    open_question = services_r.question_ask(team=team_a, body="Who decides the budget?")
    named_question = services_r.question_ask(
        team=team_a, body="May I say my name?", named_author=member
    )
    live = live_services.live_start(session=past_session, user=supervisor)
    live = live_services.live_next_phase(live=live, user=supervisor)
    live_card = live_services.live_card_write(
        live=live, user=member, body="Hidden", prompt=None, named=False
    )
    live = live_services.live_next_phase(live=live, user=supervisor)
    live_group = live_services.live_group_create(live=live, user=supervisor, name="Rota")
    live = live_services.live_next_phase(live=live, user=supervisor)
    # A channel whose receiver is not there (the discard port): a test message fails quickly.
    chat_channel = chat_services.destination_add(
        team=team_a, kind="teams", name="#team-a", url="http://localhost:9/hook", language="en"
    )
    return {
        **personas,
        "team_a": team_a,
        "chat_channel": chat_channel,
        "forwarded": forwarded,
        "open_question": open_question,
        "named_question": named_question,
        "invitation": invitation,
        "rhythm": rhythm,
        "session": past_session,
        "prompt_template": template,
        "notification": notification,
        "theme": theme,
        "team_goal": team_goal,
        "personal_goal": personal_goal,
        "thought": thought,
        "question": question,
        "live_card": live_card,
        "live_group": live_group,
    }
