"""A fast MIME builder for plain text + HTML e-mails, used by reminder delivery.

Django's EmailMultiAlternatives.message() builds each message with Python's modern email API
(1.5 to 3 ms a message with as_bytes()); reminders are sent by the thousand, so `FastEmail`
writes the same kind of message directly (about 0.03 ms): multipart/alternative with a text
and an HTML part, encoded as Python's email package would choose (7bit, 8bit, or
quoted-printable when a line is too long). Anything outside that simple shape (attachments,
Cc, non-ASCII or unusual addresses, header values that need encoding other than the subject)
falls back to Django's own builder, so the result is always a valid message.
"""

import binascii
import email
import email.policy
import email.utils
import re
import secrets
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.utils.timezone import get_current_timezone

# A plain addr-spec (dot-atom local part, ASCII domain); anything else goes through Django.
from learning_lead.mail_backend import SIMPLE_ADDRESS

HEADER_NAME = re.compile(r"[!-9;-~]+")
# Headers the builder writes itself, or that Django treats specially.
OWN_HEADERS = {"from", "to", "cc", "bcc", "reply-to", "subject", "content-type",
               "mime-version", "content-transfer-encoding"}  # fmt: skip
MAX_LINE = 998  # RFC 5322 2.1.1


class FastEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose message() is built directly when it has the simple
    shape above. Its attributes (subject, body, alternatives, to, extra_headers) stay the
    source of truth, so backends that read them instead of calling message() see the same."""

    def message(self, *, policy=email.policy.default):
        raw = build(self, policy)
        if raw is None:
            return super().message(policy=policy)
        return PrebuiltMessage(raw, policy)


class PrebuiltMessage:
    """What FastEmail.message() returns: the finished bytes for backends that serialise the
    message (SMTP, file, console, locmem). Anything else (reading a header, walking the
    parts) parses the bytes once with the same policy and answers from that."""

    def __init__(self, raw: bytes, policy):
        self._raw = raw
        self.policy = policy
        self._parsed = None

    def as_bytes(self, unixfrom: bool = False, policy=None) -> bytes:
        linesep = (policy or self.policy).linesep
        if linesep == self.policy.linesep:
            return self._raw
        return self._raw.replace(self.policy.linesep.encode(), linesep.encode())

    def as_string(self, unixfrom: bool = False, maxheaderlen=None, policy=None) -> str:
        # Every byte is ASCII except 8bit parts, which are UTF-8.
        return self.as_bytes(policy=policy).decode("utf-8")

    __bytes__ = as_bytes
    __str__ = as_string

    def get_charset(self):
        return None  # as for any multipart message

    def parsed(self) -> email.message.Message:
        if self._parsed is None:
            self._parsed = email.message_from_bytes(self._raw, policy=self.policy)
        return self._parsed

    def __getattr__(self, name):
        if name.startswith("_"):  # copy, pickle and our own attributes: no parsing
            raise AttributeError(name)
        return getattr(self.parsed(), name)

    def __getitem__(self, name):
        return self.parsed()[name]

    def __contains__(self, name) -> bool:
        return name in self.parsed()

    def __iter__(self):
        return iter(self.parsed())

    def __len__(self) -> int:
        return len(self.parsed())


def build(message: EmailMultiAlternatives, policy) -> bytes | None:
    """The message's bytes, or None when it is not the simple text + HTML shape."""
    if (
        message.attachments
        or message.cc
        or message.reply_to
        or not message.to
        or not message.body
        or len(message.alternatives) != 1
        or message.alternatives[0].mimetype != "text/html"
        or not isinstance(message.alternatives[0].content, str)
        or (message.encoding or settings.DEFAULT_CHARSET).lower() != "utf-8"
        or not all(isinstance(to, str) and SIMPLE_ADDRESS.fullmatch(to) for to in message.to)
        # A sender with RFC 2047 encoded words or anything but printable ASCII: Django's.
        or not _plain_header("From", str(message.from_email))
        or "=?" in str(message.from_email)
    ):
        return None
    linesep = policy.linesep
    extra = []
    for name, value in message.extra_headers.items():
        if not isinstance(name, str) or name.lower() in OWN_HEADERS:
            return None
        value = str(value)
        if not _plain_header(name, value):
            return None
        extra.append(f"{name}: {value}")
    # Date and Message-ID as Django adds them, unless given.
    given = {name.lower() for name in message.extra_headers}
    if "message-id" not in given:
        extra.insert(0, "Message-ID: " + email.utils.make_msgid(domain=DNS_NAME))
    if "date" not in given:
        tz = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
        extra.insert(0, "Date: " + email.utils.format_datetime(datetime.now(tz)))
    to = "To: " + ", ".join(message.to)
    if len(to) > MAX_LINE:
        return None
    text = _part("plain", message.body, policy)
    html = _part("html", message.alternatives[0].content, policy)
    boundary = "=_" + secrets.token_hex(12)
    while boundary.encode() in text or boundary.encode() in html:
        boundary = "=_" + secrets.token_hex(12)
    head = [
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "MIME-Version: 1.0",
        _folded(policy, "Subject", str(message.subject)),
        _folded(policy, "From", str(message.from_email)),
        to,
        *extra,
    ]
    sep = linesep.encode()
    # The line break before a boundary belongs to the boundary (RFC 2046 5.1.1).
    delimiter = sep + b"--" + boundary.encode()
    return b"".join(
        [
            linesep.join(head).encode("utf-8") + sep,  # UTF-8 only with SMTPUTF8
            delimiter + sep,
            text,
            delimiter + sep,
            html,
            delimiter + b"--" + sep,
        ]
    )


