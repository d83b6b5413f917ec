"""What the channels receive: a valid Adaptive Card for Teams, valid Block Kit for Slack, in
the channel's language, and never the text of a question."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.utils import timezone

from chat import payloads, services
from chat.models import ChatDelivery, ChatNotice
from reflections import bridge_services
from reflections import services as reflections
from reflections.services import team_today
from teams import direction_services
from tests.chat.conftest import connect

SECRET = "Why does nobody review my pull requests"


def _posted(receiver) -> list[dict]:
    return [json.loads(request.get_data()) for request, _ in receiver.log]


def _morning_after(team) -> dt.datetime:
    tomorrow = team_today(team) + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(10), tzinfo=zoneinfo.ZoneInfo(team.time_zone))


@pytest.fixture
def coming_up(team_a):
    return reflections.session_add(
        team=team_a,
        title="Weekly reflection",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        location="Room Kuusi",
        video_url="https://meet.example.org/weekly",
        prompt_keys=["learned", "unfinished"],
    )


def test_teams_gets_an_adaptive_card_with_the_session_time_place_link_and_prompts(
    receiver, teams_channel, coming_up
):
    receiver.expect_request("/teams-hook", method="POST").respond_with_data("", status=202)
    services.chat_sweep()
    [message] = _posted(receiver)
    assert message["type"] == "message"
    [attachment] = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.4"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert all(block["type"] in {"TextBlock", "FactSet"} for block in card["body"])
    text = json.dumps(card, ensure_ascii=False)
    assert "Weekly reflection of Team A is coming up" in text
    assert "Room Kuusi" in text and "https://meet.example.org/weekly" in text
    assert "What did we learn?" in text and "What is still unfinished?" in text
    [action] = card["actions"]
    assert action["type"] == "Action.OpenUrl"
    assert action["url"] == f"https://learning.example.org/sessions/{coming_up.pk}/"
    assert message["text"] == card["fallbackText"]
    local = coming_up.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Helsinki"))
    assert local.strftime("%H:%M") in card["fallbackText"]
    assert receiver.log[0][0].headers["Content-Type"].startswith("application/json")


def test_slack_gets_block_kit_with_a_text_fallback(receiver, slack_channel, coming_up):
    receiver.expect_request("/slack-hook", method="POST").respond_with_data("ok")
    services.chat_sweep()
    [message] = _posted(receiver)
    assert "Weekly reflection of Team A is coming up" in message["text"]
    header, section, actions = message["blocks"]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert len(header["text"]["text"]) <= 150
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert "Room Kuusi" in section["text"]["text"]
    [button] = actions["elements"]
    assert button["type"] == "button" and button["url"].startswith("https://learning.example.org/")


def test_messages_are_in_the_channels_language(receiver, team_a, supervisor, coming_up):
    connect(team_a, receiver.url_for("/fi"), language="fi")
    receiver.expect_request("/fi").respond_with_data("", status=202)
    services.chat_sweep()
    [message] = _posted(receiver)
    assert "Weekly reflection" in message["text"]
    assert "is coming up" not in message["text"]
    assert "Paikka" in message["text"]


def test_slack_control_characters_in_team_text_are_escaped():
    message = payloads.Message(title="T", lines=["<!channel> & <https://x|y>"])
    section = payloads.slack_blocks(message)["blocks"][1]
    assert section["text"]["text"] == "&lt;!channel&gt; &amp; &lt;https://x|y&gt;"


def test_new_questions_are_a_count_and_a_link_never_the_question(
    receiver, team_a, teams_channel, slack_channel
):
    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    receiver.expect_request("/slack-hook").respond_with_data("ok")
    reflections.question_ask(team=team_a, body=SECRET)
    reflections.question_ask(team=team_a, body="Another one, anonymously")
    services.chat_sweep(now=_morning_after(team_a))
    assert len(receiver.log) == 2
    for request, _ in receiver.log:
        raw = request.get_data(as_text=True)
        assert "2 new questions are waiting in Team A" in raw
        assert "pull requests" not in raw and "Another one" not in raw
        assert f"/teams/{team_a.pk}/questions/" in raw
    services.chat_sweep(now=_morning_after(team_a) + dt.timedelta(hours=3))
    assert len(receiver.log) == 2  # once a day


def test_no_question_notice_before_the_teams_morning(receiver, team_a, teams_channel):
    reflections.question_ask(team=team_a, body=SECRET)
    services.chat_sweep(now=_morning_after(team_a) - dt.timedelta(hours=4))
    assert receiver.log == []


def test_hrs_answer_is_posted_with_a_link_but_not_the_questions(
    receiver, team_a, supervisor, hr, teams_channel
):
    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    question = reflections.question_ask(team=team_a, body=SECRET)
    theme = direction_services.theme_create(organization=team_a.organization, title="Quality")
    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    bridge_services.forward_answer(
        item=item, body="We will set review time aside.", answered_as="hr", answered_by=hr
    )
    services.chat_sweep()
    [message] = _posted(receiver)
    raw = json.dumps(message, ensure_ascii=False)
    assert "HR answered the questions Team A forwarded" in raw
    assert "We will set review time aside." in raw
    assert "pull requests" not in raw
    assert ChatNotice.objects.filter(kind=ChatNotice.Kind.ANSWER).count() == 1


def test_after_a_held_session_the_channel_gets_a_nudge(receiver, team_a, supervisor, teams_channel):
    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    session = reflections.session_add(
        team=team_a,
        title="Retro",
        starts_at=timezone.now() - dt.timedelta(hours=2),
        duration_minutes=60,
        time_zone="Europe/Helsinki",
    )
    reflections.session_hold(session=session, attendees=[supervisor])
    services.chat_sweep()
    [message] = _posted(receiver)
    assert "Add a reflection on Retro while it is fresh" in message["text"]


def test_a_channel_gets_only_the_notices_its_supervisor_chose(
    receiver, team_a, supervisor, coming_up
):
    connect(team_a, receiver.url_for("/quiet"), send_reminders=False)
    services.chat_sweep()
    assert receiver.log == []
    assert not ChatDelivery.objects.exists()


def test_a_lapse_is_posted_once_to_channels_that_chose_it(receiver, team_a, supervisor):
    from tests.support.rhythm import history, session_at

    receiver.expect_request("/lapses").respond_with_data("", status=202)
    connect(team_a, receiver.url_for("/lapses"), send_lapses=True)
    connect(team_a, receiver.url_for("/quiet"))  # lapse notices are off by default
    history(team_a, "HMM")
    services.chat_sweep()
    session_at(team_a, days=-3)  # the row grows: still the same lapse
    services.chat_sweep()
    [(request, _)] = receiver.log
    assert request.path == "/lapses"
    raw = request.get_data(as_text=True)
    assert "The reflection rhythm of Team A has paused" in raw
    assert "https://learning.example.org/rhythm-health/" in raw
