"""Strategy themes: HR and admins manage them, nobody else can, and bad input is explained."""

import pytest
from django.urls import reverse

from teams import direction_services
from teams.models import StrategyTheme

VALID = {"title": "Data literacy", "description": "Decisions from data", "order": "2"}


@pytest.mark.parametrize("persona", ["hr", "admin"])
def test_hr_and_admin_add_a_theme_to_their_own_organisation(client, personas, acme, persona):
    client.force_login(personas[persona])
    response = client.post(reverse("teams:theme_create"), VALID | {"starts_on": "2026-01-01"})
    assert response["Location"] == reverse("teams:themes")
    theme = StrategyTheme.objects.get()
    assert (theme.organization, theme.title, theme.order) == (acme, "Data literacy", 2)
    assert str(theme.starts_on) == "2026-01-01"


@pytest.mark.parametrize("persona", ["supervisor", "member", "other_member"])
def test_others_cannot_add_edit_or_list_themes(client, personas, theme, persona):
    client.force_login(personas[persona])
    assert client.post(reverse("teams:theme_create"), VALID).status_code == 403
    edit = client.post(reverse("teams:theme_edit", args=[theme.pk]), VALID)
    assert edit.status_code == 403
    assert client.get(reverse("teams:themes")).status_code == 403
    assert list(StrategyTheme.objects.values_list("title", flat=True)) == ["Customer first"]


def test_hr_of_another_organisation_gets_404_for_a_theme_and_does_not_see_it(
    client, foreigner, theme
):
    client.force_login(foreigner)
    response = client.post(reverse("teams:theme_edit", args=[theme.pk]), VALID)
    assert response.status_code == 404
    assert "Customer first" not in client.get(reverse("teams:themes")).content.decode()
    theme.refresh_from_db()
    assert theme.title == "Customer first"


def test_hr_edits_a_theme(client, hr, theme):
    client.force_login(hr)
    client.post(
        reverse("teams:theme_edit", args=[theme.pk]),
        VALID | {"starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    theme.refresh_from_db()
    assert (theme.title, str(theme.ends_on)) == ("Data literacy", "2026-12-31")


def test_theme_ending_before_it_starts_is_refused_and_the_input_kept(client, hr):
    client.force_login(hr)
    response = client.post(
        reverse("teams:theme_create"),
        VALID | {"starts_on": "2026-06-01", "ends_on": "2026-01-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "cannot end before it starts" in body
    assert "Decisions from data" in body
    assert not StrategyTheme.objects.exists()


def test_duplicate_theme_title_in_the_organisation_is_refused(client, hr, theme):
    client.force_login(hr)
    response = client.post(reverse("teams:theme_create"), VALID | {"title": "customer FIRST"})
    assert "already has a theme with this title" in response.content.decode()
    assert StrategyTheme.objects.count() == 1


def test_same_theme_title_is_fine_in_another_organisation(client, foreigner, theme):
    client.force_login(foreigner)
    client.post(reverse("teams:theme_create"), VALID | {"title": "Customer first"})
    assert StrategyTheme.objects.filter(title="Customer first").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"title": "x" * 121}, "at most 120 characters"),
        ({"order": "5000"}, "less than or equal to 1000"),
        ({"order": "-1"}, "greater than or equal to 0"),
        ({"starts_on": "31.02.2026"}, "Enter a valid date"),
    ],
)
def test_bad_theme_input_gives_a_clear_message(client, hr, data, message):
    client.force_login(hr)
    response = client.post(reverse("teams:theme_create"), VALID | data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StrategyTheme.objects.exists()


def test_theme_list_counts_active_team_goals_only(client, hr, theme, team_goal, team_a, supervisor):
    dropped = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Old", why="x", themes=[theme]
    )
    direction_services.team_goal_update(
        goal=dropped, title="Old", why="x", themes=[theme], status="dropped"
    )
    client.force_login(hr)
    response = client.get(reverse("teams:themes"))
    assert [theme.goal_count for theme in response.context["themes"]] == [1]


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("hr", True), ("admin", True), ("supervisor", False), ("member", False)],
)
def test_navigation_offers_themes_to_hr_and_admins_and_my_learning_to_all(
    client, personas, persona, shown
):
    client.force_login(personas[persona])
    body = client.get(reverse("home")).content.decode()
    assert (reverse("teams:themes") in body) is shown
    assert reverse("reflections:my_learning") in body


@pytest.mark.parametrize(("persona", "shown"), [("supervisor", True), ("admin", False)])
def test_team_page_links_to_its_direction_for_the_teams_own_people(
    client, personas, team_a, persona, shown
):
    client.force_login(personas[persona])
    body = client.get(reverse("teams:detail", args=[team_a.pk])).content.decode()
    assert (reverse("reflections:team_direction", args=[team_a.pk]) in body) is shown


def test_themes_are_listed_from_the_smallest_order_up_zero_first(client, hr, acme):
    """The help text says "from the smallest number up": order 0 (the default) comes first,
    whatever the titles and whenever the theme was added."""
    for title, order in [("Agile delivery", 5), ("Better care", 1), ("Zero harm", 0)]:
        direction_services.theme_create(organization=acme, title=title, order=order)
    client.force_login(hr)
    page = client.get(reverse("teams:themes")).content.decode()
    rows = [page.index(f">{title}") for title in ("Zero harm", "Better care", "Agile delivery")]
    assert rows == sorted(rows)
