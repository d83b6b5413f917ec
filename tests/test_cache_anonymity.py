"""No reader can learn from the cache who did something anonymously (docs/caching.md).

After an anonymous question, vote (or its withdrawal), report, pulse answer or live card,
made through the pages as the asker would and committed (so its writer fills the pages it
changed, and nothing else), Redis stays exactly as the act left it, key for key, value for
value, with no time to live renewed, whichever member reads first (two languages, two time
zones); what the act added expires at a UTC midnight; no reader-filled page reads an anonymous
table; the generations that remain have no time to live."""

import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning_lead import fragment_scopes, fragments
from reflections import live_services, services
from reflections.models import LiveCard, Question
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user

VARIANTS = [
    ("en", "Europe/Helsinki"),
    ("fi", "Europe/Helsinki"),
    ("en", "America/New_York"),
    ("fi", "America/New_York"),
]


def _redis():
    return cache._cache.get_client()


def _snapshot() -> dict[bytes, tuple[bytes, int]]:
    """Every key with its value and remaining time to live in milliseconds."""
    client = _redis()
    return {key: (client.dump(key), client.pttl(key)) for key in client.keys("*")}


def _unchanged(before: dict, after: dict) -> None:
    assert set(after) == set(before)
    for key, (value, ttl) in after.items():
        assert value == before[key][0], key
        # A key written again has its time to live set anew, longer than what was left.
        assert ttl == -1 if before[key][1] == -1 else ttl <= before[key][1], key


@pytest.fixture
def past_session(team_a):
    return services.session_add(
        team=team_a,
        title="Kick-off",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=60,
        time_zone="Europe/Helsinki",
    )


@pytest.fixture
def readers(acme, team_a):
    people = []
    for index, (language, zone) in enumerate(VARIANTS):
        person = make_user(acme, f"reader{index}", language=language)
        team_services.preferences_update(user=person, language=language, time_zone=zone)
        team_services.membership_set(team=team_a, user=person, role=Membership.Role.MEMBER)
        people.append(person)
    return people


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _act(kind: str, asker: Client, team, session):
    """The anonymous act as the asker's browser does it: the form, then its redirect."""
    question = Question.objects.filter(team=team).first()
    if kind == "question":
        url = reverse("reflections:question_ask", args=[team.pk])
        data = {"body": "Who decides what we learn?", "identity": "anonymous"}
    elif kind == "vote":
        url, data = reverse("reflections:question_upvote", args=[question.pk]), {}
    elif kind == "unvote":
        url, data = reverse("reflections:question_upvote_withdraw", args=[question.pk]), {}
    elif kind == "card":
        url = reverse("reflections:live_card", args=[session.pk])
        data = {"body": "I did not dare to ask.", "prompt": ""}
    elif kind == "card_vote":
        card = LiveCard.objects.filter(live__session=session).first()
        url, data = reverse("reflections:live_vote", args=[session.pk, card.pk]), {}
    elif kind == "safety":
        url, data = reverse("reflections:live_safety", args=[session.pk]), {"answer": "no"}
    elif kind == "report":
        url, data = reverse("reflections:question_report", args=[question.pk]), {"reason": "Rude"}
    else:
        url, data = reverse("reflections:pulse_answer", args=[session.pk]), {"ask": "4"}
    response = asker.post(url, data, follow=True)
    assert response.status_code == 200 and response.redirect_chain
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize("first", [0, 1, 2, 3])
@pytest.mark.parametrize(
    "kind", ["question", "vote", "unvote", "report", "pulse", "card", "card_vote", "safety"]
)
def test_the_cache_is_the_same_whoever_reads_first_after_an_anonymous_act(
    kind,
    first,
    readers,
    member,
    supervisor,
    team_a,
    past_session,
    django_capture_on_commit_callbacks,
):
    question = services.question_ask(team=team_a, body="Is it fine not to know yet?")
    if kind == "unvote":  # taking back an upvote given before the caches were filled
        services.question_upvote(question=question, user=member)
    if kind in ("card", "card_vote"):  # a live session in its reflect (or vote) phase
        live = live_services.live_start(session=past_session, user=supervisor)
        live = live_services.live_next_phase(live=live, user=supervisor)
        if kind == "card_vote":
            live_services.live_card_write(
                live=live, user=supervisor, body="Hm", prompt=None, named=False
            )
            for _phase in ("group", "vote"):
                live = live_services.live_next_phase(live=live, user=supervisor)
    if kind == "safety":  # a live session in its close, with the organisation's group of five
        live = live_services.live_start(session=past_session, user=supervisor)
        while live.phase != "close":
            live = live_services.live_next_phase(live=live, user=supervisor)
        for person in readers:  # the fifth answer releases the figures
            live_services.live_safety_answer(live=live, user=person, answer="yes")
    services.session_hold(session=past_session, attendees=[member, *readers])
    clients = [_client(person) for person in readers]
    asker = _client(member)
    pages = [
        reverse("reflections:team_questions", args=[team_a.pk]),
        reverse("reflections:session", args=[past_session.pk]),
        reverse("reflections:team_feed", args=[team_a.pk]),
        reverse("home"),
    ]
    for client in [asker, *clients]:  # caches filled as in everyday use
        for url in pages:
            assert client.get(url).status_code == 200
    before = _snapshot()
    # The act commits as in production: the questions list is filled again by the writer.
    with django_capture_on_commit_callbacks(execute=True):
        target = _act(kind, asker, team_a, past_session)
    after = _snapshot()
    if kind not in ("question", "vote", "unvote"):
        _unchanged(before, after)  # nothing a page shows changed
    else:
        _day_coarse(before, after)
    order = clients[first:] + clients[:first]
    for client in order:
        assert client.get(target).status_code == 200
        _unchanged(after, _snapshot())


