"""The safety pulse: members answer once after a held session; supervisors see results only in
aggregate and only from enough people."""

import pytest
from django.urls import reverse

from reflections import services
from reflections.models import PulseAnswered, PulseValue
from reflections.pulse import PULSE_STATEMENTS
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user


@pytest.fixture
def held_session(past_session, supervisor, member):
    services.session_hold(session=past_session, attendees=[member, supervisor])
    past_session.refresh_from_db()
    return past_session


def add_members(team, count, *, present_at=None, prefix="person"):
    """New members of the team, marked present at `present_at` beside those already there."""
    people = []
    for index in range(count):
        person = make_user(team.organization, f"{prefix}{index}")
        team_services.membership_set(team=team, user=person, role=Membership.Role.MEMBER)
        people.append(person)
    if present_at is not None:
        there = [attendance.user for attendance in present_at.attendances.all()]
        services.session_hold(session=present_at, attendees=there + people)
    return people


def answer_url(session):
    return reverse("reflections:pulse_answer", args=[session.pk])


def results_url(session):
    return reverse("reflections:pulse_results", args=[session.pk])


def test_member_answers_the_pulse_once_without_a_name(client, member, held_session):
    client.force_login(member)
    page = client.get(answer_url(held_session)).content.decode()
    assert "In this team I can say “I don&#x27;t know yet”." in page
    assert "saved without your name" in page
    response = client.post(answer_url(held_session), {"dont_know": "4", "ask": "2"}, follow=True)
    assert "Your answer is saved without your name" in response.content.decode()
    assert PulseAnswered.objects.filter(session=held_session, user=member).count() == 1
    assert sorted(PulseValue.objects.values_list("statement", "value")) == [
        ("ask", 2),
        ("dont_know", 4),
    ]


def test_a_second_pulse_answer_is_refused(client, member, held_session):
    client.force_login(member)
    client.post(answer_url(held_session), {"dont_know": "4"})
    response = client.post(answer_url(held_session), {"dont_know": "1"}, follow=True)
    assert "You have already answered the pulse of this session." in response.content.decode()
    assert PulseValue.objects.count() == 1
    with pytest.raises(services.PulseAlreadyAnswered):
        services.pulse_answer(session=held_session, user=member, values={"ask": 3})
    assert PulseValue.objects.count() == 1
    page = client.get(reverse("reflections:session", args=[held_session.pk])).content.decode()
    assert "You have answered the pulse of this session" in page


def test_the_pulse_opens_only_once_the_session_is_held(client, member, past_session):
    client.force_login(member)
    assert "opens once the session is held" in client.get(answer_url(past_session)).content.decode()
    client.post(answer_url(past_session), {"dont_know": "4"})
    assert not PulseValue.objects.exists() and not PulseAnswered.objects.exists()


def test_empty_or_out_of_scale_answers_are_refused(client, member, held_session):
    client.force_login(member)
    body = client.post(answer_url(held_session), {}).content.decode()
    assert "Choose a number for at least one statement." in body
    body = client.post(answer_url(held_session), {"ask": "7"}).content.decode()
    assert "Select a valid choice" in body
    assert not PulseAnswered.objects.exists()


def test_supervisor_reads_results_but_does_not_answer(client, supervisor, member, held_session):
    client.force_login(supervisor)
    assert client.get(answer_url(held_session)).status_code == 404
    assert client.get(results_url(held_session)).status_code == 200
    client.force_login(member)
    assert client.get(results_url(held_session)).status_code == 404


def test_outsiders_get_404(client, other_member, hr, foreigner, held_session):
    for outsider in (other_member, hr, foreigner):
        client.force_login(outsider)
        assert client.get(answer_url(held_session)).status_code == 404
        assert client.get(results_url(held_session)).status_code == 404


def test_results_stay_hidden_until_five_people_answered(client, supervisor, team_a, held_session):
    people = add_members(team_a, 5, present_at=held_session)
    for person in people[:4]:
        services.pulse_answer(session=held_session, user=person, values={"dont_know": 2})
    client.force_login(supervisor)
    body = client.get(results_url(held_session)).content.decode()
    assert "4 people have answered." in body
    assert "Results show once at least 5 people have answered" in body
    assert "<table>" not in body
    services.pulse_answer(session=held_session, user=people[4], values={"dont_know": 5})
    body = client.get(results_url(held_session)).content.decode()
    assert "<table>" in body and "<td>2.6</td>" in body
    assert (
        body.count("Too few answers to show.") == len(PULSE_STATEMENTS) - 1
    )  # the others had no answers


