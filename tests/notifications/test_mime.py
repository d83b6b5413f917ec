"""The fast MIME builder: its messages read back exactly like Django's own, in every policy
the backends use, and anything outside its simple shape is left to Django."""

import copy
import email
import email.policy
import email.utils
import io

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as Console
from django.core.mail.backends.filebased import EmailBackend as File
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.mime import FastEmail, PrebuiltMessage
from tests.examples import examples

FINNISH_TEXT = "Hei Äijä,\n\nMitä opimme? Keskeneräiset ajatukset ovat tervetulleita.\n"
FINNISH_HTML = "<p>Hei Äijä,</p>\n<p>Mitä opimme?</p>\n"
LONG_LINE = "Linkki: https://video.example.org/" + "å" * 120 + "?x=1 = yes\n"


def make(cls=FastEmail, *, body=FINNISH_TEXT, html=FINNISH_HTML, **kwargs):
    message = cls(
        subject=kwargs.pop("subject", "Tulossa: Viikkopohdinta (Tiimi Ä) · pe 27.11.2026 10:00"),
        body=body,
        to=kwargs.pop("to", ["mia@example.org"]),
        headers={
            "Message-ID": "<reminder-7@learning-lead>",
            "List-Unsubscribe": "<https://ll.example.org/notifications/unsubscribe/abc:1x:sig/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        **kwargs,
    )
    message.attach_alternative(html, "text/html")
    return message


def parse(message, policy):
    raw = message.message(policy=policy).as_bytes()
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def summary(parsed) -> dict:
    """What a reader sees: decoded headers (minus per-send ones) and each part's content."""
    # Python's parser keeps the space of a folded header's first line; Django folds
    # List-Unsubscribe there, we do not.
    headers = {k: str(v).strip() for k, v in parsed.items() if k not in {"Date", "Content-Type"}}
    parts = [
        (part.get_content_type(), part.get_content().replace("\r\n", "\n"))
        for part in parsed.iter_parts()
    ]
    return {"type": parsed.get_content_type(), "headers": headers, "parts": parts}


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP, email.policy.SMTPUTF8])
@pytest.mark.parametrize("body", [FINNISH_TEXT, "Plain ASCII text\n", FINNISH_TEXT + LONG_LINE])
def test_message_reads_back_the_same_as_djangos_own(policy, body):
    fast_raw, fast = parse(make(body=body, html=FINNISH_HTML + body), policy)
    _, django = parse(make(EmailMultiAlternatives, body=body, html=FINNISH_HTML + body), policy)
    assert summary(fast) == summary(django)
    assert summary(fast)["parts"] == [
        ("text/plain", body),
        ("text/html", FINNISH_HTML + body),
    ]
    assert fast["Subject"] == "Tulossa: Viikkopohdinta (Tiimi Ä) · pe 27.11.2026 10:00"
    assert fast["Date"] is not None
    lines = fast_raw.split(policy.linesep.encode())
    assert fast_raw.endswith(policy.linesep.encode())
    assert max(len(line) for line in lines) <= 998
    if policy.linesep == "\r\n":
        assert b"\n" not in fast_raw.replace(b"\r\n", b"")
    # Only the bodies may carry 8-bit bytes; headers are ASCII (RFC 2047 subject), except
    # with SMTPUTF8 (RFC 6532), where the subject is sent as UTF-8.
    head = fast_raw.split(policy.linesep.encode() * 2, 1)[0]
    assert head.isascii() is not policy.utf8
    assert (b"=?utf-8?" in head) is not policy.utf8


def test_long_lines_are_sent_quoted_printable_and_short_finnish_ones_as_8bit():
    raw, parsed = parse(make(body=FINNISH_TEXT + LONG_LINE), email.policy.SMTP)
    text, html = parsed.iter_parts()
    assert text["Content-Transfer-Encoding"] == "quoted-printable"
    assert html["Content-Transfer-Encoding"] == "8bit"
    assert all(len(line) <= 78 for line in text.get_payload().splitlines())


