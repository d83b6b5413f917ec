"""Direction data for the teams tests, built through the services like real data."""

import pytest

from teams import direction_services


@pytest.fixture
def theme(acme):
    return direction_services.theme_create(organization=acme, title="Customer first", order=1)


@pytest.fixture
def team_goal(team_a, supervisor, theme):
    return direction_services.team_goal_create(
        team=team_a,
        author=supervisor,
        title="Calm customer calls",
        why="Hard calls are a third of our week.",
        themes=[theme],
    )


@pytest.fixture
def make_goal(team_goal):
    """A personal goal of `owner`, linked to team A's goal unless told otherwise."""

    def make(owner, visibility, *, title="Listen before answering", linked=True, **extra):
        return direction_services.personal_goal_create(
            owner=owner,
            title=title,
            reason="I freeze when a customer is angry.",
            challenge=2,
            visibility=visibility,
            team_goal=team_goal if linked else None,
            **extra,
        )

    return make
