"""The owner's visibility choice holds in every query and on every page.

Viewers: the owner (Mia), her supervisor (Sue), a team-mate (Tia), a member of another team
(Bob), HR (Hanna), the admin (Adam) and someone from another organisation (Olga).
"""

import pytest
from django.db.models import Q
from django.urls import reverse

from teams import access, direction_services, services
from teams.models import Membership
from tests.conftest import make_user

SEES = {
    "private": {"member"},
    "supervisor": {"member", "supervisor"},
    "team": {"member", "supervisor", "teammate"},
}
VIEWERS = ["member", "supervisor", "teammate", "other_member", "hr", "admin", "foreigner"]


@pytest.fixture
def viewers(personas, acme, team_a):
    teammate = make_user(acme, "tia")
    services.membership_set(team=team_a, user=teammate, role=Membership.Role.MEMBER)
    return personas | {"teammate": teammate}


@pytest.fixture
def shared(make_goal, member):
    """One goal of Mia's per visibility, each with a check-in whose note names it."""
    goals = {}
    for visibility in SEES:
        goal = make_goal(member, visibility, title=f"Goal {visibility}")
        direction_services.checkin_create(
            goal=goal, day=goal.created_at.date(), progress=2, note=f"Note {visibility}"
        )
        goals[visibility] = goal
    return goals


@pytest.mark.parametrize("viewer", VIEWERS)
def test_visibility_holds_in_the_query_helper(viewers, shared, viewer):
    visible = set(access.personal_goals_visible_to(viewers[viewer]))
    expected = {goal for visibility, goal in shared.items() if viewer in SEES[visibility]}
    assert visible == expected


@pytest.mark.parametrize("visibility", list(SEES))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_visibility_holds_on_the_goal_page(client, viewers, shared, viewer, visibility):
    client.force_login(viewers[viewer])
    response = client.get(reverse("teams:personal_goal", args=[shared[visibility].pk]))
    assert response.status_code == (200 if viewer in SEES[visibility] else 404)


@pytest.mark.parametrize("viewer", ["member", "supervisor", "teammate"])
def test_direction_view_shows_only_goals_and_check_ins_shared_with_the_viewer(
    client, viewers, shared, viewer
):
    client.force_login(viewers[viewer])
    body = client.get(
        reverse("reflections:team_direction", args=[shared["team"].team_goal.team_id])
    )
    body = body.content.decode()
    for visibility in SEES:
        # Private goals stay off the shared team page, even for their owner.
        shown = viewer in SEES[visibility] and visibility != "private"
        assert (f"Goal {visibility}" in body) is shown, visibility
        assert (f"Note {visibility}" in body) is shown, visibility


def test_people_count_on_the_direction_view_leaves_out_private_goals(
    client, viewers, shared, make_goal
):
    make_goal(viewers["teammate"], "private", title="Secret")
    client.force_login(viewers["supervisor"])
    response = client.get(
        reverse("reflections:team_direction", args=[shared["team"].team_goal.team_id])
    )
    (item,) = response.context["direction"].groups[0].goals
    assert item.people == 1
    assert {goal.title for goal in item.shared_goals} == {"Goal supervisor", "Goal team"}


@pytest.mark.parametrize("viewer", ["other_member", "hr", "admin", "foreigner"])
def test_people_outside_the_team_get_404_for_its_direction_view(client, viewers, team_a, viewer):
    client.force_login(viewers[viewer])
    assert client.get(reverse("reflections:team_direction", args=[team_a.pk])).status_code == 404


@pytest.mark.parametrize("viewer", ["supervisor", "teammate", "hr", "admin"])
def test_my_learning_never_lists_someone_elses_goals(client, viewers, shared, viewer):
    client.force_login(viewers[viewer])
    body = client.get(reverse("reflections:my_learning")).content.decode()
    assert "Goal " not in body
    assert "Note " not in body


def test_hr_theme_list_names_no_personal_goal(client, hr, shared):
    client.force_login(hr)
    body = client.get(reverse("teams:themes")).content.decode()
    assert "Goal " not in body


def test_only_the_owner_can_edit_or_check_in(client, viewers, shared):
    goal = shared["team"]
    for viewer in ["supervisor", "teammate"]:
        client.force_login(viewers[viewer])
        assert client.get(reverse("teams:personal_goal_edit", args=[goal.pk])).status_code == 404
        response = client.post(
            reverse("teams:checkin_create", args=[goal.pk]), {"day": "2026-01-01", "progress": 3}
        )
        assert response.status_code == 404
    assert goal.checkins.count() == 1