def _day_coarse(before: dict, after: dict) -> None:
    """What an act added expires at a UTC midnight: its time to live dates only the day."""
    added = set(after) - set(before)
    assert added, "the writer filled the questions list"
    now_ms = time.time() * 1000
    for key in added:
        value, ttl = after[key]
        if ttl == -1:
            assert key.startswith(b":1:" + fragments.GENERATION.encode())
            continue
        expires = now_ms + ttl
        assert abs(expires - round(expires / 86_400_000) * 86_400_000) < 5_000, key


def test_no_cached_page_reads_an_anonymous_table(
    monkeypatch, team_a, supervisor, member, hr, past_session
):
    services.question_ask(team=team_a, body="Is it fine not to know yet?")
    anonymous = set()
    for label in fragment_scopes.ANONYMOUS:
        model = apps.get_model(label)
        anonymous.add(model._meta.db_table)
        anonymous |= {f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many}
    read = []
    real = fragments._cached

    def capturing(parts, scopes, build):
        def traced():
            with CaptureQueriesContext(connection) as queries:
                html = build()
            read.extend(query["sql"] for query in queries)
            return html

        return real(parts, scopes, traced)

    monkeypatch.setattr(fragments, "_cached", capturing)
    feed = services.feed_for_user(user=member).token
    team_feed = services.feed_for_team(user=member, team=team_a).token
    pages = [
        reverse("home"),
        reverse("reflections:team_feed", args=[team_a.pk]),
        reverse("reflections:team_direction", args=[team_a.pk]),
        reverse("reflections:my_learning"),
        reverse("reflections:feed", args=[feed]),
        reverse("reflections:feed", args=[team_feed]),
    ]
    for viewer in (member, supervisor):
        client = _client(viewer)
        for url in pages:
            assert client.get(url).status_code == 200
    for url in (reverse("reports:report"), reverse("reports:csv")):
        assert _client(hr).get(url).status_code == 200
    assert read, "the pages were rendered through the cache"
    for sql in read:
        assert not [table for table in anonymous if f'"{table}"' in sql], sql


def test_generations_have_no_time_to_live(member, team_a):
    services.thought_post(author=member, team=team_a, kind="insight", body="Hello")
    _client(member).get(reverse("reflections:team_feed", args=[team_a.pk]))
    generations = _redis().keys(f"*{fragments.GENERATION}*")
    assert generations
    assert {_redis().ttl(key) for key in generations} == {-1}
