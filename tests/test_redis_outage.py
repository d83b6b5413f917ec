"""While Redis is away (a Sentinel failover, docs/topology.md "While Redis is away"), pages
answer as before, rendered without the cache, and people stay signed in; what needs the cache
to stay correct (signing out, a write whose cached pages must be forgotten) answers 503 and
changes nothing. Redis is really unreachable here: the cache points at a port where nothing
listens, or at a proxy in front of the test Redis that is cut in the middle of a request."""

import contextlib
import logging
import re
import socket
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session as SessionRow
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning_lead import redis_cache
from reflections import services as reflections
from reflections.models import Thought
from teams import direction_services
from teams.models import PersonalGoal
from tests.conftest import PASSWORD


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_at(settings, port: int, db: int) -> None:
    settings.CACHES = {
        "default": {
            **django_settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{port}/{db}",
        }
    }


def _test_redis() -> tuple[str, int, int]:
    url = urlsplit(django_settings.CACHES["default"]["LOCATION"])
    return url.hostname, url.port or 6379, int(url.path.strip("/") or 0)


class CuttableProxy:
    """A TCP proxy to the test Redis that lets ``allow`` commands through, then closes every
    connection and its port: Redis stops answering between two calls of one request."""

    def __init__(self, allow: int):
        self.allow = allow
        self.upstream = _test_redis()[:2]
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = [self.listener]
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source, target, commands):
        while True:
            try:
                data = source.recv(65536)
                if commands:
                    with self.lock:
                        self.allow -= 1
                    if self.allow < 0:
                        self.cut()
                        return
                if not data:
                    return
                target.sendall(data)
            except OSError:
                return

    def cut(self):
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


@pytest.fixture(autouse=True)
def outage_log(monkeypatch, caplog):
    """No outage logged before the test, and none left logged after it."""
    monkeypatch.setattr(redis_cache, "_away", False)
    caplog.set_level(logging.WARNING)
    return caplog


@pytest.fixture
def content(acme, team_a, supervisor, member, hr):
    """What the main pages show: a thought, goals, a session with a question, a calendar
    feed."""
    reflections.thought_post(author=member, team=team_a, kind="insight", body="Pairing on bugs")
    direction_services.personal_goal_create(
        owner=member,
        title="Learn SQL",
        reason="",
        challenge=1,
        visibility=PersonalGoal.Visibility.SUPERVISOR,
        team_goal=None,
    )
    session = reflections.session_add(
        team=team_a,
        title="Retro",
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    reflections.question_ask(team=team_a, body="Who decides what we learn?")
    feed = reflections.feed_for_user(user=member)
    return [
        (member, reverse("home"), "Retro"),
        (member, reverse("reflections:team_feed", args=[team_a.pk]), "Pairing on bugs"),
        (member, reverse("reflections:my_learning"), "Learn SQL"),
        (supervisor, reverse("reflections:team_direction", args=[team_a.pk]), "Learn SQL"),
        (member, reverse("reflections:team_questions", args=[team_a.pk]), "Who decides"),
        (member, reverse("reflections:session", args=[session.pk]), "Retro"),
        (hr, reverse("reports:report"), "<h1"),
        (None, reverse("reflections:feed", args=[feed.token]), "SUMMARY:Retro"),
    ]


def _main(body: bytes) -> str:
    """The page's main content without what differs per request (CSRF token, nonce) or per
    build (a calendar's DTSTAMP)."""
    text = re.sub(r"DTSTAMP:\S+", "", body.decode())
    text = text.split("<main", 1)[1].split("</main>")[0] if "<main" in text else text
    return re.sub(r'(csrfmiddlewaretoken" value|X-CSRFToken": |nonce)="?[^"&]*', "", text)


def _clients(pages) -> dict:
    clients = {}
    for user, _, _ in pages:
        if user not in clients:
            clients[user] = Client()
            if user is not None:
                clients[user].force_login(user)
    return clients


def _read_all(pages, clients) -> list[str]:
    shown = []
    for user, url, expected in pages:
        response = clients[user].get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url
        shown.append(_main(response.content))
    return shown


def _no_user_data_logged(log, member):
    text = "\n".join(record.getMessage() for record in log.records)
    text += "\n".join(str(record.exc_info) for record in log.records if record.exc_info)
    for private in ("Pairing on bugs", "Learn SQL", member.username, member.email):
        assert private not in text
    for key in SessionRow.objects.values_list("session_key", flat=True):
        assert key not in text


def test_the_main_pages_answer_as_before_with_nothing_listening_at_redis(
    settings, content, member, outage_log
):
    clients = _clients(content)
    before = _read_all(content, clients)  # signed in, the cache filled
    _redis_at(settings, _free_port(), _test_redis()[2])
    assert _read_all(content, clients) == before  # still signed in, same content
    assert _read_all(content, clients) == before
    warnings = [r for r in outage_log.records if r.name == "learning_lead.redis_cache"]
    assert [r.getMessage() for r in warnings] == [
        "Redis unreachable (ConnectionError): pages render without the cache until it answers again"
    ]
    _no_user_data_logged(outage_log, member)


def test_a_page_answers_when_redis_stops_in_the_middle_of_the_request(
    settings, content, member, outage_log
):
    clients = _clients(content)
    before = _read_all(content, clients)
    feed_page = content[1]
    proxy = CuttableProxy(allow=1)  # the session is read from Redis; then Redis is gone
    _redis_at(settings, proxy.port, _test_redis()[2])
    response = clients[member].get(feed_page[1])
    assert proxy.allow < 0, "Redis was cut during the request"
    assert response.status_code == 200
    assert _main(response.content) == before[1]
    assert "Pairing on bugs" in response.content.decode()
    assert any("Redis unreachable" in r.getMessage() for r in outage_log.records)
    _no_user_data_logged(outage_log, member)


def test_signing_in_works_while_redis_is_away(settings, member):
    _redis_at(settings, _free_port(), _test_redis()[2])
    client = Client()
    response = client.post(
        reverse("login"), {"username": member.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == member


def test_signing_out_while_redis_is_away_answers_503_and_keeps_the_session(settings, member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    _, port, db = _test_redis()
    _redis_at(settings, _free_port(), db)
    response = client.post(reverse("logout"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    assert "Try again in a moment" in response.content.decode()
    # Not half signed out: the session row is there, and the copy in Redis once it is back;
    # the sign-out that then works ends both.
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert SessionRow.objects.filter(session_key=key).exists()
    _redis_at(settings, port, db)  # Redis is back
    assert client.get(reverse("home")).context["user"] == member
    assert client.post(reverse("logout")).status_code == 302
    assert not SessionRow.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302  # to the sign-in page


def test_a_write_whose_cached_pages_cannot_be_forgotten_is_refused(settings, team_a, member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    _redis_at(settings, _free_port(), _test_redis()[2])
    response = client.post(
        reverse("reflections:thought_post", args=[team_a.pk]),
        {"kind": "insight", "body": "Shown stale for hours?"},
    )
    assert response.status_code == 503
    assert not Thought.objects.filter(body="Shown stale for hours?").exists()
