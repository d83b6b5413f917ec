"""Coaching hints come and go with the team's own data, on the direction view and on rhythm
health, and never count what a person kept to themselves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services as reflections
from teams import direction_services, services
from teams.models import Membership
from tests.conftest import make_user
from tests.support.rhythm import session_at

AUTONOMY = "Nobody has yet shared a personal goal with their own reason on"
COMPETENCE = "stayed low over"
RELATEDNESS = "gathered fewer than half of the team"


@pytest.fixture(params=["direction", "health"])
def hints_page(request, client, team_a, supervisor):
    """The text of a supervisor's page with hints: the direction view or rhythm health."""
    url = (
        reverse("reflections:team_direction", args=[team_a.pk])
        if request.param == "direction"
        else reverse("reflections:health")
    )
    client.force_login(supervisor)

    def read() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return read


@pytest.fixture
def goal(team_a, supervisor):
    return direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Calm calls", why="Our work", themes=[]
    )


def personal(owner, goal, visibility="supervisor"):
    return direction_services.personal_goal_create(
        owner=owner,
        title="Listen first",
        reason="Mine",
        challenge=2,
        visibility=visibility,
        team_goal=goal,
    )


def checkins(goal, *values):
    today = timezone.localdate()
    for days, value in enumerate(reversed(values)):
        direction_services.checkin_create(
            goal=goal, day=today - datetime.timedelta(days=7 * days), progress=value
        )


def test_no_team_goal_gives_a_hint_to_add_one(hints_page, team_a):
    body = hints_page()
    assert "The team has no active learning goal yet" in body
    assert reverse("teams:team_goal_create", args=[team_a.pk]) in body


def test_autonomy_hint_until_someone_shares_a_goal_with_their_own_reason(hints_page, goal, member):
    body = hints_page()
    assert AUTONOMY in body and "“Calm calls”" in body
    assert f"#goal-{goal.pk}" in body
    personal(member, goal, visibility="private")
    assert AUTONOMY in hints_page()  # a private goal is not counted: nobody shared one
    personal(member, goal, visibility="supervisor")
    assert AUTONOMY not in hints_page()


def test_competence_hint_when_shared_check_ins_stay_low_and_gone_when_they_rise(
    hints_page, goal, member
):
    mine = personal(member, goal)
    checkins(mine, 2, 2)
    body = hints_page()
    assert f"1 shared personal goal has {COMPETENCE} its recent check-ins" in body
    assert "Mia" not in body.split("Coaching hints")[1].split("</ul>")[0]  # never named
    checkins(mine, 4)
    assert COMPETENCE not in hints_page()


def test_private_goals_stuck_low_give_no_hint(hints_page, goal, member):
    checkins(personal(member, goal, visibility="private"), 1, 1, 1)
    assert COMPETENCE not in hints_page()


def test_relatedness_hint_when_a_held_session_gathered_under_half(
    hints_page, acme, team_a, member, goal
):
    for index in range(3):
        person = make_user(acme, f"p{index}")
        services.membership_set(team=team_a, user=person, role=Membership.Role.MEMBER)
    session = session_at(team_a, days=-3, status="held", attendees=[member])
    session_at(team_a, days=7)
    body = hints_page()
    assert RELATEDNESS in body
    assert reverse("reflections:team_sessions", args=[team_a.pk]) in body
    reflections.session_hold(session=session, attendees=list(team_a.members.all()))
    assert RELATEDNESS not in hints_page()


def test_member_sees_no_data_hints_on_the_direction_view(client, team_a, member, goal):
    client.force_login(member)
    body = client.get(reverse("reflections:team_direction", args=[team_a.pk])).content.decode()
    assert AUTONOMY not in body and "Coaching hints" not in body
