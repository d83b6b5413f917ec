"""Direction pages run a fixed number of queries, whatever the number of goals, people or
check-ins."""

import datetime

from django.urls import reverse
from django.utils import timezone

from teams import direction_services, services
from teams.models import Membership
from tests.conftest import make_user


def grow(acme, team, supervisor, owner, *, start: int, size: int):
    """Adds `size` themes, team goals and people, each person with shared goals and check-ins."""
    today = timezone.localdate()
    for index in range(start, start + size):
        theme = direction_services.theme_create(organization=acme, title=f"Theme {index}")
        team_goal = direction_services.team_goal_create(
            team=team, author=supervisor, title=f"Team goal {index}", why="w", themes=[theme]
        )
        person = make_user(acme, f"person{index}")
        services.membership_set(team=team, user=person, role=Membership.Role.MEMBER)
        for owner_ in (person, owner):
            for visibility, linked in [("team", team_goal), ("supervisor", None)]:
                goal = direction_services.personal_goal_create(
                    owner=owner_,
                    title=f"Goal {index}",
                    reason="r",
                    challenge=1,
                    visibility=visibility,
                    team_goal=linked,
                )
                for days in range(4):
                    direction_services.checkin_create(
                        goal=goal, day=today - datetime.timedelta(days=days), progress=3
                    )


def count_queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(15) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_direction_view_query_count_does_not_grow(
    client, acme, team_a, supervisor, member, django_assert_max_num_queries
):
    url = reverse("teams:direction", args=[team_a.pk])
    client.force_login(supervisor)
    grow(acme, team_a, supervisor, member, start=0, size=1)
    small = count_queries(client, url, django_assert_max_num_queries)
    grow(acme, team_a, supervisor, member, start=1, size=6)
    large = count_queries(client, url, django_assert_max_num_queries)
    assert large == small
    # The large page really lists what was added, so the equal count means something.
    body = client.get(url).content.decode()
    assert "Team goal 6" in body
    assert "Person6" in body


def test_my_learning_query_count_does_not_grow(
    client, acme, team_a, supervisor, member, django_assert_max_num_queries
):
    url = reverse("teams:my_learning")
    client.force_login(member)
    grow(acme, team_a, supervisor, member, start=0, size=1)
    small = count_queries(client, url, django_assert_max_num_queries)
    grow(acme, team_a, supervisor, member, start=1, size=6)
    large = count_queries(client, url, django_assert_max_num_queries)
    assert large == small
    assert client.get(url).content.decode().count("<article") == 14


def test_theme_list_query_count_does_not_grow(
    client, acme, team_a, supervisor, member, hr, django_assert_max_num_queries
):
    url = reverse("teams:themes")
    client.force_login(hr)
    grow(acme, team_a, supervisor, member, start=0, size=1)
    small = count_queries(client, url, django_assert_max_num_queries)
    grow(acme, team_a, supervisor, member, start=1, size=6)
    assert count_queries(client, url, django_assert_max_num_queries) == small


def test_goal_page_query_count_does_not_grow_with_check_ins(
    client, acme, team_a, supervisor, member, django_assert_max_num_queries
):
    goal = direction_services.personal_goal_create(
        owner=member, title="G", reason="r", challenge=1, visibility="supervisor"
    )
    today = timezone.localdate()
    url = reverse("teams:personal_goal", args=[goal.pk])
    client.force_login(supervisor)
    direction_services.checkin_create(goal=goal, day=today, progress=1)
    small = count_queries(client, url, django_assert_max_num_queries)
    for days in range(1, 20):
        direction_services.checkin_create(
            goal=goal, day=today - datetime.timedelta(days=days), progress=2
        )
    assert count_queries(client, url, django_assert_max_num_queries) == small
