"""What a notice says, and its two wire formats: an Adaptive Card for a Microsoft Teams
Workflows webhook, Slack Block Kit for a Slack incoming webhook, each with a plain-text
fallback. Texts are drawn in the channel's language; the only content a notice carries comes
from the team's sessions, their prompts and HR's answers: never a question's text (a question
may be anonymous), only a count and a link."""

import json
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
ADAPTIVE_CARD_VERSION = "1.4"
ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SLACK_TEXT_LIMIT = 3000  # a section block's text


@dataclass
class Message:
    title: str
    lines: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (label, absolute URL)

    @property
    def text(self) -> str:
        """The plain-text fallback: everything, in reading order."""
        parts = [self.title, *self.lines]
        parts += [f"{label}: {value}" for label, value in self.facts]
        parts += [f"• {bullet}" for bullet in self.bullets]
        if self.link:
            parts.append(f"{self.link[0]}: {self.link[1]}")
        return "\n".join(parts)


def _absolute(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _when(moment, time_zone: str) -> str:
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'H:i')}"


def message_for(notice, language: str) -> Message:
    """The notice's message in the language (the channel's)."""
    from chat.models import ChatNotice

    with translation.override(language):
        team = notice.team.name
        kind = notice.kind
        if kind == ChatNotice.Kind.TEST:
            return Message(
                title=_("Learning Lead is connected"),
                lines=[
                    _("Reminders and notices of %(team)s will be posted in this channel.")
                    % {"team": team}
                ],
            )
        if kind in (ChatNotice.Kind.BEFORE, ChatNotice.Kind.NUDGE):
            return _session_message(notice, team)
        if kind == ChatNotice.Kind.QUESTIONS:
            count = notice.count
            return Message(
                title=ngettext(
                    "%(count)d new question is waiting in %(team)s",
                    "%(count)d new questions are waiting in %(team)s",
                    count,
                )
                % {"count": count, "team": team},
                lines=[_("Upvote the ones you want to talk about, or answer them.")],
                link=(
                    _("Open the questions"),
                    _absolute("reflections:team_questions", notice.team_id),
                ),
            )
        if kind == ChatNotice.Kind.ANSWER:
            item = notice.forwarded_item
            return Message(
                title=_("HR answered the questions %(team)s forwarded") % {"team": team},
                lines=[item.answer],
                link=(
                    _("Read the answer with the questions"),
                    _absolute("reflections:team_questions", notice.team_id),
                ),
            )
        return Message(
            title=_("The reflection rhythm of %(team)s has paused") % {"team": team},
            lines=[_("No session has been held or planned lately. Plan the next one.")],
            link=(_("See the rhythm health"), _absolute("reflections:health")),
        )


def _session_message(notice, team: str) -> Message:
    from chat.models import ChatNotice

    session = notice.session
    link = (_("Open the session"), _absolute("reflections:session", session.pk))
    if notice.kind == ChatNotice.Kind.NUDGE:
        return Message(
            title=_("Add a reflection on %(title)s while it is fresh") % {"title": session.title},
            lines=[_("What did you learn? What is still unfinished?")],
            link=link,
        )
    facts = [(_("When"), _when(session.starts_at, session.time_zone))]
    if session.location:
        facts.append((_("Place"), session.location))
    if session.video_url:
        facts.append((_("Video link"), session.video_url))
    return Message(
        title=_("%(title)s of %(team)s is coming up") % {"title": session.title, "team": team},
        facts=facts,
        lines=[_("Prompts to think about:")] if session.prompts.all() else [],
        bullets=[str(prompt.text) for prompt in session.prompts.all()],
        link=link,
    )


def adaptive_card(message: Message) -> dict:
    """A Teams Workflows ("when a Teams webhook request is received") message."""
    body: list[dict] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    body += [{"type": "TextBlock", "text": line, "wrap": True} for line in message.lines]
    if message.facts:
        body.append(
            {
                "type": "FactSet",
                "facts": [{"title": label, "value": value} for label, value in message.facts],
            }
        )
    body += [{"type": "TextBlock", "text": f"- {b}", "wrap": True} for b in message.bullets]
    card = {
        "$schema": ADAPTIVE_CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "fallbackText": message.text,
        "speak": message.title,
        "body": body,
    }
    if message.link:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": message.link[0], "url": message.link[1]}
        ]
    return {
        "type": "message",
        "summary": message.title,
        "text": message.text,
        "attachments": [
            {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "contentUrl": None, "content": card}
        ],
    }


def _mrkdwn(text: str) -> str:
    """Slack's three control characters, escaped as Slack asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_blocks(message: Message) -> dict:
    """A Slack incoming webhook message: Block Kit with `text` as the notification fallback."""
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}}
    ]
    lines = [_mrkdwn(line) for line in message.lines]
    lines += [f"*{_mrkdwn(label)}:* {_mrkdwn(value)}" for label, value in message.facts]
    lines += [f"• {_mrkdwn(bullet)}" for bullet in message.bullets]
    if lines:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "\n".join(lines)[:SLACK_TEXT_LIMIT]},
            }
        )
    if message.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": message.link[0][:75]},
                        "url": message.link[1],
                    }
                ],
            }
        )
    return {"text": message.text, "blocks": blocks}


def body_for(kind: str, message: Message) -> bytes:
    payload = adaptive_card(message) if kind == "teams" else slack_blocks(message)
    return json.dumps(payload, ensure_ascii=False).encode()
