"""A supervisor connects the team's chat channel, sends a test message (which a fake receiver
on localhost takes in place of Microsoft Teams) and removes the channel, in a real browser, in
English and in Finnish."""

import json

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import expect

from chat.models import ChatDestination
from privacy.models import AuditEvent
from tests.browser import journeys
from tests.browser.journeys import at, main
from tests.browser.ui import Pointer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver(httpserver, settings):
    settings.CHAT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.CHAT_TEST_RECEIVER_HOSTS = ["localhost"]
    httpserver.expect_request("/workflow", method="POST").respond_with_data("", status=202)
    return httpserver


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_supervisor_connects_tests_and_removes_a_chat_channel(open_context, demo, receiver, lang):
    page = open_context(lang=lang)
    v = journeys.Visit(page=page, lang=lang, ui=Pointer(page), demo=demo)
    journeys.sign_in(v, demo.supervisor)
    journeys.choose_language(v)
    journeys.open_team_page(v, "Chat channels")
    team = demo.team
    at(v, f"/teams/{team.pk}/chat/")
    empty = (
        "No chat channel yet. Connect one below: the team then sees its session reminders "
        "where it already talks."
    )
    expect(main(v).locator(".empty").first).to_have_text(v.t(empty))

    v.ui.check(main(v).get_by_role("radio", name=v.t("Microsoft Teams (Workflows webhook)")))
    v.ui.fill(main(v).get_by_label(v.t("Channel name")), "#learning")
    v.ui.fill(main(v).get_by_label(v.t("Webhook address")), receiver.url_for("/workflow"))
    v.ui.select(main(v).get_by_label(v.t("Language of the messages")), lang)
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Connect"), exact=True))
    expect(v.page.locator(".messages")).to_contain_text(
        v.t("%(channel)s connected. Send a test message to check it.", channel="#learning")
    )
    expect(main(v)).to_contain_text("localhost …flow")
    expect(main(v)).not_to_contain_text(receiver.url_for("/workflow"))

    test_button = main(v).get_by_role("button", name=v.t("Send a test message"), exact=False)
    v.loads(v.ui.click, test_button)
    expect(v.page.locator(".messages")).to_contain_text(
        v.t("Test message sent to %(channel)s.", channel="#learning")
    )
    [(request, _)] = receiver.log
    card = json.loads(request.get_data())["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == v.t("Learning Lead is connected")

    v.loads(v.ui.click, main(v).get_by_role("link", name=v.t("Change"), exact=False))
    remove = main(v).get_by_role("button", name=v.t("Remove %(name)s", name="#learning"))
    v.loads(v.ui.click, remove)
    at(v, f"/teams/{team.pk}/chat/")
    expect(v.page.locator(".messages")).to_contain_text(
        v.t("%(channel)s removed.", channel="#learning")
    )
    assert not ChatDestination.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="chat_channel").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["chat_channel_add", "chat_channel_remove"]