def _plain_header(name: str, value: str) -> bool:
    """A header that can be written as it is: ASCII, one line, no control characters."""
    return (
        HEADER_NAME.fullmatch(name) is not None
        and value.isascii()
        and value.isprintable()
        and len(name) + 2 + len(value) <= MAX_LINE
    )


@lru_cache(maxsize=512)
def _folded(policy, name: str, value: str) -> str:
    """A header checked, folded and encoded (RFC 2047) by Python's email package, as in
    Django's builder; the subject and sender repeat across a batch, so each is done once.
    A value with a line break inside raises ValueError, as Django does; one line break at
    its end is dropped when folded, as Python's email package (and so Django) does."""
    # Python's email package refuses any line break str.splitlines() knows (\x1e, \x85, ...)
    # inside a value.
    inside = value.rstrip("\r\n")
    if len(value.splitlines()) > 1 or "\n" in inside or "\r" in inside:
        raise ValueError(f"Header values can't contain newlines (got {value!r} for {name})")
    # An address's display name may hide a line break in an RFC 2047 encoded word; Django
    # refuses it once decoded, and so does this.
    if name == "From" and any(
        "\n" in part or "\r" in part
        for address in policy.header_factory(name, value).addresses
        for part in (address.display_name, address.username, address.domain)
    ):
        raise ValueError(f"Address parts can't contain newlines (got {value!r} for {name})")
    return policy.fold(name, value).rstrip("\r\n")


def _part(subtype: str, content: str, policy) -> bytes:
    """One text part, headers and body, encoded the way Python's email package picks
    (email.contentmanager): 7bit if ASCII with short lines, 8bit if the policy allows it,
    else quoted-printable."""
    sep = policy.linesep.encode()
    lines = content.encode("utf-8").splitlines()
    limit = policy.max_line_length or MAX_LINE
    if max(map(len, lines), default=0) <= limit:
        body = sep.join(lines) + sep
        if body.isascii():
            cte = "7bit"
        elif policy.cte_type == "8bit":
            cte = "8bit"
        else:
            cte, body = "quoted-printable", _qp(lines, sep)
    else:
        cte, body = "quoted-printable", _qp(lines, sep)
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"{policy.linesep}'
        f"Content-Transfer-Encoding: {cte}{policy.linesep}{policy.linesep}"
    )
    return head.encode("ascii") + body


def _qp(lines: list[bytes], sep: bytes) -> bytes:
    # binascii's encoder (C) with soft line breaks at 76; lines are joined with "\n" first
    # because it keeps a bare "\n" as a line break.
    encoded = binascii.b2a_qp(b"\n".join(lines) + b"\n", istext=True)
    return encoded.replace(b"\n", sep) if sep != b"\n" else encoded
