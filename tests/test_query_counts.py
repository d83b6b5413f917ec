"""Every main page runs a fixed, small number of queries, whatever the amount of data.

Each page is fetched at two data sizes, the second ten times the first (more teams, people,
sessions, thoughts with replies, questions with votes, answers and reports, goals with
check-ins, notifications), and must run the same number of queries both times, at most
QUERY_BUDGET. The count includes the signed-in request's own floor (session, user, navigation).
Page-specific tests elsewhere pin other pages; this module is the one list of main pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning_lead import fragments
from notifications.models import Notification
from reflections import bridge_services
from reflections import services as reflections
from teams import direction_services, services
from teams.models import Membership
from tests.conftest import make_user

QUERY_BUDGET = 12
SMALL, LARGE = 2, 20  # data sizes: the second is ten times the first


@dataclass
class Page:
    name: str
    persona: str
    url: Callable[[dict], str]
    budget: int = QUERY_BUDGET
    htmx: bool = False


def _team_a(view: str) -> Callable[[dict], str]:
    return lambda world: reverse(view, args=[world["team_a"].pk])


def _session(view: str) -> Callable[[dict], str]:
    return lambda world: reverse(view, args=[world["session"].pk])


PAGES = [
    Page("dashboard", "member", lambda world: reverse("home")),
    Page("dashboard, supervisor", "supervisor", lambda world: reverse("home")),
    Page("teams", "member", lambda world: reverse("teams:list")),
    Page("team page", "supervisor", _team_a("teams:detail")),
    Page("team feed", "member", _team_a("reflections:team_feed")),
    Page("team feed, htmx", "member", _team_a("reflections:team_feed"), htmx=True),
    Page("session page, member", "member", _session("reflections:session")),
    Page("session page, supervisor", "supervisor", _session("reflections:session")),
    Page("questions, member", "member", _team_a("reflections:team_questions")),
    Page("questions, supervisor", "supervisor", _team_a("reflections:team_questions")),
    Page("team sessions (rhythms)", "supervisor", _team_a("reflections:team_sessions")),
    Page("pulse results", "supervisor", _session("reflections:pulse_results")),
    Page("direction, supervisor", "supervisor", _team_a("reflections:team_direction")),
    Page("direction, member", "member", _team_a("reflections:team_direction")),
    Page("my learning", "member", lambda world: reverse("reflections:my_learning")),
    Page(
        "personal goal",
        "supervisor",
        lambda world: reverse("teams:personal_goal", args=[world["goal"].pk]),
    ),
    Page("calendar links", "member", lambda world: reverse("reflections:calendar")),
    Page(
        "ICS feed, person",
        "anonymous",
        lambda world: reverse(
            "reflections:feed", args=[reflections.feed_for_user(user=world["member"]).token]
        ),
    ),
    Page(
        "ICS feed, team",
        "anonymous",
        lambda world: reverse(
            "reflections:feed",
            args=[reflections.feed_for_team(user=world["member"], team=world["team_a"]).token],
        ),
    ),
    Page("inbox", "member", lambda world: reverse("notifications:inbox")),
    Page("rhythm health", "supervisor", lambda world: reverse("reflections:health")),
    Page("forward questions", "supervisor", _team_a("reflections:question_forward")),
    Page("forwarded to HR", "hr", lambda world: reverse("reflections:forwarded_queue")),
    Page("strategy themes", "hr", lambda world: reverse("teams:themes")),
    Page("people", "admin", lambda world: reverse("teams:people")),
    Page("HR report", "hr", lambda world: reverse("reports:report") + "?period=year"),
    Page(
        "HR report, chosen teams",
        "hr",
        lambda world: reverse("reports:report") + f"?period=year&teams={world['team_a'].pk}",
    ),
    Page("HR report CSV", "hr", lambda world: reverse("reports:csv") + "?period=year"),
]


@pytest.fixture
def world(acme, team_a, supervisor, member, hr, admin):
    session = reflections.session_add(
        team=team_a,
        title="Yesterday",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=["learned", "next"],
    )
    # Enough answers from the start that pulse results are shown at both sizes.
    for index in range(5):
        person = make_user(acme, f"answerer{index}")
        services.membership_set(team=team_a, user=person, role=Membership.Role.MEMBER)
        reflections.pulse_answer(session=session, user=person, values={"ask": 4})
    theme = direction_services.theme_create(organization=acme, title="Customer first")
    team_goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Calm calls", why="Our work", themes=[theme]
    )
    goal = direction_services.personal_goal_create(
        owner=member,
        title="Listen first",
        reason="Mine",
        challenge=2,
        visibility="team",
        team_goal=team_goal,
    )
    return {
        "acme": acme,
        "team_a": team_a,
        "supervisor": supervisor,
        "member": member,
        "hr": hr,
        "admin": admin,
        "anonymous": None,
        "session": session,
        "theme": theme,
        "team_goal": team_goal,
        "goal": goal,
        "people": [],
    }


def grow(world: dict, size: int) -> None:
    """Adds `size` of everything a main page lists, through the services."""
    acme, team_a, sup, member = (world[key] for key in ("acme", "team_a", "supervisor", "member"))
    session, goal = world["session"], world["goal"]
    now = timezone.now()
    start = len(world["people"])
    for index in range(start, start + size):
        person = make_user(acme, f"person{index}")
        world["people"].append(person)
        services.membership_set(team=team_a, user=person, role=Membership.Role.MEMBER)
        other = services.team_create(organization=acme, name=f"Team {index}")
        services.membership_set(team=other, user=sup, role=Membership.Role.SUPERVISOR)
        services.membership_set(team=other, user=member, role=Membership.Role.MEMBER)
        for team, days in ((team_a, 2 + index), (other, 3 + index)):
            reflections.session_add(
                team=team,
                title=f"Coming {index}",
                starts_at=now + timedelta(days=days),
                duration_minutes=30,
                time_zone="Europe/Helsinki",
                prompt_keys=["learned"],
            )
        past = reflections.session_add(
            team=team_a,
            title=f"Past {index}",
            starts_at=now - timedelta(days=2 + index),
            duration_minutes=30,
            time_zone="Europe/Helsinki",
        )
        reflections.session_hold(session=past, attendees=[member, person])
        theme = direction_services.theme_create(organization=acme, title=f"Theme {index}")
        team_goal = direction_services.team_goal_create(
            team=team_a, author=sup, title=f"Team goal {index}", why="w", themes=[theme]
        )
        for on in ({"session": session}, {"team_goal": team_goal}, {}):
            thought = reflections.thought_post(
                author=person, team=team_a, kind="insight", body=f"Thought {index}", **on
            )
            reflections.thought_reply(author=member, parent=thought, body="Building on it")
        question = reflections.question_ask(
            team=team_a,
            body=f"Question {index}?",
            named_author=person if index % 2 else None,
            session=session,
        )
        reflections.question_upvote(question=question, user=member)
        reflections.question_answer(question=question, author=sup, body="Answer")
        reflections.question_report(question=question, reason="Check")
        item = bridge_services.questions_forward(
            team=team_a, questions=[question], theme=theme, forwarded_by=sup
        )
        if index % 2:
            bridge_services.forward_answer(
                item=item, body="From HR", answered_as="hr", answered_by=sup
            )
        reflections.pulse_answer(
            session=session, user=person, values={"dont_know": 4, "mistakes": 3, "ask": 5}
        )
        shared = (
            (person, "team", team_goal),
            (member, "supervisor", team_goal),
            (person, "team", None),
        )
        for owner, visibility, linked in shared:
            personal = direction_services.personal_goal_create(
                owner=owner,
                title=f"Goal {index}",
                reason="r",
                challenge=1,
                visibility=visibility,
                team_goal=linked,
            )
            direction_services.checkin_create(goal=personal, day=now.date(), progress=3)
        direction_services.checkin_create(
            goal=goal, day=now.date() - timedelta(days=index), progress=2, note=f"Note {index}"
        )
        Notification.objects.create(user=member, kind="before", session=past)


def count_queries(client, page: Page, world: dict, *, cached: bool = False) -> int:
    """Queries of the page rendered afresh (or, with cached=True, served from its cached
    fragment: learning_lead/fragments.py)."""
    url = page.url(world)
    headers = {"HX-Request": "true"} if page.htmx else {}
    assert client.get(url, headers=headers).status_code == 200  # warm: the session exists
    if not cached:
        fragments.changed_everything()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


def count_as(client, page: Page, world: dict, *, cached: bool = False) -> int:
    """count_queries as the page's persona, in a session of its own."""
    user = world[page.persona]
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return count_queries(client, page, world, cached=cached)


