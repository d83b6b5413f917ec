"""Pages change as soon as their data does: the cached direction view, my learning, calendar
feeds and dashboard (learning_lead/fragments.py), and HR's report, questions and session page,
which are not cached. The feed is in tests/reflections/test_fragments.py."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reflections import services as reflections
from teams import direction_services
from teams import services as teams
from teams.models import Membership, PersonalGoal
from tests.conftest import make_user


def _page(user, url) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _goal(owner, title, visibility, team_goal=None):
    return direction_services.personal_goal_create(
        owner=owner,
        title=title,
        reason="",
        challenge=1,
        visibility=visibility,
        team_goal=team_goal,
    )


def test_direction_shows_new_goals_at_once_and_each_viewer_what_they_may_see(
    acme, team_a, supervisor, member
):
    url = reverse("reflections:team_direction", args=[team_a.pk])
    third = make_user(acme, "tess")
    teams.membership_set(team=team_a, user=third, role=Membership.Role.MEMBER)
    for viewer in (supervisor, member, third):
        assert "Learn SQL" not in _page(viewer, url)
    _goal(member, "Learn SQL", PersonalGoal.Visibility.SUPERVISOR)
    assert "Learn SQL" in _page(supervisor, url)
    assert "Learn SQL" in _page(member, url)
    assert "Learn SQL" not in _page(third, url)  # neither hers nor a goal for the team
    goal = direction_services.team_goal_create(
        team=team_a, author=member, title="Faster reviews", why="", themes=[]
    )
    assert "Faster reviews" in _page(supervisor, url)  # a proposal
    direction_services.team_goal_accept(goal=goal)  # a conditional UPDATE, no signal
    page = _page(third, url)
    assert "Faster reviews" in page


def test_my_learning_shows_check_ins_and_new_team_goals_at_once(team_a, supervisor, member):
    url = reverse("reflections:my_learning")
    goal = _goal(member, "Write better tests", PersonalGoal.Visibility.PRIVATE)
    assert "Write better tests" in _page(member, url)
    direction_services.checkin_create(
        goal=goal, day=timezone.localdate(), progress=3, note="Tried mutation testing"
    )
    assert "Tried mutation testing" in _page(member, url)
    direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Shared ownership", why="", themes=[]
    )
    assert "Shared ownership" in _page(member, url)
    assert "Write better tests" not in _page(supervisor, url)  # one page per person


def test_a_calendar_feed_shows_a_new_or_moved_session_at_once(client, team_a, supervisor, member):
    feed = reflections.feed_for_user(user=member)
    url = reverse("reflections:feed", args=[feed.token])
    assert "Retro" not in client.get(url).content.decode()
    session = reflections.session_add(
        team=team_a,
        title="Retro",
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    assert "SUMMARY:Retro" in client.get(url).content.decode()
    local = (session.starts_at + timedelta(days=1)).astimezone(ZoneInfo("Europe/Helsinki"))
    moved = local.strftime("%Y%m%d")
    reflections.session_move(
        session=session,
        starts_at=session.starts_at + timedelta(days=1),
        duration_minutes=30,
        location="",
        video_url="",
    )
    assert re.search(rf"DTSTART[^:]*:{moved}", client.get(url).content.decode())
    teams.membership_remove(team=team_a, user=member)
    assert "Retro" not in client.get(url).content.decode()


@pytest.mark.parametrize("view", ["reflections:team_direction"])
def test_a_per_person_page_is_not_served_to_someone_else(view, team_a, supervisor, member):
    _goal(member, "Only mine", PersonalGoal.Visibility.PRIVATE)
    assert "Only mine" not in _page(supervisor, reverse(view, args=[team_a.pk]))


def test_the_dashboard_shows_new_sessions_and_teams_at_once(acme, team_a, team_b, member):
    url = reverse("home")
    assert "Planning" not in _page(member, url)
    reflections.session_add(
        team=team_a,
        title="Planning",
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    assert "Planning" in _page(member, url)
    assert "Team B" not in _page(member, url)
    teams.membership_set(team=team_b, user=member, role=Membership.Role.MEMBER)
    assert "Team B" in _page(member, url)


def test_a_thought_on_a_team_goal_shows_on_the_direction_view_and_my_learning_at_once(
    team_a, supervisor, member
):
    goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Calm calls", why="", themes=[]
    )
    _goal(member, "Listen first", PersonalGoal.Visibility.TEAM, team_goal=goal)
    direction = reverse("reflections:team_direction", args=[team_a.pk])
    learning = reverse("reflections:my_learning")
    assert "Silence helps" not in _page(supervisor, direction)
    assert "Silence helps" not in _page(member, learning)
    reflections.thought_post(
        author=member, team=team_a, kind="insight", body="Silence helps", team_goal=goal
    )
    assert "Silence helps" in _page(supervisor, direction)
    assert "Silence helps" in _page(member, learning)


def test_leaving_another_team_hides_a_free_goal_from_its_supervisor_at_once(
    acme, team_a, team_b, supervisor, member
):
    """A free goal shows through any team its owner and the viewer share: Mia's goal for
    supervisors reaches Max on team A's page because Max leads team B, where Mia also is."""
    lead_of_b = make_user(acme, "max")
    teams.membership_set(team=team_a, user=lead_of_b, role=Membership.Role.MEMBER)
    teams.membership_set(team=team_b, user=lead_of_b, role=Membership.Role.SUPERVISOR)
    teams.membership_set(team=team_b, user=member, role=Membership.Role.MEMBER)
    _goal(member, "Speak up more", PersonalGoal.Visibility.SUPERVISOR)
    url = reverse("reflections:team_direction", args=[team_a.pk])
    assert "Speak up more" in _page(lead_of_b, url)
    teams.membership_remove(team=team_b, user=member)
    assert "Speak up more" not in _page(lead_of_b, url)


