"""The questions list is filled by its writers (reflections/question_page.py, docs/caching.md):
after an act, every reader of every variant in use is served what the writer filled, and no
reader's request fills or draws anything."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import question_page, services
from reflections.models import Question
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user
from tests.reflections.writer_filled import client_for, fetch, fragment_keys


@pytest.fixture
def readers(acme, team_a):
    people = []
    for index, (language, zone) in enumerate(
        [("fi", "Europe/Helsinki"), ("en", "America/New_York"), ("sv-fi", "Europe/Helsinki")]
    ):
        person = make_user(acme, f"reader{index}", language=language)
        team_services.preferences_update(user=person, language=language, time_zone=zone)
        team_services.membership_set(team=team_a, user=person, role=Membership.Role.MEMBER)
        people.append(person)
    return people


def test_every_reader_is_served_what_the_writer_filled(
    readers, member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:team_questions", args=[team_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(
            reverse("reflections:question_ask", args=[team_a.pk]),
            {"body": "Who decides what we learn?", "identity": "anonymous"},
        )
    filled = fragment_keys()
    for person in [*readers, member, supervisor]:
        page, read = fetch(client_for(person), url, Question)
        assert "Who decides what we learn?" in page
        assert not read, f"{person} was served the list afresh, not as its writer filled it"
        assert fragment_keys() == filled  # the reader drew and kept nothing
    # What the writer filled is the page a reader would render: the vote button and the
    # supervisor's tools show for the right people.
    assert "Hide the question" in client_for(supervisor).get(url).content.decode()
    assert "Hide the question" not in client_for(member).get(url).content.decode()
    assert "Kysymykset" in client_for(readers[0]).get(url).content.decode()


def test_a_reader_fills_nothing_the_writer_did_not(
    readers, member, team_a, django_capture_on_commit_callbacks
):
    services.question_ask(team=team_a, body="Unfilled?")  # its commit never ran: nothing filled
    url = reverse("reflections:team_questions", args=[team_a.pk])
    before = fragment_keys()
    for person in [*readers, member]:
        page, read = fetch(client_for(person), url, Question)
        assert "Unfilled?" in page and read
        for query in ("?after=1-0-20260101-" + "0" * 32, "?session=1"):
            assert client_for(person).get(url + query).status_code == 200
    assert fragment_keys() == before


def test_the_list_is_filled_again_when_its_team_changes(
    member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:team_questions", args=[team_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(team=team_a, body="When do we meet?")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_add(
            team=team_a,
            title="Learning café",
            starts_at=timezone.now() + timedelta(days=2),
            duration_minutes=30,
            time_zone="Europe/Helsinki",
        )
    page, read = fetch(client_for(member), url, Question)
    assert "Learning café" in page  # offered in the ask form, from the list filled anew
    assert not read


def test_a_vote_shows_at_once_and_the_voter_sees_their_own(
    member, supervisor, team_a, django_capture_on_commit_callbacks
):
    url = reverse("reflections:team_questions", args=[team_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(team=team_a, body="Can we pair more?")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(
            reverse("reflections:question_upvote", args=[question.pk]), follow=True
        )
    page = response.content.decode()
    assert "You want to know too" in page and "Take it back" in page
    other, read = fetch(client_for(supervisor), url, Question)
    assert not read
    assert "I want to know too" in other and "You want to know too" not in other
    assert "1 wants to know" in other


def test_variants_in_use_are_the_team_peoples_time_zones_and_languages(readers, member, team_a):
    zones, languages = question_page.variants_in_use(team_a)
    assert zones == ["America/New_York", "Europe/Helsinki"]
    assert languages == ["en", "fi", "sv-fi"]
    team_services.preferences_update(user=readers[2], language="fi", time_zone="Europe/Helsinki")
    assert question_page.variants_in_use(team_a)[1] == ["en", "fi"]
    team_services.preferences_update(user=member, language="", time_zone="Europe/Helsinki")
    # Someone who chose no language reads in their browser's: every language we speak.
    assert question_page.variants_in_use(team_a)[1] == ["en", "fi", "sv-fi"]


def test_the_nightly_task_fills_every_list_for_the_new_day(member, team_a, team_b):
    from reflections import tasks

    services.question_ask(team=team_a, body="Asked before midnight")  # its commit never ran
    assert tasks.fill_question_lists() == 2
    page, read = fetch(
        client_for(member), reverse("reflections:team_questions", args=[team_a.pk]), Question
    )
    assert "Asked before midnight" in page and not read


def test_after_a_deploy_one_command_fills_every_list(member, team_a, team_b):
    from io import StringIO

    from django.core.management import call_command

    services.question_ask(team=team_a, body="Asked before the deploy")  # its commit never ran
    out = StringIO()
    call_command("fill_pages", stdout=out)
    assert "2 teams" in out.getvalue()
    page, read = fetch(
        client_for(member), reverse("reflections:team_questions", args=[team_a.pk]), Question
    )
    assert "Asked before the deploy" in page and not read
