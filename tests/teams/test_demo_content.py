"""What the demo organisation shows (seed_demo in English, the default language of the
tests), seeded once for the module: tests/world.py says how; each test's changes are rolled
back. The command's own behaviour (its guard, running twice, Finnish) is in
tests/teams/test_seed_demo.py."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from reflections import lapse
from reflections.models import Attendance, Rhythm, Session
from teams.models import (
    CheckIn,
    Membership,
    Organization,
    OrgRole,
    PersonalGoal,
    StrategyTheme,
    Team,
    User,
)
from tests.world import for_the_module


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    with for_the_module(django_db_blocker, DEBUG=True):
        call_command("seed_demo")
        yield


@pytest.fixture
def demo(db, demo_once):
    """The module's demo, for one test."""


def test_demo_has_three_teams_of_six_or_more_and_the_three_demo_roles(demo):
    teams = Team.objects.filter(organization__slug="demo")
    assert teams.count() >= 3
    assert all(team.memberships.count() >= 6 for team in teams)
    assert Membership.objects.filter(user__username="demo-supervisor", role="supervisor").exists()
    assert Membership.objects.filter(user__username="demo-employee", role="member").exists()
    assert OrgRole.objects.filter(user__username="demo-hr", role="hr").exists()


def test_demo_users_sign_in_with_the_documented_password(demo):
    for username in ["demo-supervisor", "demo-employee", "demo-hr"]:
        browser = Client()
        response = browser.post(
            reverse("login"), {"username": username, "password": "learn-together"}
        )
        assert response.status_code == 302, username
        assert browser.get(reverse("home")).status_code == 200, username


def test_demo_has_themes_goals_and_months_of_check_ins_on_every_direction_page(client, demo):
    assert StrategyTheme.objects.filter(organization__slug="demo").count() >= 3
    for team in Team.objects.filter(organization__slug="demo"):
        assert team.goals.filter(status="active", themes__isnull=False).exists(), team
    employee_goals = PersonalGoal.objects.filter(owner__username="demo-employee")
    assert {goal.visibility for goal in employee_goals} == {"private", "supervisor", "team"}
    days = CheckIn.objects.filter(goal__owner__username="demo-employee").values_list("day")
    assert (max(days)[0] - min(days)[0]).days > 90

    client.login(username="demo-supervisor", password="learn-together")
    team = Team.objects.get(organization__slug="demo", name="Customer service")
    response = client.get(reverse("reflections:team_direction", args=[team.pk]))
    body = response.content.decode()
    assert "Stay calm when a customer is angry" in body
    assert "Speak up in larger meetings" not in body  # the employee's private goal
    groups = response.context["direction"].groups
    assert any(item.quiet for group in groups for item in group.goals)
    client.login(username="demo-employee", password="learn-together")
    body = client.get(reverse("reflections:my_learning")).content.decode()
    assert "Speak up in larger meetings" in body
    client.login(username="demo-hr", password="learn-together")
    assert "Learning together" in client.get(reverse("teams:themes")).content.decode()


def test_demo_has_months_of_held_sessions_and_an_inbox(demo):
    for team in Team.objects.filter(organization__slug="demo"):
        held = Session.objects.filter(team=team, status="held")
        assert held.count() >= 5
        assert Attendance.objects.filter(session__in=held).count() >= 5 * 4
        assert Session.objects.filter(team=team, status="planned").exists()
    assert Notification.objects.filter(user__username="demo-employee").exists()


def test_demo_shows_one_lapsed_rhythm_to_its_supervisor(client, demo):
    lapsed = lapse.lapsed_teams(None, now=timezone.now())
    assert [Team.objects.get(pk=pk).name for pk in lapsed] == ["Software development"]
    assert lapsed[next(iter(lapsed))].reason == "missed"
    client.login(username="demo-supervisor", password="learn-together")
    page = client.get(reverse("reflections:health")).content.decode()
    assert page.count('class="notice notice-warning lapse"') == 1


def test_the_demo_organisation_is_set_up_so_its_admin_sees_no_checklist(client, demo):
    hr = User.objects.get(username="demo-hr")
    client.force_login(hr)
    body = client.get(reverse("home")).content.decode()
    assert "Set up your organisation" not in body


def test_the_demo_in_english_has_its_content_in_english(demo):
    from reflections.models import Question, Thought

    assert Organization.objects.get(slug="demo").language == "en"
    assert Team.objects.filter(name="Customer service").exists()
    assert Rhythm.objects.filter(title="Weekly learning moment").exists()
    assert StrategyTheme.objects.filter(title="Learning together").exists()
    assert not Thought.objects.filter(body__contains="Kokeilin").exists()
    assert Question.objects.filter(body="How do we choose what to learn next?").exists()


def test_the_demo_supervisor_sees_a_coaching_hint_out_of_the_box(client, demo):
    client.login(username="demo-supervisor", password="learn-together")
    team = Team.objects.get(organization__slug="demo", name="Customer service")
    body = client.get(reverse("reflections:team_direction", args=[team.pk])).content.decode()
    assert 'class="hint-list"' in body
    assert "stayed low over its recent check-ins" in body
