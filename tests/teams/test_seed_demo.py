"""seed_demo: the demo organisation, its guards and idempotence."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from notifications.models import Notification
from reflections.models import Attendance, Prompt, Rhythm, Session
from teams.models import (
    CheckIn,
    Membership,
    Organization,
    OrgRole,
    PersonalGoal,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)


def counts():
    return (
        Organization.objects.count(),
        Team.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        OrgRole.objects.count(),
        StrategyTheme.objects.count(),
        TeamGoal.objects.count(),
        PersonalGoal.objects.count(),
        CheckIn.objects.count(),
        Rhythm.objects.count(),
        Session.objects.count(),
        Attendance.objects.count(),
        Prompt.objects.count(),
        Notification.objects.count(),
    )


def test_seed_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert counts() == (0,) * 14
    call_command("seed_demo", "--force")
    assert Organization.objects.filter(slug="demo").exists()


def test_seed_demo_twice_duplicates_nothing(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_the_demo_in_finnish_has_its_content_in_finnish(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo", "--language", "fi")
    organization = Organization.objects.get(slug="demo")
    assert organization.language == "fi"
    themes = set(StrategyTheme.objects.values_list("title", flat=True))
    assert "Yhdessä oppiminen" in themes and "Learning together" not in themes
    assert TeamGoal.objects.filter(title="Testit ensin -kehitys").exists()
    assert Team.objects.filter(organization=organization, name="Asiakaspalvelu").exists()
    assert not PersonalGoal.objects.filter(title="Stay calm when a customer is angry").exists()
    assert Rhythm.objects.filter(title="Viikon oppimishetki").exists()


@pytest.mark.parametrize(
    ("language", "period", "theme"),
    [("en", "", "Learning together"), ("fi", "year", "Yhdessä oppiminen")],
)
def test_hrs_demo_report_hides_no_cell_for_too_few_people(
    db, settings, client, language, period, theme
):
    """Every theme's figures, every team's and every month's are shown whole: the demo has
    enough people behind each (teams/demo.py, THEME_REGIONS), whatever today's date."""
    settings.DEBUG = True
    call_command("seed_demo", "--language", language)
    client.login(username="demo-hr", password="learn-together")
    response = client.get(reverse("reports:report"), {"period": period} if period else {})
    assert response.status_code == 200
    result = response.context["report"]
    assert result.months
    left_out = [
        (table.key, table.columns[column], row[0], "hidden" if value.hidden else "partial")
        for table in result.tables
        for row in table.rows
        for column, value in enumerate(row)
        if getattr(value, "hidden", False) or getattr(value, "partial", False)
    ]
    assert left_out == [], "\n".join(map(str, left_out))
    body = response.content.decode()
    assert "hidden-cell" not in body
    assert theme in body
