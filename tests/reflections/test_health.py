"""The supervisor's rhythm health page: every team they lead on one page, lapses flagged,
participation as a chart and a table (the chart's text equivalent), coaching hints from the data."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services
from teams import direction_services
from teams import services as teams
from teams.models import Membership, Team
from tests.support.rhythm import history

URL = reverse("reflections:health")


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def section(body: str, team: Team) -> str:
    start = body.index(f'id="team-{team.pk}"')
    end = body.find("<section", start)
    return body[start : end if end != -1 else None]


def test_page_shows_next_last_held_planned_vs_held_and_open_questions(
    client, team_a, supervisor, member
):
    sessions = history(team_a, "HSHM", held_by=[member])
    services.question_ask(team=team_a, body="Why?")
    services.question_ask(team=team_a, body="How?", named_author=member)
    body = section(page(client, supervisor), team_a)
    assert reverse("reflections:session", args=[sessions[-1].pk]) in body  # next
    assert reverse("reflections:session", args=[sessions[2].pk]) in body  # last held
    assert "2 of 3 planned (1 skipped)" in body
    assert "2 open questions in Team A" in body
    assert "Lapsed" not in body


def test_weekly_participation_is_a_table_with_shares(client, team_a, supervisor, member):
    history(team_a, "HH", held_by=[member])
    body = section(page(client, supervisor), team_a)
    assert "<table" in body and "<caption>" in body
    assert body.count("50 %") == 2  # one of the two people, in each of the two weeks
    assert body.count("no session") == 6


def test_the_weekly_participation_chart_is_readable_beside_its_table(
    client, team_a, supervisor, member
):
    history(team_a, "HH", held_by=[member])
    body = section(page(client, supervisor), team_a)
    svg = body.split("<svg")[1].split("</svg>")[0]
    # Announced as an image with a title and a description pointing at the table.
    assert 'role="img"' in svg and "<title" in svg
    assert "the same figures are in the table below" in svg
    # Drawn in a frame that scales to the page, with a 0-100 % scale, one bar per held week
    # (half as tall as the plot for 50 %), each with its share and every week with its date.
    assert 'viewBox="0 0 440 224"' in svg and "width=" not in svg.split(">")[0]
    assert all(f">{value}&#8239;%</text>" in svg for value in (0, 25, 50, 75, 100))
    assert svg.count("<rect") == 2 and svg.count('height="78.0"') == 2
    assert svg.count('class="chart-value">50&#8239;%</text>') == 2
    assert svg.count('class="chart-label">') == 5 + 8
    # The data table stays.
    assert "<table" in body and "Week starting" in body


def test_the_chart_dates_weeks_the_finnish_way_for_a_finnish_reader(
    client, team_a, supervisor, member
):
    history(team_a, "HH", held_by=[member])
    teams.preferences_update(user=supervisor, language="fi", time_zone="Europe/Helsinki")
    body = section(page(client, supervisor), team_a)
    svg = body.split("<svg")[1].split("</svg>")[0]
    assert re.search(r'class="chart-label">\d{1,2}\.\d{1,2}\.</text>', svg)
    assert "Pylväskaavio 0–100 %;" in svg
    # Coordinates stay numbers an SVG reads, never with the Finnish decimal comma.
    assert not re.search(r'(x|y|x1|y1|x2|y2|width|height)="[^"]*,', svg)


def test_lapsed_team_is_flagged_with_a_link_to_act(client, team_a, supervisor):
    history(team_a, "HMM")
    body = section(page(client, supervisor), team_a)
    assert "Lapsed" in body
    assert "2 planned sessions in a row have not been marked held." in body
    assert reverse("reflections:team_sessions", args=[team_a.pk]) in body


def test_team_with_nothing_planned_ahead_is_flagged(client, team_a, supervisor):
    history(team_a, "H", ahead=False)
    body = section(page(client, supervisor), team_a)
    assert "Nothing is planned ahead." in body
    assert reverse("reflections:session_add", args=[team_a.pk]) in body


def test_team_never_planned_invites_a_rhythm_without_calling_it_lapsed(client, team_a, supervisor):
    body = section(page(client, supervisor), team_a)
    assert "Lapsed" not in body and "No rhythm yet." in body


def test_every_led_team_is_on_the_page_and_only_those(client, acme, team_a, team_b, supervisor):
    led = Team.objects.create(organization=acme, name="Team C")
    teams.membership_set(team=led, user=supervisor, role=Membership.Role.SUPERVISOR)
    teams.membership_set(team=team_b, user=supervisor, role=Membership.Role.MEMBER)
    body = page(client, supervisor)
    assert f'id="team-{team_a.pk}"' in body and f'id="team-{led.pk}"' in body
    assert f'id="team-{team_b.pk}"' not in body  # a member there, not its supervisor


@pytest.mark.parametrize("persona", ["member", "other_member", "hr", "admin"])
def test_people_who_lead_no_team_are_refused(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403


def test_another_organisations_supervisor_sees_only_their_own_teams(
    client, team_a, supervisor, foreigner
):
    history(team_a, "HMM")
    body = page(client, foreigner)
    assert "Team X" in body and "Team A" not in body and f"team-{team_a.pk}" not in body


def test_navigation_and_dashboard_link_to_it_for_supervisors_only(client, supervisor, member):
    client.force_login(supervisor)
    assert client.get(reverse("home")).content.decode().count(f'href="{URL}"') == 2
    client.force_login(member)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def grow(acme, supervisor, member, start: int, size: int):
    """`size` more led teams, each with held, skipped and missed sessions, questions and
    goals with check-ins."""
    today = timezone.localdate()
    for index in range(start, start + size):
        team = Team.objects.create(organization=acme, name=f"Grown {index}")
        teams.membership_set(team=team, user=supervisor, role=Membership.Role.SUPERVISOR)
        teams.membership_set(team=team, user=member, role=Membership.Role.MEMBER)
        history(team, "HSHMM", held_by=[member])
        services.question_ask(team=team, body="Open?")
        goal = direction_services.team_goal_create(
            team=team, author=supervisor, title=f"Goal {index}", why="w", themes=[]
        )
        personal = direction_services.personal_goal_create(
            owner=member,
            title=f"Mine {index}",
            reason="r",
            challenge=1,
            visibility="supervisor",
            team_goal=goal,
        )
        for days in range(3):
            direction_services.checkin_create(
                goal=personal, day=today - datetime.timedelta(days=days), progress=1
            )


def test_query_count_does_not_grow_with_teams_or_sessions(
    client, acme, team_a, supervisor, member, django_assert_max_num_queries
):
    client.force_login(supervisor)

    def count() -> int:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    grow(acme, supervisor, member, 0, 1)
    small = count()
    grow(acme, supervisor, member, 1, 5)
    history(team_a, "HHHHHHHM", held_by=[member])
    large = count()
    assert large == small
    body = client.get(URL).content.decode()
    assert body.count("Lapsed") >= 6 and "Grown 5" in body
