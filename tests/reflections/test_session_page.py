"""The session page is filled by its writers but for its live part (reflections/session_page.py,
docs/caching.md): every reader is served what the writer filled, the live part is the
viewer's own, and no reader's request fills or draws anything."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services
from reflections.models import Thought
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user
from tests.reflections.writer_filled import client_for, fetch, fragment_keys


@pytest.fixture
def session(team_a):
    return services.session_add(
        team=team_a,
        title="Retro",
        starts_at=timezone.now() - timedelta(hours=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )


@pytest.fixture
def reader(acme, team_a):
    person = make_user(acme, "lukija", language="fi")
    team_services.preferences_update(user=person, language="fi", time_zone="America/New_York")
    team_services.membership_set(team=team_a, user=person, role=Membership.Role.MEMBER)
    return person


def test_every_reader_is_served_what_the_writer_filled(
    session, reader, member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.thought_post(
            author=member, team=team_a, kind="insight", body="Pairing helped", session=session
        )
    filled = fragment_keys()
    for person in (member, supervisor, reader):
        page, read = fetch(client_for(person), url, Thought)
        assert "Pairing helped" in page
        assert not read, f"{person} was served the page afresh, not as its writer filled it"
        assert fragment_keys() == filled  # the reader drew and kept nothing
    # The live part is each viewer's own, in their language.
    assert "Start the live session" in fetch(client_for(supervisor), url, Thought)[0]
    assert "Start the live session" not in fetch(client_for(member), url, Thought)[0]
    assert "Yhteinen pohdintahetki" in fetch(client_for(reader), url, Thought)[0]
    # The supervisor's tools are in the supervisor's variant only.
    assert "Mark held" in fetch(client_for(supervisor), url, Thought)[0]
    assert "Mark held" not in fetch(client_for(member), url, Thought)[0]


def test_a_question_about_the_session_shows_at_once(
    session, member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(team=team_a, body="Why retro at all?", session=session)
    page, read = fetch(client_for(supervisor), url, Thought)
    assert "Why retro at all?" in page and not read


def test_a_change_of_the_team_fills_the_sessions_around_today(
    session, member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:session", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.prompt_add(session=session, text="What surprised you?")
    page, read = fetch(client_for(member), url, Thought)
    assert "What surprised you?" in page and not read


def test_a_reader_fills_nothing(session, member, supervisor, team_a):
    services.thought_post(  # its commit never runs: nothing is filled
        author=member, team=team_a, kind="insight", body="Unfilled", session=session
    )
    url = reverse("reflections:session", args=[session.pk])
    before = fragment_keys()
    for person in (member, supervisor):
        page, read = fetch(client_for(person), url, Thought)
        assert "Unfilled" in page and read
    assert fragment_keys() == before


def test_the_page_lists_the_threads_and_replies_the_plain_query_gives(
    session, member, supervisor, team_a, django_assert_num_queries
):
    """The session page's compiled queries (reflections/selectors.py) answer as the feed's
    thoughts_with_replies: the newest 50 threads, each with its replies in order, and no query
    when a template asks for them."""
    from reflections import selectors

    threads = [
        services.thought_post(
            author=member, team=team_a, kind="insight", body=f"T{n}", session=session
        )
        for n in range(52)
    ]
    for thread in (threads[0], threads[2], threads[51]):
        for n in range(2):
            services.thought_reply(author=supervisor, parent=thread, body=f"R{thread.body}-{n}")
    services.thought_post(author=member, team=team_a, kind="insight", body="Elsewhere")
    expected = list(selectors.thoughts_with_replies(Thought.objects.filter(session=session))[:50])
    page = selectors.session_page(session, viewer=member)
    with django_assert_num_queries(0):
        shown = [
            (
                thought,
                [(reply, reply.author.username, reply.parent) for reply in thought.reply_list],
            )
            for thought in page["thoughts"]
        ]
    assert shown == [
        (thought, [(reply, reply.author.username, thought) for reply in thought.reply_list])
        for thought in expected
    ]
    assert [len(replies) for _, replies in shown if replies] == [2, 2]


def test_whether_the_viewer_answered_the_pulse_is_the_same_for_one_session_or_several(
    team_a, member, supervisor
):
    """The one-session query the session page asks (compiled) answers as the general one."""
    from reflections.viewer_facts import ViewerFacts

    held = [
        services.session_add(
            team=team_a,
            title=f"Held {n}",
            starts_at=timezone.now() - timedelta(days=n + 1),
            duration_minutes=30,
            time_zone="Europe/Helsinki",
        )
        for n in range(3)
    ]
    services.pulse_answer(session=held[1], user=member, values={"ask": 4})
    services.pulse_answer(session=held[2], user=supervisor, values={"ask": 4})
    pulse = ViewerFacts(member)["pulse"]
    assert [set(pulse({str(session.pk)})) for session in held] == [set(), {held[1].pk}, set()]
    assert set(pulse({str(session.pk) for session in held})) == {held[1].pk}


def test_the_page_links_are_the_reversed_urls(session, settings):
    """Each link reversed once per process (reflections/session_page.py) is the URL reverse()
    gives, also under another script prefix."""
    from django.urls import reverse, set_script_prefix

    from reflections import session_page

    for prefix in ("/", "/learning/"):
        set_script_prefix(prefix)
        try:
            found = session_page.paths(session)
            for names, pk in (
                (session_page.TEAM_LINKS, session.team_id),
                (session_page.SESSION_LINKS, session.pk),
            ):
                for name in names:
                    assert found[name] == reverse(f"reflections:{name}", args=[pk])
            assert found["team_feed"].startswith(prefix)
        finally:
            set_script_prefix("/")
