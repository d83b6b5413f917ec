"""Reminder e-mails: plain text and HTML, in the person's language and time zone, with
List-Unsubscribe and RFC 8058 one-click unsubscribe. Messages are `FastEmail`s, which build
their MIME bytes directly (notifications/mime.py) instead of through Python's email API."""

import logging
import zoneinfo

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from learning_lead.languages import language_for
from notifications.mime import FastEmail
from notifications.models import Reminder

logger = logging.getLogger(__name__)


NAME_SLOT = "LLSLOTNAME7f3a"
UNSUBSCRIBE_SLOT = "https://llslot.invalid/unsubscribe"


class MessageFactory:
    """Builds reminder e-mails for a batch. Each (session, kind, language, time zone) is
    rendered once; only the greeting name and the unsubscribe link differ per person, and
    they are put into slots left in the rendered text."""

    def __init__(self):
        self._rendered: dict[tuple, tuple[str, str, str]] = {}
        # Tokens are URL-safe base64 and ":", which reverse() leaves as they are.
        self._unsubscribe_url = settings.SITE_URL + reverse(
            "notifications:unsubscribe", args=[NAME_SLOT]
        )

    def build(self, reminder: Reminder, unsubscribe_token: str) -> FastEmail:
        user = reminder.user
        subject, text, html = self._render(reminder)
        name = user.first_name or user.username
        unsubscribe_url = self._unsubscribe_url.replace(NAME_SLOT, unsubscribe_token)
        message = FastEmail(
            subject=subject,
            body=text.replace(NAME_SLOT, name).replace(UNSUBSCRIBE_SLOT, unsubscribe_url),
            to=[user.email],
            headers={
                "Message-ID": reminder.message_id,
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        html = html.replace(NAME_SLOT, escape(name)).replace(UNSUBSCRIBE_SLOT, unsubscribe_url)
        message.attach_alternative(html, "text/html")
        return message

    def _render(self, reminder: Reminder) -> tuple[str, str, str]:
        """Subject, text and HTML, rendered once per (what it is about, language, time zone);
        a lapse reminder's lapse was attached by the delivery (services._attach_lapses)."""
        user = reminder.user
        if reminder.kind == Reminder.Kind.LAPSE:
            about = (reminder.team_id, reminder.lapse_key)
        else:
            about = (reminder.session_id, reminder.starts_at)
        language = language_for(user)
        key = (reminder.kind, *about, language, user.time_zone)
        if key not in self._rendered:
            name, context = self._context(reminder)
            context.update(
                name=NAME_SLOT,
                language=language,
                time_zone=user.time_zone,
                preferences_url=settings.SITE_URL + reverse("notifications:preferences"),
                unsubscribe_url=UNSUBSCRIBE_SLOT,
            )
            with translation.override(language), timezone.override(_zone(user.time_zone)):
                self._rendered[key] = (
                    render_to_string(f"notifications/email/{name}_subject.txt", context).strip(),
                    render_to_string(f"notifications/email/{name}.txt", context),
                    render_to_string(f"notifications/email/{name}.html", context),
                )
        return self._rendered[key]

    @staticmethod
    def _context(reminder: Reminder) -> tuple[str, dict]:
        """The template name and what the reminder is about."""
        if reminder.kind == Reminder.Kind.LAPSE:
            team = reminder.team
            return "lapse", {
                "team": team,
                "lapse": reminder.lapse,
                "health_url": f"{settings.SITE_URL}{reverse('reflections:health')}#team-{team.pk}",
                "sessions_url": settings.SITE_URL
                + reverse("reflections:team_sessions", args=[team.pk]),
            }
        session = reminder.session
        if reminder.kind in (Reminder.Kind.MOVED, Reminder.Kind.CANCEL):
            return reminder.kind, {
                "session": session,
                "session_url": settings.SITE_URL
                + reverse("reflections:session", args=[session.pk]),
                "calendar_url": settings.SITE_URL + reverse("reflections:calendar"),
            }
        name = "before" if reminder.kind == Reminder.Kind.BEFORE else "nudge"
        return name, {
            "session": session,
            "prompts": list(session.prompts.all()),
            "session_url": settings.SITE_URL + reverse("reflections:session", args=[session.pk]),
        }


def send_one(connection, message: FastEmail) -> bool:
    """Sends one message on an open connection. A refused message (a bad address) is logged,
    without its content, and does not hold up the others; a server that cannot be reached at
    all fails when the connection opens, which leaves the rows claimed for a retry."""
    try:
        connection.send_messages([message])
    except Exception:  # noqa: BLE001 - any backend error
        logger.warning("A reminder e-mail was refused by the mail server.")
        return False
    return True


def open_connection():
    connection = mail.mailers.default
    connection.open()
    return connection


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
