"""Cached page fragments (learning_lead/fragments.py): a page read twice is served from the
cache, a change shows at once, each viewer sees their own parts and CSRF token, and pages with
anonymous content are never cached (tests/test_cache_anonymity.py has the rest of that)."""

import re
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
from reflections import services
from reflections.pulse import PULSE_STATEMENTS
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user

PROJECT_APPS = ["teams", "reflections", "notifications", "privacy", "reports", "chat", "sso"]


@pytest.fixture
def second_member(acme, team_a):
    user = make_user(acme, "max")
    team_services.membership_set(team=team_a, user=user, role=Membership.Role.MEMBER)
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _fragment_keys() -> list[str]:
    return [key for key in cache._cache.get_client().keys("*") if b"fragment:" in key]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_every_model_says_which_cached_pages_it_changes():
    labels = {
        model._meta.label for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()
    }
    reports = {label for label in labels if label.startswith("reports.")}
    shown, anonymous = set(fragment_scopes.SHOWN), fragment_scopes.ANONYMOUS
    known = shown | anonymous | fragment_scopes.NOT_SHOWN | reports  # the report is not cached
    assert labels - known == set(), "name the new model in learning_lead/fragment_scopes.py"
    assert known <= labels
    assert not shown & anonymous and not (shown | anonymous) & fragment_scopes.NOT_SHOWN
    assert set(fragment_scopes.WRITER_FILLED) <= anonymous
    kinds = {kind for scopes in fragment_scopes.SHOWN.values() for kind in scopes}
    assert kinds == {"team", "thoughts", "org", "user", "session", "goal-thoughts"}
    writer_kinds = {kind for scopes in fragment_scopes.WRITER_FILLED.values() for kind in scopes}
    assert writer_kinds == {"questions", "session"}


def test_the_second_read_is_served_from_the_cache_with_fewer_queries(member, team_a):
    services.thought_post(author=member, team=team_a, kind="insight", body="Pairing helps")
    client = _client(member)
    url = reverse("reflections:team_feed", args=[team_a.pk])
    first = _queries(client, url)
    second = _queries(client, url)
    assert second < first
    assert "Pairing helps" in _page(client, url)


def test_a_new_thought_shows_at_once_to_everyone(member, second_member, team_a):
    url = reverse("reflections:team_feed", args=[team_a.pk])
    reader = _client(second_member)
    assert "Tests first" not in _page(reader, url)
    services.thought_post(author=member, team=team_a, kind="insight", body="Tests first")
    assert "Tests first" in _page(reader, url)
    thought = team_a.thoughts.get()
    services.thought_edit(thought=thought, body="Tests first, always")
    assert "Tests first, always" in _page(reader, url)
    services.thought_delete(thought=thought)
    assert "Tests first" not in _page(reader, url)


def test_a_changed_name_shows_on_the_team_pages(member, second_member, team_a, admin):
    services.thought_post(author=member, team=team_a, kind="insight", body="Hello")
    url = reverse("reflections:team_feed", args=[team_a.pk])
    reader = _client(second_member)
    assert "Mia" in _page(reader, url)
    team_services.person_update(
        person=member,
        first_name="Miriam",
        last_name=member.last_name,
        roles=set(),
        is_active=True,
        actor=admin,
    )
    assert "Miriam" in _page(reader, url)


def test_each_viewer_sees_only_their_own_edit_links_in_a_shared_fragment(
    member, second_member, team_a
):
    thought = services.thought_post(author=member, team=team_a, kind="insight", body="Mine")
    edit = reverse("reflections:thought_edit", args=[thought.pk])
    url = reverse("reflections:team_feed", args=[team_a.pk])
    assert edit in _page(_client(member), url)  # rendered and cached by the author
    assert edit not in _page(_client(second_member), url)  # the same fragment, another viewer
    assert len(_fragment_keys()) == 1


