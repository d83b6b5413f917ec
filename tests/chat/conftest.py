"""A fake receiver on localhost (pytest-httpserver) stands in for Teams and Slack: only these
tests put "localhost" in CHAT_TEST_RECEIVER_HOSTS, so production never posts there."""

import pytest
from cryptography.fernet import Fernet

from chat import services
from chat.models import ChatDestination

KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _chat_settings(settings):
    settings.CHAT_ENCRYPTION_KEYS = [KEY]
    settings.CHAT_TEST_RECEIVER_HOSTS = ["localhost"]
    settings.SITE_URL = "https://learning.example.org"


@pytest.fixture
def receiver(httpserver):
    return httpserver


def connect(team, url: str, *, kind: str = "teams", language: str = "en", **wants):
    return services.destination_add(
        team=team, kind=kind, name=f"#{kind}", url=url, language=language, **wants
    )


@pytest.fixture
def teams_channel(team_a, supervisor, receiver) -> ChatDestination:
    return connect(team_a, receiver.url_for("/teams-hook"))


@pytest.fixture
def slack_channel(team_a, supervisor, receiver) -> ChatDestination:
    return connect(team_a, receiver.url_for("/slack-hook"), kind="slack")
