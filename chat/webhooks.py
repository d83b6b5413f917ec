"""The outbound boundary: which webhook URLs are accepted and how one is posted to.

Only https URLs on the providers' hosts (CHAT_WEBHOOK_HOSTS) are accepted, never an IP
literal, credentials or another port. At send time the host is resolved again and every
address must be a public one (so a name that later points inside, DNS rebinding, is refused),
and the connection goes to the very address that was checked, with TLS verified for the host
name. Redirects are never followed. CHAT_TEST_RECEIVER_HOSTS (tests only, never read from the
environment) lets a fake receiver on localhost take the place of a provider."""

import fnmatch
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 2000


class Refused(Exception):
    """The URL or the address it resolves to is not one we post to."""


@dataclass
class Answer:
    status: int
    retry_after: float | None = None


def _test_host(host: str) -> bool:
    return host in settings.CHAT_TEST_RECEIVER_HOSTS


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_url(kind: str, url: str) -> str:
    """The reason the URL is refused (translated), or "" when it may be stored."""
    if len(url) > MAX_URL_LENGTH:
        return _("The address is too long.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return _("This is not a web address.")
    host = (parts.hostname or "").lower()
    if _test_host(host):
        return "" if parts.scheme in ("http", "https") else _("This is not a web address.")
    if parts.scheme != "https":
        return _("The address must start with https://.")
    if parts.username or parts.password or port not in (None, 443) or not host:
        return _("The address must be a plain https:// address without a port or a password.")
    if _is_ip(host):
        return _("The address must name the service's host, not an IP address.")
    patterns = settings.CHAT_WEBHOOK_HOSTS.get(kind, [])
    if not any(fnmatch.fnmatchcase(host, pattern) for pattern in patterns):
        return _(
            "This is not an address of the chosen service. Copy the webhook address it gave you."
        )
    return ""


def hint(url: str) -> str:
    """What is shown of a stored URL: its host and last four characters."""
    parts = urlsplit(url)
    return f"{parts.hostname} …{url[-4:]}"


def _public_address(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ConnectionError(f"cannot resolve {host}") from exc
    addresses = [info[4][0] for info in infos]
    if _test_host(host):
        return addresses[0]
    if not addresses or not all(ipaddress.ip_address(a).is_global for a in addresses):
        raise Refused(f"{host} resolves to a non-public address")
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address already checked, verifying the certificate for the host."""

    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def post(kind: str, url: str, body: bytes) -> Answer:
    """Posts the JSON body. Raises Refused for a URL or address we do not post to and
    ConnectionError (or OSError) when the receiver cannot be reached."""
    if check_url(kind, url):
        raise Refused("URL not allowed")
    parts = urlsplit(url)
    host = parts.hostname.lower()
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = _public_address(host, port)
    timeout = settings.CHAT_TIMEOUT_SECONDS
    if secure:
        connection = _PinnedHTTPSConnection(
            host, address, port=port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTPConnection(host, address, port=port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "LearningLead/1.0",
            },
        )
        response = connection.getresponse()
        response.read(65536)
        return Answer(response.status, _retry_after(response.getheader("Retry-After")))
    finally:
        connection.close()
