"""The HR report: who may open it, suppression on real data, CSV equal to the page."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services as reflections
from reflections.models import Thought
from reports import rollups
from reports.models import RollupMonth
from teams import services as teams
from tests.conftest import make_user

PARTICIPATION = 4  # columns after the team name: people, planned, held, skipped, participation
THOUGHTS = 5  # thoughts per member


# A day of the latest published month whatever today is: published months end at least
# REPORT_PUBLISH_AFTER_DAYS (2) before today, and 40 days ago lies in one of them.
PAST = 40


def held_session(team, people, days_ago=PAST):
    session = reflections.session_add(
        team=team,
        title="Reflection",
        starts_at=timezone.now() - timedelta(days=days_ago),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    reflections.session_hold(session=session, attendees=people)
    return session


def post_thoughts(team, authors, days_ago=PAST):
    for author in authors:
        thought = reflections.thought_post(author=author, team=team, kind="insight", body="x")
        Thought.objects.filter(pk=thought.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )


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
    held_session(five, five_people)
    held_session(big, big_people[:6])
    return {"four": four, "five": five, "big": big, "people": big_people}


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


def test_a_small_group_is_hidden_and_so_is_the_team_that_would_give_it_away(client, hr, org_teams):
    client.force_login(hr)
    rows = rhythm_rows(client.get(reverse("reports:report")))
    assert rows["Four"][PARTICIPATION] == "hidden"  # 3 took part: below the minimum of 5
    # Five (5 took part) could stand on its own, but the organisation's total minus Big and
    # Five would then give Four's three away: Five is hidden too.
    assert rows["Five"][PARTICIPATION] == "hidden"
    assert rows["Big"][PARTICIPATION] == "75.0"  # 6 of 8 took part
    assert rows["All selected teams"][PARTICIPATION] == "82.4"  # 14 of 17: the whole pool
    # Session counts are facts about the team, not about people.
    assert rows["Four"][:4] == ["4", "1", "1", "0"]


def test_a_choice_of_teams_adds_up_only_shown_figures(client, hr, org_teams):
    client.force_login(hr)
    selection = {"teams": [org_teams["five"].pk, org_teams["big"].pk]}
    rows = rhythm_rows(client.get(reverse("reports:report"), selection))
    # Five and Big together would give Four away against the organisation's total: the
    # choice's total counts Big alone, and says that it leaves something out.
    assert rows["All selected teams"][PARTICIPATION] == "75.0*"
    body = client.get(reverse("reports:report"), selection).content.decode()
    assert "* Counts only the months and teams whose figures can be shown." in body


def test_the_minimum_group_size_is_fixed_with_each_published_month(client, hr, acme, org_teams):
    acme.min_group_size = 3
    acme.save()
    client.force_login(hr)
    rows = rhythm_rows(client.get(reverse("reports:report")))
    assert rows["Four"][PARTICIPATION] == "75.0"

    acme.min_group_size = 10
    acme.save()
    # HR has seen the month with 3: it stays as it was published.
    assert rhythm_rows(client.get(reverse("reports:report"))) == rows
    assert RollupMonth.objects.filter(min_group_size=3).exists()
    assert not RollupMonth.objects.filter(min_group_size=10).exists()


def test_published_figures_do_not_move_with_later_edits(client, hr, org_teams):
    client.force_login(hr)
    before = client.get(reverse("reports:csv")).content
    # A late edit to the published month (a thought dated into it) changes nothing shown.
    post_thoughts(org_teams["big"], org_teams["people"][:5])
    rollups.rollups_refresh_recent()
    assert client.get(reverse("reports:csv")).content == before


def test_the_current_month_is_not_published(client, hr, org_teams):
    post_thoughts(org_teams["big"], org_teams["people"], days_ago=0)
    client.force_login(hr)
    response = client.get(reverse("reports:report"), {"period": "custom", **this_month()})
    body = response.content.decode()
    assert "not published yet" in body
    assert rhythm_rows(response)["Big"][THOUGHTS] == "0.0"


def this_month() -> dict:
    today = timezone.localdate()
    return {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}


def test_csv_has_exactly_the_figures_on_the_page(client, hr, org_teams):
    client.force_login(hr)
    page = client.get(reverse("reports:report"), {"period": "year"})
    response = client.get(reverse("reports:csv"), {"period": "year"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    page_rows = rhythm_rows(page)
    csv_rhythm = rows[rows.index(["Rhythm health per team"]) + 2 :][: len(page_rows)]
    assert {row[0]: row[1:] for row in csv_rhythm} == page_rows
    body = html.unescape(page.content.decode())
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


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        ("2026-05-01", "2026-01-01", "The period must start before it ends"),
        ("9999-01-01", "9999-12-01", "Choose months from January 2000 up to this month"),
        ("1999-01-01", "1999-02-01", "Choose months from January 2000 up to this month"),
    ],
)
def test_custom_period_errors_are_clear(client, hr, start, end, error):
    client.force_login(hr)
    query = {"period": "custom", "start": start, "end": end}
    response = client.get(reverse("reports:report"), query)
    assert error in response.content.decode()
    assert client.get(reverse("reports:csv"), query).status_code == 200


def test_thoughts_per_member_rest_on_their_authors(client, hr, org_teams):
    big, people = org_teams["big"], org_teams["people"]
    post_thoughts(big, [people[0]] * 4)
    client.force_login(hr)
    rows = rhythm_rows(client.get(reverse("reports:report")))
    assert rows["Big"][THOUGHTS] == "hidden"  # four thoughts, one author
    assert rows["Big"][THOUGHTS + 1] == "0.0"  # no questions: a zero rests on nobody


def test_thoughts_of_five_authors_are_shown(client, hr, org_teams):
    big, people = org_teams["big"], org_teams["people"]
    post_thoughts(big, people[:5])
    client.force_login(hr)
    rows = rhythm_rows(client.get(reverse("reports:report")))
    assert rows["Big"][THOUGHTS] == "0.6"  # 5 thoughts, 8 people


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Why hidden: too few people stand behind that figure."),
        ("fi", "Miksi piilotettu"),
    ],
)
def test_the_page_says_why_a_figure_is_hidden_and_how_to_see_more(
    client, hr, org_teams, language, sentence
):
    hr.language = language
    hr.save(update_fields=["language"])
    client.force_login(hr)
    body = client.get(reverse("reports:report")).content.decode()
    assert sentence in body


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


@pytest.mark.parametrize(("start", "end"), [("2026-01", "2026-03"), ("01/2026", "3.2026")])
def test_custom_months_are_picked_as_months(client, hr, start, end):
    client.force_login(hr)
    query = {"period": "custom", "start": start, "end": end}
    body = client.get(reverse("reports:report"), query).content.decode()
    assert 'type="month" name="start"' in body
    assert "Choose both months of a custom period." not in body  # (hr reads English)
    assert "aria-invalid" not in body