def test_a_session_row_changed_without_signals_is_not_served_from_the_cache(
    team_a, supervisor, member
):
    """Rows the access check reads before the generations carry their version in the key:
    a change committed between the two reads can never be cached as current."""
    from reflections.models import Session

    session = reflections.session_add(
        team=team_a,
        title="Retro",
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    url = reverse("reflections:session", args=[session.pk])
    assert "Retro" in _page(member, url)
    Session.objects.filter(pk=session.pk).update(title="Review", updated_at=timezone.now())
    assert "Review" in _page(member, url)


def test_a_renamed_strategy_theme_shows_on_forwarded_questions(acme, team_a, supervisor, member):
    from reflections import bridge_services

    theme = direction_services.theme_create(organization=acme, title="Customer first")
    question = reflections.question_ask(team=team_a, body="Who owns onboarding?")
    bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    url = reverse("reflections:team_questions", args=[team_a.pk])
    assert "Customer first" in _page(member, url)
    direction_services.theme_update(
        theme=theme, title="Customers first", description="", starts_on=None, ends_on=None, order=0
    )
    assert "Customers first" in _page(member, url)


def test_the_report_counts_new_team_goals_at_once(acme, hr, team_a, supervisor):
    theme = direction_services.theme_create(organization=acme, title="Quality")
    url = reverse("reports:report")

    def team_goals() -> str:
        table = _page(hr, url).split('id="table-direction"')[1].split("</table>")[0]
        row = re.search(r'<th scope="row">Quality</th>(.*?)</tr>', table, re.S)[1]
        return re.findall(r"<td[^>]*>(.*?)</td>", row)[0]

    assert team_goals() == "0"
    direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Fewer bugs", why="", themes=[theme]
    )
    assert team_goals() == "1"


def test_a_new_build_never_serves_the_old_builds_fragments(monkeypatch, team_a, member):
    from learning_lead import fragments

    url = reverse("reflections:team_feed", args=[team_a.pk])
    _page(member, url)
    monkeypatch.setattr(fragments, "_build", lambda: "another deploy")
    rendered = []
    real = fragments._render
    monkeypatch.setattr(fragments, "_render", lambda *a, **k: rendered.append(1) or real(*a, **k))
    _page(member, url)
    assert rendered == [1]


def test_a_change_made_in_the_admin_shows_on_cached_pages_at_once(acme, team_a, supervisor):
    """The admin writes without the services: it refreshes every cached page after."""
    goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Kinder reviews", why="", themes=[]
    )
    url = reverse("reflections:team_direction", args=[team_a.pk])
    assert "Kinder reviews" in _page(supervisor, url)
    staff = make_user(None, "root")
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    admin = Client()
    admin.force_login(staff)
    response = admin.post(
        reverse("admin:teams_teamgoal_delete", args=[goal.pk]), {"post": "yes"}, secure=True
    )
    assert response.status_code == 302
    assert "Kinder reviews" not in _page(supervisor, url)
