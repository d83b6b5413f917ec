"""The live session: phases and their timer, only the facilitator moves them, cards hidden
until the reveal and anonymous through it, a vote budget, and the versioned poll."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reflections import live_services
from reflections.live_services import LiveError
from reflections.models import (
    LiveCard,
    LiveGroup,
    LiveSafetyAnswered,
    LiveSafetyValue,
    LiveSession,
    LiveVote,
)
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user

Phase = LiveSession.Phase


@pytest.fixture
def live(past_session, supervisor):
    return live_services.live_start(session=past_session, user=supervisor)


@pytest.fixture
def mary(acme, team_a):
    user = make_user(acme, "mary")
    team_services.membership_set(team=team_a, user=user, role=Membership.Role.MEMBER)
    return user


def to_phase(live, user, phase):
    while live.phase != phase:
        live = live_services.live_next_phase(live=live, user=user)
    return live


def poll(client, session, version):
    return client.get(reverse("reflections:live_poll", args=[session.pk]), {"v": version})


# Services


def test_starting_sets_the_facilitator_and_a_server_deadline(live, supervisor):
    assert live.phase == Phase.CHECK_IN
    assert live.facilitator == supervisor
    assert timezone.now() < live.phase_ends_at <= timezone.now() + timedelta(minutes=5)


def test_a_member_cannot_start_the_live_session(past_session, member):
    with pytest.raises(PermissionDenied):
        live_services.live_start(session=past_session, user=member)


def test_phases_go_in_order_and_each_bumps_the_version(live, supervisor):
    seen = [live.phase]
    versions = [live.version]
    while live.phase != Phase.CLOSE:
        live = live_services.live_next_phase(live=live, user=supervisor)
        seen.append(live.phase)
        versions.append(live.version)
    assert seen == ["check_in", "reflect", "group", "vote", "discuss", "close"]
    assert versions == sorted(set(versions))
    with pytest.raises(LiveError):
        live_services.live_next_phase(live=live, user=supervisor)


def test_only_the_facilitator_moves_extends_or_reveals(live, member):
    for step in (live_services.live_next_phase, live_services.live_reveal):
        with pytest.raises(PermissionDenied):
            step(live=live, user=member)
    with pytest.raises(PermissionDenied):
        live_services.live_extend(live=live, user=member, minutes=2)
    live.refresh_from_db()
    assert (live.phase, live.version) == (Phase.CHECK_IN, 1)


def test_extending_moves_the_deadline(live, supervisor):
    before = live.phase_ends_at
    live = live_services.live_extend(live=live, user=supervisor, minutes=3)
    assert live.phase_ends_at == before + timedelta(minutes=3)
    with pytest.raises(LiveError):
        live_services.live_extend(live=live, user=supervisor, minutes=60)


def test_hand_over_passes_the_controls(live, supervisor, member, other_member):
    with pytest.raises(LiveError):
        live_services.live_hand_over(live=live, user=supervisor, to=other_member)
    live = live_services.live_hand_over(live=live, user=supervisor, to=member)
    assert live.facilitator == member
    with pytest.raises(PermissionDenied):
        live_services.live_next_phase(live=live, user=supervisor)
    assert live_services.live_next_phase(live=live, user=member).phase == Phase.REFLECT


def test_cards_are_written_only_in_the_reflect_phase_and_anonymous_ones_keep_no_author(
    live, supervisor, member, other_member
):
    with pytest.raises(LiveError):
        live_services.live_card_write(live=live, user=member, body="x", prompt=None, named=False)
    live = to_phase(live, supervisor, Phase.REFLECT)
    with pytest.raises(PermissionDenied):
        live_services.live_card_write(
            live=live, user=other_member, body="x", prompt=None, named=False
        )
    prompt = live.session.prompts.first()
    anonymous = live_services.live_card_write(
        live=live, user=member, body="Unsaid", prompt=prompt, named=False
    )
    named = live_services.live_card_write(
        live=live, user=member, body="Said", prompt=None, named=True
    )
    assert anonymous.author_id is None and named.author_id == member.pk
    live.refresh_from_db()
    assert live.version == 2  # writing bumps nothing: the poll tells nobody that someone wrote


def test_votes_respect_the_budget_and_only_in_the_vote_phase(live, supervisor, member):
    live = to_phase(live, supervisor, Phase.REFLECT)
    cards = [
        live_services.live_card_write(
            live=live, user=member, body=f"c{i}", prompt=None, named=False
        )
        for i in range(4)
    ]
    live = live_services.live_next_phase(live=live, user=supervisor)  # group: revealed
    assert live.revealed
    with pytest.raises(LiveError):
        live_services.live_vote(live=live, user=member, card=cards[0])
    live = live_services.live_next_phase(live=live, user=supervisor)
    for card in cards[:3]:
        live_services.live_vote(live=live, user=member, card=card)
    with pytest.raises(LiveError):
        live_services.live_vote(live=live, user=member, card=cards[3])
    live_services.live_vote_withdraw(live=live, user=member, card=cards[0])
    live_services.live_vote(live=live, user=member, card=cards[3])
    assert LiveVote.objects.filter(user=member).count() == 3


# The page and the poll


def test_team_members_only_see_the_live_session(client, live, other_member, member):
    client.force_login(other_member)
    assert poll(client, live.session, 0).status_code == 404
    client.force_login(member)
    assert poll(client, live.session, 0).status_code == 200


def test_poll_answers_204_while_current_and_the_new_version_after_a_change(
    client, live, member, supervisor
):
    client.force_login(member)
    assert poll(client, live.session, live.version).status_code == 204
    live = live_services.live_next_phase(live=live, user=supervisor)
    response = poll(client, live.session, live.version - 1)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"v={live.version}" in html
    assert "Reflect" in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_poll_before_start_then_after(client, past_session, member, supervisor):
    client.force_login(member)
    assert poll(client, past_session, 0).status_code == 204
    live_services.live_start(session=past_session, user=supervisor)
    assert "Check-in" in poll(client, past_session, 0).content.decode()


def test_cards_are_hidden_until_the_reveal_and_anonymous_ones_show_no_author(
    client, live, supervisor, member, mary
):
    live = to_phase(live, supervisor, Phase.REFLECT)
    live_services.live_card_write(
        live=live, user=member, body="Secret worry", prompt=None, named=False
    )
    live_services.live_card_write(live=live, user=mary, body="Open idea", prompt=None, named=True)
    client.force_login(supervisor)
    before = poll(client, live.session, 0).content.decode()
    assert "Secret worry" not in before and "Open idea" not in before
    live = live_services.live_reveal(live=live, user=supervisor)
    client.force_login(mary)
    html = poll(client, live.session, live.version - 1).content.decode()
    assert "Secret worry" in html and "Open idea" in html
    worry = html[html.index("Secret worry") : html.index("</li>", html.index("Secret worry"))]
    assert "Mia" not in worry and "mia" not in worry and "Anonymous" in worry
    assert "Mary" in html


def test_discussion_orders_cards_by_votes(live, supervisor, member, mary, client):
    live = to_phase(live, supervisor, Phase.REFLECT)
    low = live_services.live_card_write(
        live=live, user=member, body="Low", prompt=None, named=False
    )
    high = live_services.live_card_write(
        live=live, user=mary, body="High", prompt=None, named=False
    )
    live = to_phase(live, supervisor, Phase.VOTE)
    live_services.live_vote(live=live, user=member, card=high)
    live_services.live_vote(live=live, user=mary, card=high)
    live_services.live_vote(live=live, user=mary, card=low)
    live = to_phase(live, supervisor, Phase.DISCUSS)
    client.force_login(member)
    html = poll(client, live.session, 0).content.decode()
    assert html.index("High") < html.index("Low")
    assert "2 votes" in html


def test_poll_query_count_does_not_grow_with_cards_and_votes(
    client, live, supervisor, member, mary, django_assert_max_num_queries
):
    live = to_phase(live, supervisor, Phase.REFLECT)
    client.force_login(member)
    live = to_phase(live, supervisor, Phase.VOTE)
    with django_assert_max_num_queries(20) as few:
        poll(client, live.session, 0)
    groups = [LiveGroup.objects.create(live=live, name=f"group {i}") for i in range(3)]
    for i in range(12):
        LiveCard.objects.create(
            live=live,
            body=f"card {i}",
            author=mary if i % 2 else None,
            group=groups[i % 4] if i % 4 < 3 else None,
        )
    for card in LiveCard.objects.filter(group=None)[:2]:
        LiveVote.objects.create(card=card, user=member)
    LiveVote.objects.create(group=groups[0], user=member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        poll(client, live.session, 0)


def test_facilitator_controls_work_without_javascript(client, past_session, supervisor, member):
    client.force_login(supervisor)
    response = client.post(reverse("reflections:live_start", args=[past_session.pk]))
    assert response.status_code == 302
    page = client.get(reverse("reflections:session", args=[past_session.pk])).content.decode()
    assert "Next phase" in page and "Check-in" in page
    client.post(reverse("reflections:live_next", args=[past_session.pk]))
    client.post(reverse("reflections:live_extend", args=[past_session.pk]), {"minutes": 4})
    client.post(reverse("reflections:live_hand_over", args=[past_session.pk]), {"to": member.pk})
    live = LiveSession.objects.get(session=past_session)
    assert (live.phase, live.facilitator) == (Phase.REFLECT, member)
    assert client.post(reverse("reflections:live_next", args=[past_session.pk])).status_code == 403
    client.force_login(member)
    client.post(
        reverse("reflections:live_card", args=[past_session.pk]),
        {"body": "Written without JS", "prompt": ""},
    )
    assert LiveCard.objects.get().author_id is None
    page = client.get(reverse("reflections:session", args=[past_session.pk])).content.decode()
    assert "Next phase" in page and "Written without JS" not in page


def test_the_live_part_speaks_finnish(client, live, supervisor):
    supervisor.language = "fi"
    supervisor.save(update_fields=["language"])
    client.force_login(supervisor)
    html = poll(client, live.session, 0).content.decode()
    assert "Seuraava vaihe" in html and "Virittäytyminen" in html


def test_revealed_cards_follow_their_random_ids_not_the_writing_order(
    client, live, supervisor, member
):
    live = to_phase(live, supervisor, Phase.REFLECT)
    written = [
        live_services.live_card_write(
            live=live, user=member, body=f"card {i:02}", prompt=None, named=False
        )
        for i in range(12)
    ]
    live = live_services.live_reveal(live=live, user=supervisor)
    client.force_login(member)
    html = poll(client, live.session, 0).content.decode()
    shown = sorted(written, key=lambda card: html.index(card.body))
    assert shown == sorted(written, key=lambda card: str(card.pk))
    # Nothing in the card rows says who wrote them or when.
    assert {card.author_id for card in LiveCard.objects.all()} == {None}
    assert not [
        f for f in LiveCard._meta.concrete_fields if f.get_internal_type() == "DateTimeField"
    ]


def test_a_supervisor_takes_over_when_the_facilitator_has_left(live, supervisor, member, acme):
    live = live_services.live_hand_over(live=live, user=supervisor, to=member)
    member.delete()
    live.refresh_from_db()
    assert live.facilitator is None
    live = live_services.live_start(session=live.session, user=supervisor)
    assert live.facilitator == supervisor
    assert live_services.live_next_phase(live=live, user=supervisor).phase == Phase.REFLECT


# The vote budget


def test_the_facilitator_sets_the_votes_per_person_before_the_vote(
    past_session, supervisor, member
):
    live = live_services.live_start(session=past_session, user=supervisor, vote_budget=5)
    assert live.vote_budget == 5
    with pytest.raises(LiveError):
        live_services.live_set_vote_budget(live=live, user=supervisor, budget=11)
    with pytest.raises(LiveError):
        live_services.live_set_vote_budget(live=live, user=supervisor, budget=0)
    with pytest.raises(PermissionDenied):
        live_services.live_set_vote_budget(live=live, user=member, budget=2)
    version = live.version
    live = to_phase(live, supervisor, Phase.GROUP)
    live = live_services.live_set_vote_budget(live=live, user=supervisor, budget=1)
    assert (live.vote_budget, live.version) == (1, version + 3)
    live = live_services.live_next_phase(live=live, user=supervisor)
    with pytest.raises(LiveError):
        live_services.live_set_vote_budget(live=live, user=supervisor, budget=4)
    with pytest.raises(LiveError):
        live_services.live_start(session=past_session, user=supervisor, vote_budget=20)


def test_one_vote_each_when_the_facilitator_says_so(live, supervisor, member):
    live = to_phase(live, supervisor, Phase.REFLECT)
    cards = [
        live_services.live_card_write(
            live=live, user=member, body=f"c{i}", prompt=None, named=False
        )
        for i in range(2)
    ]
    live = live_services.live_set_vote_budget(live=live, user=supervisor, budget=1)
    live = to_phase(live, supervisor, Phase.VOTE)
    live_services.live_vote(live=live, user=member, card=cards[0])
    with pytest.raises(LiveError, match="used all your votes"):
        live_services.live_vote(live=live, user=member, card=cards[1])


def test_the_vote_budget_is_set_without_javascript_with_a_clear_error(
    client, past_session, supervisor, member
):
    client.force_login(supervisor)
    url = reverse("reflections:live_start", args=[past_session.pk])
    page = client.post(url, {"votes": "eleven"}, follow=True).content.decode()
    assert "Votes per person: give a whole number from 1 to 10." in page
    assert not LiveSession.objects.exists()
    client.post(url, {"votes": "4"})
    assert LiveSession.objects.get().vote_budget == 4
    budget = reverse("reflections:live_vote_budget", args=[past_session.pk])
    page = client.post(budget, {"votes": "0"}, follow=True).content.decode()
    assert "Votes per person: give a whole number from 1 to 10." in page
    assert "In the vote phase everyone has 4 votes." in page
    client.post(budget, {"votes": "2"})
    assert LiveSession.objects.get().vote_budget == 2
    client.force_login(member)
    assert client.post(budget, {"votes": "9"}).status_code == 403
    page = client.get(reverse("reflections:session", args=[past_session.pk])).content.decode()
    assert "In the vote phase everyone has 2 votes." in page
    assert "Set the votes" not in page


# "Was it safe to speak today?"


def add_people(acme, team, count):
    people = []
    for i in range(count):
        person = make_user(acme, f"person{i}")
        team_services.membership_set(team=team, user=person, role=Membership.Role.MEMBER)
        people.append(person)
    return people


def safety_answer(client, session, answer):
    url = reverse("reflections:live_safety", args=[session.pk])
    return client.post(url, {"answer": answer}, follow=True).content.decode()


def test_safety_is_asked_in_the_close_once_and_kept_apart_from_who_answered(
    live, supervisor, member
):
    with pytest.raises(LiveError):
        live_services.live_safety_answer(live=live, user=member, answer="yes")
    live = to_phase(live, supervisor, Phase.CLOSE)
    version = live.version
    live_services.live_safety_answer(live=live, user=member, answer="partly")
    with pytest.raises(LiveError):
        live_services.live_safety_answer(live=live, user=member, answer="yes")
    with pytest.raises(LiveError):
        live_services.live_safety_answer(live=live, user=supervisor, answer="maybe")
    live.refresh_from_db()
    assert live.version == version  # the poll does not tell when anyone answered
    value = LiveSafetyValue.objects.get()
    assert value.value == "partly"
    assert not [
        f.name
        for f in LiveSafetyValue._meta.concrete_fields
        if f.get_internal_type() == "DateTimeField" or f.is_relation and f.name != "live"
    ]
    assert not [
        f.name
        for f in LiveSafetyAnswered._meta.concrete_fields
        if f.get_internal_type() in ("DateTimeField", "CharField")
    ]


def test_safety_answers_show_only_once_a_full_group_has_answered(
    client, live, supervisor, member, acme, team_a
):
    team_a.organization.min_group_size = 6
    team_a.organization.save(update_fields=["min_group_size"])
    people = add_people(acme, team_a, 7)
    live = to_phase(live, supervisor, Phase.CLOSE)
    client.force_login(member)
    html = safety_answer(client, live.session, "no")
    assert "Thank you. Your answer is stored without your name." in html
    assert "You have answered. Thank you." in html
    assert "once 6 people have answered" in html
    for person in people[:4]:
        client.force_login(person)
        html = safety_answer(client, live.session, "yes")
    assert "Answers from" not in html  # five answers: below the organisation's group of six
    client.force_login(people[4])
    html = safety_answer(client, live.session, "partly")
    assert "Answers from 6 people:" in html
    assert "Yes: 4" in html and "Partly: 1" in html and "No: 1" in html
    client.force_login(people[5])
    html = safety_answer(client, live.session, "no")
    assert "No: 1" in html  # the seventh answer does not move the figures
    client.force_login(people[6])
    page = client.get(reverse("reflections:session", args=[live.session.pk])).content.decode()
    assert "Was it safe to speak today?" in page and 'name="answer"' in page
    assert "Yes: 4" in page


def test_safety_answers_use_the_pulse_minimum_of_five(live, supervisor, member, acme, team_a):
    people = add_people(acme, team_a, 4)
    live = to_phase(live, supervisor, Phase.CLOSE)
    for person in [member, *people[:3]]:
        live_services.live_safety_answer(live=live, user=person, answer="yes")
    live.refresh_from_db()
    assert live.safety_release is None
    live_services.live_safety_answer(live=live, user=people[3], answer="no")
    live.refresh_from_db()
    assert live.safety_release == {"answered": 5, "counts": {"yes": 4, "no": 1}}


def test_safety_question_speaks_finnish_and_swedish(client, live, supervisor):
    live = to_phase(live, supervisor, Phase.CLOSE)
    client.force_login(supervisor)
    for language, text in (
        ("fi", "Oliko tänään turvallista puhua?"),
        ("sv-fi", "Var det tryggt att tala i dag?"),
    ):
        supervisor.language = language
        supervisor.save(update_fields=["language"])
        html = client.get(reverse("reflections:session", args=[live.session.pk])).content.decode()
        assert text in html


# Grouping, and dots on groups


def written(live, supervisor, member, bodies):
    live = to_phase(live, supervisor, Phase.REFLECT)
    cards = [
        live_services.live_card_write(live=live, user=member, body=body, prompt=None, named=False)
        for body in bodies
    ]
    return to_phase(live, supervisor, Phase.GROUP), cards


def test_the_facilitator_groups_cards_in_the_group_phase_only(live, supervisor, member):
    with pytest.raises(LiveError):
        live_services.live_group_create(live=live, user=supervisor, name="Too early")
    live, (a, b, c) = written(live, supervisor, member, ["Rota", "Shifts", "Coffee"])
    with pytest.raises(PermissionDenied):
        live_services.live_group_create(live=live, user=member, name="Mine")
    version = live.version
    group = live_services.live_group_create(live=live, user=supervisor, name="Planning")
    live_services.live_card_move(live=live, user=supervisor, card=a, group=group)
    live_services.live_card_move(live=live, user=supervisor, card=b, group=group)
    live_services.live_card_move(live=live, user=supervisor, card=b, group=None)
    live_services.live_group_rename(live=live, user=supervisor, group=group, name="Rota")
    live.refresh_from_db()
    assert live.version == version + 5  # everyone sees each change
    group.refresh_from_db()
    assert group.name == "Rota"
    assert list(group.cards.all()) == [a]
    live = live_services.live_next_phase(live=live, user=supervisor)
    with pytest.raises(LiveError):
        live_services.live_card_move(live=live, user=supervisor, card=c, group=group)


def test_a_dot_goes_to_a_group_or_a_card_in_no_group(live, supervisor, member, mary):
    live, (a, b, c) = written(live, supervisor, member, ["Rota", "Shifts", "Coffee"])
    group = live_services.live_group_create(live=live, user=supervisor, name="Planning")
    empty = live_services.live_group_create(live=live, user=supervisor, name="Empty")
    for card in (a, b):
        live_services.live_card_move(live=live, user=supervisor, card=card, group=group)
    live = live_services.live_set_vote_budget(live=live, user=supervisor, budget=2)
    live = live_services.live_next_phase(live=live, user=supervisor)
    a.refresh_from_db()
    with pytest.raises(LiveError, match="vote for the group"):
        live_services.live_vote(live=live, user=member, card=a)
    with pytest.raises(LiveError):
        live_services.live_vote(live=live, user=member, group=empty)
    live_services.live_vote(live=live, user=member, group=group)
    with pytest.raises(LiveError, match="already voted"):
        live_services.live_vote(live=live, user=member, group=group)
    live_services.live_vote(live=live, user=member, card=c)
    live_services.live_vote(live=live, user=mary, group=group)  # mary's own budget
    with pytest.raises(LiveError, match="used all your votes"):
        live_services.live_vote(live=live, user=member, group=group)
    live_services.live_vote_withdraw(live=live, user=member, group=group)
    assert LiveVote.objects.filter(user=member).count() == 1


def test_groups_show_to_everyone_and_the_discussion_orders_topics_by_votes(
    client, live, supervisor, member, mary
):
    live, (a, b, c) = written(live, supervisor, member, ["Rota", "Shifts", "Coffee"])
    group = live_services.live_group_create(live=live, user=supervisor, name="Planning")
    for card in (a, b):
        live_services.live_card_move(live=live, user=supervisor, card=card, group=group)
    client.force_login(mary)
    html = poll(client, live.session, 0).content.decode()
    planning = html[html.index("Planning") : html.index("</li>", html.index("Planning"))]
    assert "Rota" in planning and "Shifts" in planning and "Coffee" not in planning
    assert planning.count("Anonymous") == 2 and "Mia" not in planning  # grouping names no writer
    assert "Move the card" not in html and "Make the group" not in html
    live = live_services.live_next_phase(live=live, user=supervisor)
    html = poll(client, live.session, 0).content.decode()
    assert "Vote for this group" in html and "A card in a group is voted on with its group." in html
    # Each vote button is described by its topic, for a screen reader going button to button.
    for topic in (group, c):
        assert f'id="topic-{topic.pk}"' in html and f'aria-describedby="topic-{topic.pk}"' in html
    live_services.live_vote(live=live, user=mary, card=c)
    live_services.live_vote(live=live, user=member, card=c)
    live_services.live_vote(live=live, user=member, group=group)
    live = live_services.live_next_phase(live=live, user=supervisor)
    html = poll(client, live.session, 0).content.decode()
    assert html.index("Coffee") < html.index("Planning")
    assert "Mia" not in html and "Mary" not in html  # dots are counted, never named
    assert "2 votes" in html and "1 vote<" in html


def test_grouping_works_without_javascript(client, live, supervisor, member):
    live, (a, b) = written(live, supervisor, member, ["Rota", "Shifts"])
    client.force_login(supervisor)
    session = live.session
    page = client.get(reverse("reflections:session", args=[session.pk])).content.decode()
    assert "New group" in page and "Move the card" not in page  # no group to move to yet
    create = reverse("reflections:live_group_create", args=[session.pk])
    page = client.post(create, {"name": "  "}, follow=True).content.decode()
    assert "Name the group (at most 80 characters)." in page
    client.post(create, {"name": "Planning"})
    group = live.groups.get()
    page = client.get(reverse("reflections:session", args=[session.pk])).content.decode()
    assert "Move the card" in page and f'for="move-{a.pk}"' in page
    move = reverse("reflections:live_card_move", args=[session.pk, a.pk])
    client.post(move, {"group": str(group.pk)})
    assert client.post(move, {"group": "not-a-group"}).status_code == 404
    client.post(
        reverse("reflections:live_group_rename", args=[session.pk, group.pk]), {"name": "Rota"}
    )
    a.refresh_from_db()
    group.refresh_from_db()
    assert (a.group, group.name) == (group, "Rota")
    client.post(reverse("reflections:live_next", args=[session.pk]))
    client.force_login(member)
    vote = reverse("reflections:live_group_vote", args=[session.pk, group.pk])
    client.post(vote)
    assert LiveVote.objects.get().group == group
    client.post(vote, {"withdraw": "1"})
    assert not LiveVote.objects.exists()


# The discussion: a timer per topic and a next step


def discussing(live, supervisor, member):
    live, (a, b, c) = written(live, supervisor, member, ["Rota", "Shifts", "Coffee"])
    group = live_services.live_group_create(live=live, user=supervisor, name="Planning")
    for card in (a, b):
        live_services.live_card_move(live=live, user=supervisor, card=card, group=group)
    c.refresh_from_db()
    return to_phase(live, supervisor, Phase.DISCUSS), group, c


def test_the_facilitator_starts_a_timer_per_topic_held_on_the_server(
    client, live, supervisor, member
):
    live, group, card = discussing(live, supervisor, member)
    with pytest.raises(PermissionDenied):
        live_services.live_topic_start(live=live, user=member, group=group)
    with pytest.raises(LiveError):
        live_services.live_topic_start(live=live, user=supervisor, group=group, minutes=16)
    live = live_services.live_topic_start(live=live, user=supervisor, group=group, minutes=4)
    assert live.topic_group == group and live.topic_card is None
    assert timezone.now() + timedelta(minutes=3) < live.topic_ends_at
    assert live.topic_ends_at <= timezone.now() + timedelta(minutes=4)
    client.force_login(member)
    html = poll(client, live.session, 0).content.decode()
    planning = html[html.index("Planning") : html.index("</li>", html.index("Planning"))]
    assert "Discussing now" in planning and 'role="timer" data-seconds-left="2' in planning
    live = live_services.live_topic_start(live=live, user=supervisor, card=card, minutes=2)
    assert (live.topic_card, live.topic_group) == (card, None)
    html = poll(client, live.session, 0).content.decode()
    coffee = html[html.index("Coffee") : html.index("</li>", html.index("Coffee"))]
    assert "Discussing now" in coffee and "Discussing now" not in html.replace(coffee, "")


def test_a_next_step_becomes_a_team_goal_or_a_thought_once(live, supervisor, member, team_a):
    live, group, card = discussing(live, supervisor, member)
    with pytest.raises(LiveError, match="Write the next step first"):
        live_services.live_next_step_make(live=live, user=supervisor, group=group, into="goal")
    with pytest.raises(PermissionDenied):
        live_services.live_next_step_save(live=live, user=member, group=group, text="Plan")
    version = live.version
    live_services.live_next_step_save(
        live=live, user=supervisor, group=group, text="Agree the rota a week ahead"
    )
    live_services.live_next_step_save(live=live, user=supervisor, card=card, text="Buy a kettle")
    goal = live_services.live_next_step_make(live=live, user=supervisor, group=group, into="goal")
    thought = live_services.live_next_step_make(
        live=live, user=supervisor, card=card, into="thought"
    )
    live.refresh_from_db()
    assert live.version == version + 4
    assert (goal.team, goal.title, goal.status) == (team_a, "Agree the rota a week ahead", "active")
    assert "Kick-off" in goal.why
    assert (thought.team, thought.body, thought.session) == (team_a, "Buy a kettle", live.session)
    assert thought.author == supervisor  # the facilitator's, never a card's writer
    group.refresh_from_db()
    assert group.next_step_made == "goal"
    with pytest.raises(LiveError, match="already been taken forward"):
        live_services.live_next_step_make(live=live, user=supervisor, group=group, into="thought")
    with pytest.raises(LiveError, match="already been taken forward"):
        live_services.live_next_step_save(live=live, user=supervisor, group=group, text="Other")


def test_a_member_facilitating_proposes_the_goal(live, supervisor, member):
    live, group, _card = discussing(live, supervisor, member)
    live = live_services.live_hand_over(live=live, user=supervisor, to=member)
    live_services.live_next_step_save(live=live, user=member, group=group, text="Pair on rotas")
    goal = live_services.live_next_step_make(live=live, user=member, group=group, into="goal")
    assert goal.status == "proposed"


def test_the_discussion_works_without_javascript_and_reaches_the_team_feed(
    client, live, supervisor, member, team_a
):
    live, group, card = discussing(live, supervisor, member)
    session = live.session
    client.force_login(member)
    feed_url = reverse("reflections:team_feed", args=[team_a.pk])
    assert "Buy a kettle" not in client.get(feed_url).content.decode()  # now in the cache
    client.force_login(supervisor)
    page = client.get(reverse("reflections:session", args=[session.pk])).content.decode()
    assert "Discuss this now" in page and f'for="next-step-{group.pk}"' in page
    timer = reverse("reflections:live_topic_timer", args=[session.pk, group.pk])
    page = client.post(timer, {"minutes": "99"}, follow=True).content.decode()
    assert "Give the topic 1 to 15 minutes." in page
    client.post(timer, {"minutes": "3"})
    step = reverse("reflections:live_next_step", args=[session.pk, card.pk])
    client.post(step, {"next_step": "Buy a kettle"})
    make = reverse("reflections:live_next_step_make", args=[session.pk, card.pk])
    page = client.post(make, {"into": "thought"}, follow=True).content.decode()
    assert "The next step is now a thought in the team feed." in page
    assert "now a thought in the team feed" in page and "Restart the timer" in page
    client.force_login(member)
    assert (
        "Buy a kettle" in client.get(feed_url).content.decode()
    )  # the feed's cache scope was named by thought_post
    page = client.get(reverse("reflections:session", args=[session.pk])).content.decode()
    assert "Next step:" in page and "Buy a kettle" in page and "Save the next step" not in page
    assert client.post(step, {"next_step": "x"}).status_code == 403


def test_the_hand_over_says_so_when_there_is_nobody_to_hand_over_to(
    client, live, supervisor, member
):
    client.force_login(supervisor)
    html = poll(client, live.session, 0).content.decode()
    assert "Hand over to" in html and "nobody to hand facilitation over to" not in html
    Membership.objects.filter(user=member).delete()
    html = poll(client, live.session, 0).content.decode()
    assert "Hand over to" not in html and 'name="to"' not in html
    assert (
        "Nobody else is in the team yet, so there is nobody to hand facilitation over to." in html
    )
    supervisor.language = "fi"
    supervisor.save(update_fields=["language"])
    html = poll(client, live.session, 0).content.decode()
    assert "Tiimissä ei ole vielä muita" in html


def test_the_unchanged_poll_stays_at_two_queries_through_every_phase(
    client, live, supervisor, member, django_assert_max_num_queries
):
    """The 204 answer reads the person and the session with its live state, nothing more,
    whatever groups, dots, topic timers or safety answers there are."""
    live, group, card = discussing(live, supervisor, member)
    live = live_services.live_topic_start(live=live, user=supervisor, group=group)
    live_services.live_next_step_save(live=live, user=supervisor, card=card, text="Try")
    client.force_login(member)
    for phase in (Phase.DISCUSS, Phase.CLOSE):
        live = to_phase(live, supervisor, phase)
        if phase == Phase.CLOSE:
            live_services.live_safety_answer(live=live, user=member, answer="yes")
        live.refresh_from_db()
        session = live.session
        with django_assert_max_num_queries(2):
            assert poll(client, session, live.version).status_code == 204