def test_free_goal_shared_with_supervisor_reaches_supervisors_of_each_of_the_owners_teams(
    acme, team_b, viewers, make_goal, member
):
    team_b_lead = make_user(acme, "ben")
    services.membership_set(team=team_b, user=team_b_lead, role=Membership.Role.SUPERVISOR)
    services.membership_set(team=team_b, user=member, role=Membership.Role.MEMBER)
    free = make_goal(member, "supervisor", linked=False)
    linked = make_goal(member, "supervisor")
    # A linked goal belongs to its team goal's team; a free goal to every team of the owner.
    assert set(access.personal_goals_visible_to(team_b_lead)) == {free}
    assert set(access.personal_goals_visible_to(viewers["supervisor"])) == {free, linked}
    assert set(access.personal_goals_visible_to(viewers["other_member"])) == set()


def test_free_goal_shared_with_team_reaches_members_of_the_owners_teams_only(
    viewers, make_goal, member
):
    free = make_goal(member, "team", linked=False)
    assert free in access.personal_goals_visible_to(viewers["teammate"])
    assert free not in access.personal_goals_visible_to(viewers["other_member"])


def test_leaving_the_team_ends_what_the_team_sees(viewers, shared, team_a, member):
    services.membership_remove(team=team_a, user=member)
    assert not access.personal_goals_visible_to(viewers["supervisor"]).exists()
    assert not access.personal_goals_visible_to(viewers["teammate"]).exists()
    assert access.personal_goals_visible_to(member).count() == 3


def test_an_hr_person_in_the_team_sees_only_what_a_team_mate_sees(viewers, shared, team_a, hr):
    services.membership_set(team=team_a, user=hr, role=Membership.Role.MEMBER)
    assert set(access.personal_goals_visible_to(hr)) == {shared["team"]}


def test_the_direction_views_own_query_agrees_with_the_access_rule(
    viewers, make_goal, member, team_a, team_b, acme
):
    """The direction view asks which goals of its team's people a member may see in a query
    of its own (teams.selectors.shared_in_team, cheaper to build): for every viewer in the
    team, leading it or not, and every goal (each visibility, linked or free, active or not,
    of someone in the team or not; a supervisor leading another team of the owner's), it
    gives what access.personal_goals_visible_to gives, narrowed to the team's page."""
    from teams import selectors
    from teams.models import GoalStatus, PersonalGoal, TeamGoal

    teammate = viewers["teammate"]
    lead_b = make_user(acme, "lena")
    services.membership_set(team=team_a, user=lead_b, role=Membership.Role.MEMBER)
    services.membership_set(team=team_b, user=lead_b, role=Membership.Role.SUPERVISOR)
    services.membership_set(team=team_b, user=member, role=Membership.Role.MEMBER)
    outsider = viewers["other_member"]
    goal_a = TeamGoal.objects.create(team=team_a, title="A goal", why="Why")
    goal_b = TeamGoal.objects.create(team=team_b, title="B goal", why="Why")
    for owner in (member, teammate, outsider, lead_b):
        for visibility in ("private", "supervisor", "team"):
            for team_goal in (None, goal_a, goal_b):
                goal = make_goal(owner, visibility, title=f"{owner} {visibility}", linked=False)
                PersonalGoal.objects.filter(pk=goal.pk).update(team_goal=team_goal)
    PersonalGoal.objects.filter(owner=teammate, visibility="team", team_goal__isnull=True).update(
        status=GoalStatus.REACHED
    )
    page = Q(team_goal__team=team_a) | Q(team_goal__isnull=True)
    in_team = Membership.objects.filter(team=team_a).values("user_id")
    for name in ("member", "supervisor", "teammate", "hr"):
        viewer = viewers[name]
        if name == "hr":
            services.membership_set(team=team_a, user=viewer, role=Membership.Role.MEMBER)
        viewer = type(viewer).objects.get(pk=viewer.pk)
        for person in (viewer, lead_b):
            leads = access.is_supervisor_of(person, team_a)
            expected = set(
                access.personal_goals_visible_to(person)
                .exclude(visibility="private")
                .filter(page, owner__in=in_team, status=GoalStatus.ACTIVE)
            )
            listed = list(selectors.shared_in_team(viewer=person, team=team_a, leads=leads))
            shown = set(listed)
            assert shown == expected, (name, person)
            assert len(listed) == len(shown), "a goal listed twice"
            assert expected, name
    # Lena leads team B, where Mia is too: Mia's free goal for supervisors reaches her.
    shown = selectors.shared_in_team(viewer=lead_b, team=team_a, leads=False)
    assert shown.filter(owner=member, visibility="supervisor", team_goal__isnull=True).exists()