def test_a_form_from_a_cached_page_posts_with_the_viewers_own_token(member, second_member, team_a):
    url = reverse("reflections:team_feed", args=[team_a.pk])
    _page(_client(member), url)  # cached with no one's token in it
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(second_member)
    page = _page(reader, url)
    assert fragments.MARK not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = reader.post(
        reverse("reflections:thought_post", args=[team_a.pk]),
        {"kind": "insight", "body": "Posted from a cached page", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert "Posted from a cached page" in _page(reader, url)


def test_votes_show_per_viewer_and_counts_change_for_all(member, second_member, team_a):
    question = services.question_ask(team=team_a, body="Why do we estimate?")
    url = reverse("reflections:team_questions", args=[team_a.pk])
    voter, other = _client(member), _client(second_member)
    assert "0 want to know" in _page(other, url)
    services.question_upvote(question=question, user=member)
    mine, theirs = _page(voter, url), _page(other, url)
    assert "You want to know too" in mine and "1 wants to know" in mine
    assert "You want to know too" not in theirs and "1 wants to know" in theirs
    assert "I want to know too" in theirs


def test_an_anonymous_question_answer_and_hiding_show_at_once(
    member, second_member, supervisor, team_a
):
    url = reverse("reflections:team_questions", args=[team_a.pk])
    reader = _client(second_member)
    _page(reader, url)
    question = services.question_ask(team=team_a, body="Is unfinished work welcome?")
    assert "Is unfinished work welcome?" in _page(reader, url)
    services.question_answer(question=question, author=supervisor, body="Yes, always.")
    assert "Yes, always." in _page(reader, url)
    services.question_hide(question=question, reason="Duplicate", moderator=supervisor)
    page = _page(reader, url)
    assert "Yes, always." not in page and "Duplicate" in page


def test_asking_anonymously_leaves_no_key_in_the_cache(member, second_member, team_a):
    url = reverse("reflections:team_questions", args=[team_a.pk])
    asker = _client(member)
    response = asker.post(
        reverse("reflections:question_ask", args=[team_a.pk]),
        {"body": "Who decides our priorities?", "identity": "anonymous"},
    )
    assert response.status_code == 302
    assert "Who decides our priorities?" in _page(asker, url)
    assert "Who decides our priorities?" in _page(_client(second_member), url)
    assert _fragment_keys() == []  # the questions are rendered on every request


@pytest.mark.parametrize("second", [0, 1, 1799, 3599])
def test_a_fragment_expires_on_the_hour_whenever_it_was_made(monkeypatch, second):
    made = 1_800_000_000 + second  # 1_800_000_000 is on the hour
    monkeypatch.setattr(fragments.time, "time", lambda: made)
    timeout = fragments._timeout()
    assert (made + timeout) % 3600 == 0 and 3600 < timeout <= 7200


def test_session_page_attendance_pulse_and_prompts_show_at_once(
    member, second_member, supervisor, past_session
):
    url = reverse("reflections:session", args=[past_session.pk])
    lead = _client(supervisor)
    assert "Answer the safety pulse" not in _page(_client(member), url)
    services.session_hold(session=past_session, attendees=[member])
    page = _page(_client(member), url)
    assert "Answer the safety pulse" in page
    assert f"{len(PULSE_STATEMENTS)} short statements" in page  # the count the pulse asks
    services.pulse_answer(session=past_session, user=member, values={"ask": 4})
    assert "You have answered the pulse" in _page(_client(member), url)
    other = _page(_client(second_member), url)
    assert "Answer the safety pulse" in other and "You have answered" not in other
    assert re.search(rf'value="{member.pk}"[^>]*checked', _page(lead, url))
    services.prompt_add(session=past_session, text="What surprised you?")
    assert "What surprised you?" in _page(lead, url)


def test_mark_held_appears_when_the_session_starts(supervisor, team_a, monkeypatch):
    soon = services.session_add(
        team=team_a,
        title="Soon",
        starts_at=timezone.now() + timedelta(minutes=5),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=[],
    )
    url = reverse("reflections:session", args=[soon.pk])
    lead = _client(supervisor)
    hold = reverse("reflections:session_hold", args=[soon.pk])
    assert hold not in _page(lead, url)
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert hold in _page(lead, url)


def test_without_a_shared_cache_every_read_renders_afresh(settings, member, team_a):
    settings.FRAGMENT_CACHE = False  # the embedded mode: no Redis
    thought = services.thought_post(author=member, team=team_a, kind="insight", body="Mine")
    client = _client(member)
    url = reverse("reflections:team_feed", args=[team_a.pk])
    assert _queries(client, url) == _queries(client, url)
    page = _page(client, url)
    assert reverse("reflections:thought_edit", args=[thought.pk]) in page
    assert fragments.MARK not in page and _fragment_keys() == []


def test_a_reply_shows_on_the_session_page(member, second_member, past_session, team_a):
    url = reverse("reflections:session", args=[past_session.pk])
    thread = services.thought_post(
        author=member, team=team_a, kind="insight", body="About the kick-off", session=past_session
    )
    reader = _client(second_member)
    assert "About the kick-off" in _page(reader, url)
    services.thought_reply(author=second_member, parent=thread, body="Agreed, and more")
    assert "Agreed, and more" in _page(reader, url)


def test_another_teams_thought_leaves_the_feed_cached(member, other_member, team_a, team_b):
    reader = _client(member)
    url = reverse("reflections:team_feed", args=[team_a.pk])
    _page(reader, url)
    served = _queries(reader, url)
    services.thought_post(author=other_member, team=team_b, kind="insight", body="Elsewhere")
    assert _queries(reader, url) == served  # still the cached page: nothing of it changed
    services.thought_post(author=member, team=team_a, kind="insight", body="Here")
    assert _queries(reader, url) > served


def test_a_personal_block_outside_a_fragment_is_an_error_not_a_leak(rf, member):
    from django.template import Context, Template, TemplateSyntaxError

    block = Template('{% personal "me" 1 %}mine{% otherwise %}theirs{% endpersonal %}')
    with pytest.raises(TemplateSyntaxError):
        block.render(Context({}))
    request = rf.get("/")
    request.user = member
    html = fragments.fill(block.render(Context({"_fragment": True})), request, {})
    assert html == ("mine" if member.pk == 1 else "theirs")
