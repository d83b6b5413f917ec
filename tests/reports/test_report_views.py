"""The HR report: who may open it, suppression on real data, CSV equal to the page."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services as reflections
from teams import services as teams
from tests.conftest import make_user

PARTICIPATION = 4  # columns after the team name: people, planned, held, skipped, participation


def held_session(team, people, days_ago=3):
    session = reflections.session_add(
        team=team,
        title="Reflection",
        starts_at=timezone.now() - timedelta(days=days_ago),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    reflections.session_hold(session=session, attendees=people)
    return session


def team_of(org, name, size):
    team = teams.team_create(organization=org, name=name)
    people = [make_user(org, f"{name.lower().replace(' ', '')}{i}") for i in range(size)]
    for person in people:
        teams.membership_set(team=team, user=person, role="member")
    return team, people


def rhythm_rows(response) -> dict[str, list[str]]:
    body = response.content.decode()
    section = body.split('id="table-rhythm"')[1].split("</table>")[0]
    rows = {}
    for match in re.finditer(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", section, re.S):
        rows[match.group(1)] = re.findall(r"<td[^>]*>(.*?)</td>", match.group(2))
    return rows


@pytest.fixture
def org_teams(acme):
    four, four_people = team_of(acme, "Four", 4)
    five, five_people = team_of(acme, "Five", 5)
    big, big_people = team_of(acme, "Big", 8)
    held_session(four, four_people[:3])
    held_session(five, five_people[:4])
    held_session(big, big_people[:6])
    return {"four": four, "five": five, "big": big}


def test_only_hr_opens_the_report(client, hr, supervisor, member, admin):
    for user, status in ((hr, 200), (supervisor, 403), (member, 403), (admin, 403)):
        client.force_login(user)
        assert client.get(reverse("reports:report")).status_code == status
        assert client.get(reverse("reports:csv")).status_code == status


def test_hr_of_another_organisation_gets_404_for_its_teams(client, foreigner, team_a):
    client.force_login(foreigner)
    assert client.get(reverse("reports:report")).status_code == 200
    response = client.get(reverse("reports:report"), {"teams": [team_a.pk]})
    assert response.status_code == 404
    assert client.get(reverse("reports:csv"), {"teams": [team_a.pk]}).status_code == 404


def test_team_of_four_is_hidden_five_shown_and_one_more_hidden_against_differencing(
    client, hr, org_teams
):
    client.force_login(hr)
    rows = rhythm_rows(client.get(reverse("reports:report")))
    assert rows["Four"][PARTICIPATION] == "hidden"  # 4 people: below the minimum of 5
    # Five would be shown on its own, but with Four hidden the total minus Big would give
    # Four away; so the next smallest, Five, is hidden too.
    assert rows["Five"][PARTICIPATION] == "hidden"
    assert rows["Big"][PARTICIPATION] == "75.0"  # 6 of 8 took part
    assert rows["All selected teams"][PARTICIPATION] != "hidden"
    # Session counts are facts about the team, not about people.
    assert rows["Four"][:4] == ["4", "1", "1", "0"]


def test_selecting_teams_cannot_isolate_a_hidden_group(client, hr, org_teams):
    client.force_login(hr)
    # Five and Big leave Four (4 people) as the rest of the organisation: totals hidden.
    selection = {"teams": [org_teams["five"].pk, org_teams["big"].pk]}
    rows = rhythm_rows(client.get(reverse("reports:report"), selection))
    assert rows["All selected teams"][PARTICIPATION] == "hidden"


def test_minimum_group_size_comes_from_the_organisation(client, hr, acme, org_teams):
    acme.min_group_size = 3
    acme.save()
    client.force_login(hr)
    rows = rhythm_rows(client.get(reverse("reports:report")))
    assert rows["Four"][PARTICIPATION] == "75.0"


def test_csv_has_exactly_the_figures_on_the_page(client, hr, org_teams):
    client.force_login(hr)
    page = client.get(reverse("reports:report"), {"period": "year"})
    response = client.get(reverse("reports:csv"), {"period": "year"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    page_rows = rhythm_rows(page)
    csv_rhythm = rows[rows.index(["Rhythm health per team"]) + 2 :][: len(page_rows)]
    assert {row[0]: row[1:] for row in csv_rhythm} == page_rows
    body = page.content.decode()
    for row in rows[1:]:
        for value in row:
            assert value in body


def test_report_has_no_names_or_free_text(client, hr, org_teams, member):
    client.force_login(hr)
    body = client.get(reverse("reports:report")).content.decode()
    csv_body = client.get(reverse("reports:csv")).content.decode()
    for text in (member.username, member.first_name, "four0", "Four0"):
        assert text not in body.split("<main")[1]
        assert text not in csv_body


def test_custom_period_errors_are_clear(client, hr):
    client.force_login(hr)
    response = client.get(
        reverse("reports:report"), {"period": "custom", "start": "2026-05-01", "end": "2026-01-01"}
    )
    assert "The period must start before it ends" in response.content.decode()


def test_thoughts_and_questions_per_member_are_suppressed_like_participation(client, hr, org_teams):
    from reflections import services as reflections_services

    big = org_teams["big"]
    author = big.members.first()
    for index in range(4):
        reflections_services.thought_post(author=author, team=big, kind="insight", body=f"t{index}")
    client.force_login(hr)
    rows = rhythm_rows(client.get(reverse("reports:report")))
    assert rows["Big"][5] == "0.5"  # 4 thoughts, 8 people
    assert rows["Four"][5] == "hidden" and rows["Five"][5] == "hidden"


@pytest.mark.parametrize("data", [None, {"teams": ["1"]}, {"teams": ["9"]}])
def test_team_checkboxes_render_exactly_like_djangos(data):
    """The report's team list is built in Python for speed; it must stay Django's markup
    (labels, ids, checked, aria-invalid on an error)."""
    from django import forms

    from reports.forms import TeamCheckboxes

    def form(widget):
        class Form(forms.Form):
            teams = forms.MultipleChoiceField(
                choices=[(1, "R&D <core>"), (2, "Care")], widget=widget, label="Teams"
            )

        bound = Form(data=data)
        if data:
            bound.is_valid()
        return str(bound["teams"].as_field_group())

    assert form(TeamCheckboxes) == form(forms.CheckboxSelectMultiple)