def test_page_query_count_is_small_and_does_not_grow_with_data(client, world):
    """Every page at both sizes. Growing the data is the slow part, so the world grows once
    for all the pages: each page is counted at the small size, then at the large one, each
    time signed in afresh as its persona; every page that fails is named."""
    grow(world, SMALL)
    small = {page.name: count_as(client, page, world) for page in PAGES}
    grow(world, LARGE - SMALL)
    problems = []
    for page in PAGES:
        large = count_as(client, page, world)
        if large != small[page.name]:
            problems.append(f"{page.name}: {small[page.name]} queries, then {large}")
        if large > page.budget:
            problems.append(f"{page.name}: {large} queries, over {page.budget}")
        served_again = count_as(client, page, world, cached=True)
        if served_again > large:
            problems.append(f"{page.name}: {served_again} queries from the cache")
    assert problems == []


def test_the_large_world_really_shows_on_the_pages(client, world):
    """The equal counts above mean something only if the pages list the grown data."""
    grow(world, LARGE)
    last = LARGE - 1

    def page(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    client.force_login(world["member"])
    feed = page(reverse("reflections:team_feed", args=[world["team_a"].pk]))
    assert feed.count("Building on it") == 20  # a full page of threads, each with its reply
    session = page(reverse("reflections:session", args=[world["session"].pk]))
    assert session.count('class="question status-') == LARGE
    assert f"Thought {last}" in session and "Thought 0" in session
    assert page(reverse("home")).count("Coming ") == 8  # the dashboard's limit
    learning = page(reverse("reflections:my_learning"))
    assert learning.count("<article") >= LARGE
    calendar = page(reverse("reflections:calendar"))
    assert f"Team {last}" in calendar
    client.force_login(world["supervisor"])
    direction = page(reverse("reflections:team_direction", args=[world["team_a"].pk]))
    assert f"Team goal {last}" in direction and f"Person{last}" in direction
    questions = page(reverse("reflections:team_questions", args=[world["team_a"].pk]))
    assert questions.count('class="question status-') == LARGE
    goal = page(reverse("teams:personal_goal", args=[world["goal"].pk]))
    assert f"Note {last}" in goal
    client.force_login(world["admin"])
    assert f"person{last}" in page(reverse("teams:people"))


def test_the_floor_page_costs_the_user_and_one_query(client, world, settings):
    """The benchmark's floor (bench/README.md): the session comes from the cache and the
    layout's roles and unread count come with the user, so a signed-in page that needs one
    query of its own runs two."""
    settings.BENCH_FLOOR = True
    grow(world, SMALL)
    client.force_login(world["supervisor"])
    url = reverse("bench_floor")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "You belong to 3 teams." in response.content.decode()
    assert len(captured.captured_queries) == 2
    assert 'FROM "teams_user"' in captured.captured_queries[0]["sql"]


def test_the_navigation_follows_roles_and_unread_count_on_the_next_page(client, world):
    """The layout's roles and count are loaded with the user on each request, not kept."""
    member = world["member"]
    client.force_login(world["supervisor"])
    assert reverse("teams:invitations") in client.get(reverse("home")).content.decode()
    client.force_login(member)
    body = client.get(reverse("home")).content.decode()
    assert reverse("reports:report") not in body and reverse("teams:invitations") not in body
    services.org_roles_set(user=member, roles={"hr"})
    Notification.objects.create(user=member, kind="before", session=world["session"])
    body = client.get(reverse("home")).content.decode()
    assert reverse("reports:report") in body
    assert '<span class="badge">1<span class="visually-hidden"> unread' in body
