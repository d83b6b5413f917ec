"""Thoughts linked to team learning goals: posted from the feed, seen in the direction view
and on "my learning", counted in the HR report by theme."""

import pytest
from django.urls import reverse

from reflections import services as reflections
from reflections.models import Thought
from teams import direction_services


@pytest.fixture
def goal(acme, team_a, supervisor):
    theme = direction_services.theme_create(organization=acme, title="Customers")
    return direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Calm calls", why="Our work", themes=[theme]
    )


def test_member_links_a_thought_to_a_team_goal_from_the_feed(client, member, team_a, goal):
    client.force_login(member)
    response = client.post(
        reverse("reflections:thought_post", args=[team_a.pk]),
        {"kind": "tried", "body": "Summarised before answering", "team_goal": goal.pk},
        follow=True,
    )
    thought = Thought.objects.get(body="Summarised before answering")
    assert thought.team_goal == goal
    assert "Goal: Calm calls" in response.content.decode()


def test_a_goal_of_another_team_cannot_be_linked(client, member, team_a, team_b, other_member):
    other = direction_services.team_goal_create(
        team=team_b, author=other_member, title="Other", why="x", themes=[]
    )
    client.force_login(member)
    response = client.post(
        reverse("reflections:thought_post", args=[team_a.pk]),
        {"kind": "tried", "body": "Hmm", "team_goal": other.pk},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Thought.objects.exists()


def test_direction_view_shows_recent_thoughts_of_each_goal(client, supervisor, member, goal):
    reflections.thought_post(
        author=member, team=goal.team, kind="insight", body="Pausing helps", team_goal=goal
    )
    client.force_login(supervisor)
    body = client.get(reverse("reflections:team_direction", args=[goal.team_id])).content.decode()
    assert "Recent thoughts on this goal" in body and "Pausing helps" in body


def test_my_learning_shows_my_thoughts_on_my_goals_team_goal(client, member, goal):
    direction_services.personal_goal_create(
        owner=member,
        title="Listen first",
        reason="Mine",
        challenge=2,
        visibility="private",
        team_goal=goal,
    )
    reflections.thought_post(
        author=member, team=goal.team, kind="insight", body="Pausing helps", team_goal=goal
    )
    client.force_login(member)
    body = client.get(reverse("reflections:my_learning")).content.decode()
    assert "Pausing helps" in body
