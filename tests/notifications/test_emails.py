"""Reminder e-mails as they go over the wire: through Django's real SMTP backend to a small SMTP
server, then parsed back the way a mail client would."""

import email
import email.policy
import re

import pytest
from django.db import connection

from notifications import services
from notifications.models import Notification, Reminder
from tests.support.smtp_sink import REFUSED_DOMAIN, SMTPSink


@pytest.fixture
def smtp(settings):
    with SMTPSink() as sink:
        settings.MAILERS = {
            "default": {
                "BACKEND": "learning_lead.mail_backend.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 5},
            }
        }
        yield sink


def received_by(smtp, person):
    [found] = [m for m in smtp.messages if m.recipients == [person.email]]
    return found, email.message_from_bytes(found.data, policy=email.policy.default)


def test_reminders_go_over_one_smtp_connection_each_with_text_and_html(
    smtp, soon, member, supervisor
):
    assert services.reminders_sweep().sent == 2
    assert len(smtp.messages) == 2
    assert smtp.connections == 1  # one batch, one connection
    received, parsed = received_by(smtp, member)
    assert received.sender == "noreply@localhost"
    assert b"\n" not in received.data.replace(b"\r\n", b"")  # CRLF line ends only
    assert parsed.get_content_type() == "multipart/alternative"
    text, html = parsed.iter_parts()
    assert text.get_content_type() == "text/plain" and "Weekly reflection" in text.get_content()
    assert html.get_content_type() == "text/html"
    assert f'/sessions/{soon.pk}/">' in html.get_content()
    reminder = Reminder.objects.get(user=member)
    assert parsed["Message-ID"] == f"<reminder-{reminder.pk}@learning-lead>"
    assert parsed["Auto-Submitted"] == "auto-generated"


def test_finnish_reminder_reads_back_with_its_accents_in_subject_and_both_parts(smtp, soon, member):
    member.language, member.first_name = "fi", "Äinö"
    member.save()
    soon.title = "Viikon pohdinta: mitä jäi kesken?"
    soon.save()
    services.reminders_sweep()
    received, parsed = received_by(smtp, member)
    head = received.data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()  # the subject travels RFC 2047-encoded
    assert "Viikon pohdinta: mitä jäi kesken?" in parsed["Subject"]
    text, html = parsed.iter_parts()
    assert "Hei Äinö," in text.get_content()
    assert "Mitä opimme?" in text.get_content()
    assert "Hei Äinö," in html.get_content()
    assert "Viikon pohdinta: mitä jäi kesken?" in html.get_content()


def test_each_person_gets_their_own_one_click_unsubscribe_link(smtp, soon, member, supervisor):
    services.reminders_sweep()
    for person in (member, supervisor):
        _, parsed = received_by(smtp, person)
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = re.fullmatch(r"<(https?://\S+/unsubscribe/(\S+)/)>", parsed["List-Unsubscribe"])
        assert url is not None
        assert services.user_from_unsubscribe_token(url[2]) == person
        text, html = parsed.iter_parts()
        assert url[1] in text.get_content() and url[1] in html.get_content()


def test_a_refused_address_is_skipped_and_the_rest_are_sent(smtp, soon, member, supervisor):
    member.email = "mia" + REFUSED_DOMAIN  # the server refuses it
    member.save()
    assert services.reminders_sweep().sent == 2
    assert [m.recipients for m in smtp.messages] == [[supervisor.email]]
    assert Notification.objects.filter(user=member).count() == 1


def test_async_commit_marks_each_reminder_and_leaves_the_connection_as_it_was(
    settings, soon, member, supervisor
):
    settings.REMINDER_ASYNC_COMMIT = True
    assert services.reminders_sweep().sent == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
