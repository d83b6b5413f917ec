"""The direction view's windowed reads (reflections/recent_rows.py): on PostgreSQL they are
said in SQL, and they return what the ORM's form, the one every database can run, returns:
the newest rows of each goal up to the limit, newest first, replies and other goals' rows
left out, a former member's thought without a name."""

import datetime

import pytest
from django.utils import timezone

from privacy import services as privacy_services
from reflections import recent_rows
from reflections import services as reflections
from teams import direction_services
from teams import services as team_services
from teams.models import Membership, PersonalGoal
from tests.conftest import make_user


@pytest.fixture
def goals(acme, team_a, team_b, supervisor, member, other_member):
    ours = [
        direction_services.team_goal_create(
            team=team_a, author=supervisor, title=title, why="Work", themes=[]
        )
        for title in ("Calm calls", "Clear notes", "Nothing yet")
    ]
    theirs = direction_services.team_goal_create(
        team=team_b, author=other_member, title="Theirs", why="Work", themes=[]
    )
    gone = make_user(acme, "gus")
    team_services.membership_set(team=team_a, user=gone, role=Membership.Role.MEMBER)
    personal = []
    for owner, team_goal in ((member, ours[0]), (supervisor, ours[1]), (other_member, theirs)):
        goal = direction_services.personal_goal_create(
            owner=owner,
            title="Mine",
            reason="Because",
            challenge=2,
            visibility=PersonalGoal.Visibility.TEAM,
            team_goal=team_goal,
        )
        personal.append(goal)
        for days in range(5):
            direction_services.checkin_create(
                goal=goal,
                day=timezone.localdate() - datetime.timedelta(days=days * 2),
                progress=days % 5 + 1,
                note=f"Day {days}",
            )
    for number in range(5):
        for author, team, team_goal in (
            (member, team_a, ours[0]),
            (gone, team_a, ours[1]),
            (other_member, team_b, theirs),
        ):
            thought = reflections.thought_post(
                author=author, team=team, kind="tried", body=f"{number}", team_goal=team_goal
            )
            # Built on by someone else, so a leaver's thought stays.
            replier = other_member if team == team_b else supervisor
            reflections.thought_reply(author=replier, parent=thought, body=f"Reply {number}")
    privacy_services.account_deletion_execute(user=gone)
    return {"team": ours, "personal": personal}


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_recent_checkins_said_in_sql_are_the_orms(goals, limit):
    ids = [goal.pk for goal in goals["personal"][:2]]
    rows = recent_rows.recent_checkins(ids, limit)
    assert rows == recent_rows.recent_checkins_orm(ids, limit)
    assert len(rows) == 2 * min(limit, 5)
    assert {row[0] for row in rows} == set(ids)
    days = [row[1] for row in rows]
    assert days == sorted(days, reverse=True)


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_recent_thoughts_said_in_sql_are_the_orms(goals, limit):
    ids = [goal.pk for goal in goals["team"]]
    rows = recent_rows.recent_thoughts(ids, limit)
    assert rows == recent_rows.recent_thoughts_orm(ids, limit)
    assert len(rows) == 2 * min(limit, 5)
    assert not any(row[3].startswith("Reply") for row in rows)
    assert {row[4] is None for row in rows} == {True, False}  # the former member's
    assert [row[3] for row in rows if row[0] == ids[0]] == ["4", "3", "2", "1", "0"][:limit]


def test_no_goals_read_no_rows(db):
    assert recent_rows.recent_checkins([], 3) == recent_rows.recent_checkins_orm([], 3) == []
    assert recent_rows.recent_thoughts([], 3) == recent_rows.recent_thoughts_orm([], 3) == []
