"""Only the providers' https hosts are accepted, and nothing is ever posted to an internal
address: not by URL, not by a name that resolves inside (DNS rebinding), not by a redirect."""

import socket

import pytest

from chat import services, webhooks
from chat.models import ChatDelivery, ChatNotice

TEAMS_URL = (
    "https://prod-12.westeurope.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/"
    "invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abcd1234"
)
POWER_URL = (
    "https://default0a1b2c.3d.environment.api.powerplatform.com:443/powerautomate/automations/"
    "direct/workflows/0a1b/triggers/manual/paths/invoke?api-version=1&sig=wxyz"
)
SLACK_URL = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"


@pytest.mark.parametrize(
    ("kind", "url"), [("teams", TEAMS_URL), ("teams", POWER_URL), ("slack", SLACK_URL)]
)
def test_the_providers_webhook_addresses_are_accepted(kind, url):
    assert webhooks.check_url(kind, url) == ""


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("slack", "http://hooks.slack.com/services/T0/B0/X"),  # not https
        ("slack", "https://hooks.slack.com.evil.example/services/T0/B0/X"),
        ("slack", "https://evil.example/hooks.slack.com"),
        ("slack", "https://user:secret@hooks.slack.com/services/T0/B0/X"),
        ("slack", "https://hooks.slack.com:8443/services/T0/B0/X"),
        ("teams", SLACK_URL),  # another provider's host
        ("slack", TEAMS_URL),
        ("teams", "https://logic.azure.com.evil.example/workflows"),
        ("teams", "https://169.254.169.254/latest/meta-data/"),
        ("teams", "https://127.0.0.1/"),
        ("teams", "https://[::1]/"),
        ("teams", "https://localhost/"),
        ("teams", "https://10.0.0.5/"),
        ("teams", "file:///etc/passwd"),
        ("teams", "gopher://prod-1.westeurope.logic.azure.com/"),
        ("teams", "https://prod-1.westeurope.logic.azure.com:99999/"),
    ],
)
def test_other_addresses_are_refused(settings, kind, url):
    settings.CHAT_TEST_RECEIVER_HOSTS = []
    assert webhooks.check_url(kind, url) != ""
    with pytest.raises(webhooks.Refused):
        webhooks.post(kind, url, b"{}")


@pytest.mark.parametrize(
    "inside", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "192.168.0.1", "::1", "fd00::1"]
)
def test_a_provider_name_resolving_inside_is_refused_at_send_time(monkeypatch, inside):
    """DNS rebinding: the host passed the allow-list when saved, then points inside."""
    connected = []
    family = socket.AF_INET6 if ":" in inside else socket.AF_INET
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(family, socket.SOCK_STREAM, 6, "", (inside, 443))],
    )
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))
    with pytest.raises(webhooks.Refused):
        webhooks.post("slack", SLACK_URL, b"{}")
    assert connected == []


def test_one_inside_address_among_public_ones_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("3.3.3.3", 443)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", 443)),
        ],
    )
    with pytest.raises(webhooks.Refused):
        webhooks.post("slack", SLACK_URL, b"{}")


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("3.3.3.3", 443))],
    )
    seen = []

    def refuse(address, *args, **kwargs):
        seen.append(address)
        raise ConnectionRefusedError

    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(OSError):
        webhooks.post("slack", SLACK_URL, b"{}")
    assert seen == [("3.3.3.3", 443)]


def test_a_redirect_is_not_followed_and_counts_against_the_channel(receiver, teams_channel):
    receiver.expect_request("/teams-hook").respond_with_data(
        "", status=302, headers={"Location": receiver.url_for("/internal")}
    )
    receiver.expect_request("/internal").respond_with_data("", status=200)
    assert services.destination_test(destination=teams_channel) == ChatDelivery.Status.PENDING
    paths = [request.path for request, _ in receiver.log]
    assert paths == ["/teams-hook"]
    teams_channel.refresh_from_db()
    assert teams_channel.failure_count == 1
    delivery = ChatDelivery.objects.get(notice__kind=ChatNotice.Kind.TEST)
    assert delivery.last_status == 302


def test_the_url_is_stored_encrypted_and_shown_only_as_host_and_last_characters(
    receiver, teams_channel
):
    url = receiver.url_for("/teams-hook")
    assert url not in teams_channel.url_encrypted
    assert "teams-hook" not in teams_channel.url_encrypted
    assert teams_channel.url_hint == "localhost …hook"
