"""Stored XSS probes: markup typed into text fields is shown escaped wherever it is shown."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services as reflections
from teams import direction_services
from teams.models import Team

PROBE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def assert_escaped(body: str) -> None:
    assert PROBE not in body
    assert "<script>alert" not in body and "<img src=x" not in body
    assert ESCAPED in body


@pytest.fixture
def probed(acme, team_a, supervisor, member, admin):
    """Markup stored through the services in every kind of free text the app shows."""
    team_a.description = PROBE
    team_a.save()
    Team.objects.create(organization=acme, name=PROBE)
    member.first_name = PROBE
    member.save()
    rhythm = reflections.rhythm_create(
        team=team_a,
        title=PROBE,
        frequency="weekly",
        weekday=0,
        start_date=timezone.localdate(),
        start_time=time(9, 0),
        time_zone="Europe/Helsinki",
        location=PROBE,
    )
    session = rhythm.sessions.first()
    reflections.prompt_add(session=session, text=PROBE)
    past = reflections.session_add(
        team=team_a,
        title=PROBE,
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    theme = direction_services.theme_create(organization=acme, title=PROBE, description=PROBE)
    goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title=PROBE, why=PROBE, themes=[theme]
    )
    personal = direction_services.personal_goal_create(
        owner=member, title=PROBE, reason=PROBE, challenge=2, visibility="team", team_goal=goal
    )
    return {"team": team_a, "session": session, "past": past, "goal": goal, "personal": personal}


def pages(probed):
    team = probed["team"].pk
    return [
        reverse("home"),
        reverse("teams:list"),
        reverse("teams:detail", args=[team]),
        reverse("reflections:team_sessions", args=[team]),
        reverse("reflections:session", args=[probed["session"].pk]),
        reverse("reflections:session", args=[probed["past"].pk]),
        reverse("reflections:team_direction", args=[team]),
        reverse("reflections:my_learning"),
    ]


def test_no_page_renders_the_markup_as_html(client, probed, supervisor, member):
    for user in (supervisor, member):
        client.force_login(user)
        for url in pages(probed):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "<script>alert" not in body and "<img src=x" not in body, url


def test_markup_reaches_the_pages_it_is_written_for(client, probed, supervisor, admin):
    client.force_login(supervisor)
    for url in (
        reverse("teams:detail", args=[probed["team"].pk]),
        reverse("reflections:session", args=[probed["session"].pk]),
        reverse("reflections:team_direction", args=[probed["team"].pk]),
    ):
        assert_escaped(client.get(url).content.decode())
    client.force_login(admin)
    assert_escaped(client.get(reverse("teams:people")).content.decode())
    assert_escaped(client.get(reverse("teams:list")).content.decode())


def test_markup_in_ics_feed_is_plain_text(client, probed, member):
    feed = reflections.feed_for_team(user=member, team=probed["team"])
    body = client.get(reverse("reflections:feed", args=[feed.token])).content.decode()
    assert "SUMMARY:<script>" in body.replace("\r\n ", "")  # iCalendar is text, not HTML
