"""The supervisor's chat channel pages: connect, change, test and remove a channel, each with
its audit row; the webhook address is never shown again; nobody else reaches them."""

import json

import pytest
from django.urls import reverse

from chat.models import ChatDestination
from privacy.models import AuditEvent
from tests.chat.conftest import connect
from tests.conftest import PASSWORD

SLACK_URL = "https://hooks.slack.com/services/T0000/B0000/SECRETSECRETSECRET1234"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _add(client, team, url=SLACK_URL, kind="slack"):
    return client.post(
        reverse("chat:destinations", args=[team.pk]),
        {
            "kind": kind,
            "name": "#team-a",
            "url": url,
            "language": "fi",
            "send_reminders": "on",
            "send_questions": "on",
        },
    )


def test_the_supervisor_connects_a_channel_and_the_address_is_never_shown_again(
    client, team_a, supervisor
):
    _login(client, supervisor)
    response = _add(client, team_a)
    assert response.status_code == 302
    channel = ChatDestination.objects.get()
    assert (channel.kind, channel.language, channel.send_reminders, channel.send_nudges) == (
        "slack",
        "fi",
        True,
        False,
    )
    page = client.get(reverse("chat:destinations", args=[team_a.pk])).content.decode()
    assert "hooks.slack.com …1234" in page
    assert "SECRETSECRET" not in page
    edit = client.get(reverse("chat:edit", args=[channel.pk])).content.decode()
    assert "SECRETSECRET" not in edit
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHAT_CHANNEL_ADD)
    assert event.actor == supervisor and "SECRET" not in event.target


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/services/T0/B0/X",
        "https://169.254.169.254/latest/meta-data/",
        "https://hooks.slack.com.attacker.example/x",
        "https://prod-1.westeurope.logic.azure.com/workflows/x",  # Teams, but Slack chosen
    ],
)
def test_an_address_outside_the_providers_hosts_is_refused(client, team_a, supervisor, url):
    _login(client, supervisor)
    response = _add(client, team_a, url=url)
    assert response.status_code == 200
    assert not ChatDestination.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )


def test_without_encryption_keys_the_page_says_so_and_stores_nothing(
    settings, client, team_a, supervisor
):
    settings.CHAT_ENCRYPTION_KEYS = []
    _login(client, supervisor)
    response = _add(client, team_a)
    assert response.status_code == 200
    assert "CHAT_ENCRYPTION_KEYS" in response.content.decode()
    assert not ChatDestination.objects.exists()


def test_the_supervisor_changes_and_removes_a_channel_with_audit_rows(client, team_a, supervisor):
    channel = connect(team_a, SLACK_URL, kind="slack")
    _login(client, supervisor)
    response = client.post(
        reverse("chat:edit", args=[channel.pk]),
        {"name": "#renamed", "language": "en", "send_lapses": "on", "enabled": "on"},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "#renamed" and channel.send_lapses and not channel.send_reminders
    assert channel.url_hint == "hooks.slack.com …1234"  # kept when left empty
    client.post(reverse("chat:remove", args=[channel.pk]))
    assert not ChatDestination.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"chat_channel_change", "chat_channel_remove"} <= actions


def test_the_test_button_posts_to_the_channel(client, receiver, team_a, supervisor):
    receiver.expect_request("/hook").respond_with_data("", status=202)
    channel = connect(team_a, receiver.url_for("/hook"))
    _login(client, supervisor)
    response = client.post(reverse("chat:test", args=[channel.pk]), follow=True)
    assert "Test message sent to #teams." in response.content.decode()
    [(request, _)] = receiver.log
    assert "Learning Lead is connected" in json.dumps(json.loads(request.get_data()))


def test_a_refused_test_message_says_what_to_do(client, receiver, team_a, supervisor):
    receiver.expect_request("/hook").respond_with_data("", status=400)
    channel = connect(team_a, receiver.url_for("/hook"))
    _login(client, supervisor)
    response = client.post(reverse("chat:test", args=[channel.pk]), follow=True)
    assert "refused the test message" in response.content.decode()


@pytest.mark.parametrize("persona", ["member", "other_member", "hr", "admin", "foreigner"])
def test_nobody_but_the_teams_supervisor_reaches_its_channels(
    client, personas, team_a, supervisor, persona
):
    channel = connect(team_a, SLACK_URL, kind="slack")
    _login(client, personas[persona])
    assert client.get(reverse("chat:destinations", args=[team_a.pk])).status_code == 404
    assert client.get(reverse("chat:edit", args=[channel.pk])).status_code == 404
    assert client.post(reverse("chat:test", args=[channel.pk])).status_code == 404
    assert client.post(reverse("chat:remove", args=[channel.pk])).status_code == 404
    assert ChatDestination.objects.exists()


def test_the_team_page_links_its_supervisor_to_the_channels(client, team_a, supervisor, member):
    url = reverse("chat:destinations", args=[team_a.pk])
    _login(client, supervisor)
    assert url in client.get(reverse("teams:detail", args=[team_a.pk])).content.decode()
    _login(client, member)
    assert url not in client.get(reverse("teams:detail", args=[team_a.pk])).content.decode()


def test_a_switched_off_channel_is_shown_in_the_supervisors_inbox(client, team_a, supervisor):
    from chat import services

    channel = connect(team_a, SLACK_URL, kind="slack")
    services.destination_switch_off(destination=channel, reason="HTTP 410")
    _login(client, supervisor)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "A chat channel of Team A stopped answering and was switched off" in page
    assert reverse("chat:destinations", args=[team_a.pk]) in page


@pytest.mark.parametrize("channels", [1, 6])
def test_the_channel_page_costs_the_same_queries_for_more_channels(
    client, team_a, supervisor, django_assert_max_num_queries, channels
):
    for number in range(channels):
        connect(team_a, f"https://hooks.slack.com/services/T0/B0/X{number}", kind="slack")
    _login(client, supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("chat:destinations", args=[team_a.pk]))
    assert response.content.decode().count("Send a test message") == channels