def test_one_more_answer_does_not_change_the_results_a_supervisor_sees(
    client, supervisor, team_a, held_session
):
    """Re-reading after one more answer must not show that answer: results move in steps of
    a whole group."""
    people = add_members(team_a, 10, present_at=held_session)
    for person in people[:5]:
        services.pulse_answer(session=held_session, user=person, values={"dont_know": 4})
    client.force_login(supervisor)
    first = client.get(results_url(held_session)).content.decode()
    assert "<td>4.0</td>" in first and "from the first 5 answers" in first

    services.pulse_answer(session=held_session, user=people[5], values={"dont_know": 1})
    again = client.get(results_url(held_session)).content.decode()
    assert "6 people have answered." in again
    assert again.split("<table>")[1] == first.split("<table>")[1]  # the same figures
    assert "change only when 10 people have answered" in again

    for person in people[6:]:
        services.pulse_answer(session=held_session, user=person, values={"dont_know": 1})
    later = client.get(results_url(held_session)).content.decode()
    assert "<td>2.5</td>" in later and "from the first 10 answers" in later


def test_each_release_holds_a_whole_group_more(team_a, held_session):
    for person in add_members(team_a, 12, present_at=held_session):
        services.pulse_answer(session=held_session, user=person, values={"ask": 3})
    releases = list(held_session.pulse_releases.order_by("answered"))
    assert [r.answered for r in releases] == [5, 10]
    assert [r.counts for r in releases] == [{"ask": {"3": 5}}, {"ask": {"3": 10}}]


def test_a_larger_minimum_group_size_of_the_organisation_applies(
    client, supervisor, team_a, held_session
):
    team_a.organization.min_group_size = 7
    team_a.organization.save()
    for person in add_members(team_a, 6, present_at=held_session):
        services.pulse_answer(session=held_session, user=person, values={"ask": 3})
    client.force_login(supervisor)
    body = client.get(results_url(held_session)).content.decode()
    assert "Results show once at least 7 people have answered" in body


def test_session_page_links_members_to_the_pulse_and_supervisors_to_results(
    client, member, supervisor, held_session
):
    client.force_login(member)
    page = client.get(reverse("reflections:session", args=[held_session.pk])).content.decode()
    assert answer_url(held_session) in page and results_url(held_session) not in page
    client.force_login(supervisor)
    page = client.get(reverse("reflections:session", args=[held_session.pk])).content.decode()
    assert results_url(held_session) in page


RULE = "Who answers: those marked present at the session"


def test_a_member_not_marked_present_cannot_answer_and_the_page_says_why(
    client, member, team_a, held_session
):
    absent = add_members(team_a, 1)[0]
    client.force_login(absent)
    session_page = client.get(reverse("reflections:session", args=[held_session.pk]))
    assert RULE in session_page.content.decode()
    page = client.get(answer_url(held_session)).content.decode()
    assert RULE in page and "Only those marked present at the session answer its pulse." in page
    assert "Send my answer" not in page
    response = client.post(answer_url(held_session), {"dont_know": "4"}, follow=True)
    assert "Only those marked present" in response.content.decode()
    with pytest.raises(services.PulseNotOpen):
        services.pulse_answer(session=held_session, user=absent, values={"ask": 3})
    assert not PulseAnswered.objects.exists() and not PulseValue.objects.exists()
    # Those marked present answer as before.
    client.force_login(member)
    client.post(answer_url(held_session), {"dont_know": "4"})
    assert PulseAnswered.objects.filter(user=member).exists()


def test_before_attendance_is_marked_every_member_may_answer(client, team_a, past_session):
    services.session_hold(session=past_session, attendees=[])
    someone = add_members(team_a, 1)[0]
    client.force_login(someone)
    page = client.get(answer_url(past_session)).content.decode()
    assert RULE in page and "Send my answer" in page
    client.post(answer_url(past_session), {"dont_know": "4"})
    assert PulseAnswered.objects.filter(user=someone).exists()
    # Marking attendance afterwards closes it to those not marked present.
    late = add_members(team_a, 1, prefix="late")[0]
    services.session_hold(session=past_session, attendees=[someone])
    with pytest.raises(services.PulseNotOpen):
        services.pulse_answer(session=past_session, user=late, values={"ask": 3})