def test_headers_are_written_as_given():
    _, parsed = parse(make(), email.policy.SMTP)
    assert parsed["To"] == "mia@example.org"
    assert parsed["Message-ID"] == "<reminder-7@learning-lead>"
    assert parsed["List-Unsubscribe"] == (
        "<https://ll.example.org/notifications/unsubscribe/abc:1x:sig/>"
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["From"] == "Learning Lead <noreply@localhost>"


def test_prebuilt_message_answers_header_lookups_by_parsing():
    built = make().message()
    assert isinstance(built, PrebuiltMessage)
    assert built["Message-ID"] == "<reminder-7@learning-lead>"
    assert "List-Unsubscribe" in built
    assert [part.get_content_type() for part in built.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    copied = copy.deepcopy(make().message())
    assert copied["Message-ID"] == "<reminder-7@learning-lead>"


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.attach("notes.txt", "hello", "text/plain"),
        lambda m: setattr(m, "cc", ["hr@example.org"]),
        lambda m: setattr(m, "to", ["Mia Ääri <mia@example.org>"]),
        lambda m: setattr(m, "to", ["mia@exämple.org"]),
        lambda m: m.extra_headers.update({"X-Note": "Hyvää päivää"}),
    ],
)
def test_anything_outside_the_simple_shape_is_built_by_django(change):
    message = make()
    change(message)
    built = message.message(policy=email.policy.SMTP)
    assert not isinstance(built, PrebuiltMessage)
    assert built["Message-ID"] == "<reminder-7@learning-lead>"


def test_a_line_break_in_the_subject_is_refused_as_django_does():
    with pytest.raises(ValueError):
        make(subject="Hi\nBcc: everyone@example.org").message()


def test_console_and_file_backends_write_the_message(tmp_path):
    stream = io.StringIO()
    assert Console(alias="console", stream=stream).send_messages([make()]) == 1
    assert "Mitä opimme?" in stream.getvalue() and "<reminder-7@learning-lead>" in stream.getvalue()
    File(alias="file", file_path=str(tmp_path)).send_messages([make()])
    [written] = tmp_path.iterdir()
    parsed = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == "<reminder-7@learning-lead>"


# Fuzzing against Python's email package: whatever the subject, sender name, header values and
# bodies, the fast builder's bytes parse to what Django's own message parses to (or both refuse
# the message), no header can be smuggled in, and every line fits SMTP's limit.
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(["\n", "\r", " ", "\t", "=", ".", "ä", "€", "😀"]),
    max_size=300,
)
LINE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    policy=st.sampled_from([email.policy.default, email.policy.SMTP, email.policy.SMTPUTF8]),
    subject=TEXT | st.text(st.sampled_from("Pohdinta Äijä ü "), min_size=60, max_size=400),
    name=LINE,
    body=TEXT.filter(bool),
    html=TEXT,
    header=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=200) | TEXT,
)
def test_fuzzed_messages_read_back_as_djangos_own(policy, subject, name, body, html, header):
    def build(cls):
        message = make(cls, subject=subject, body=body, html=html)
        message.from_email = email.utils.formataddr((name, "noreply@example.org"))
        message.extra_headers["X-Team"] = header
        try:
            return message.message(policy=policy), None
        except ValueError as exc:  # a line break in a header: refused, never sent
            return None, type(exc)

    fast_message, fast_error = build(FastEmail)
    django_message, django_error = build(EmailMultiAlternatives)
    assert fast_error == django_error
    if fast_message is None:
        return
    # Only a header value or a sender that is not plain printable ASCII (an encoded word is
    # not) sends the message through Django.
    sender = email.utils.formataddr((name, "noreply@example.org"))
    plain = all(v.isascii() and v.isprintable() for v in (header, sender)) and "=?" not in sender
    assert isinstance(fast_message, PrebuiltMessage) is plain
    fast_raw, django_raw = fast_message.as_bytes(), django_message.as_bytes()
    fast = email.message_from_bytes(fast_raw, policy=email.policy.default)
    django = email.message_from_bytes(django_raw, policy=email.policy.default)
    assert summary(fast) == summary(django)
    expected = {"Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type"}
    expected |= {"List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted", "X-Team"}
    assert set(fast.keys()) == expected and len(fast.keys()) == len(expected)
    assert max(len(line) for line in fast_raw.split(policy.linesep.encode())) <= 998
    if policy.linesep == "\r\n":
        assert b"\n" not in fast_raw.replace(b"\r\n", b"")
