"""CSV exports cannot carry spreadsheet formulas (OWASP's CSV injection rule)."""

import csv
import io

import pytest
from django.urls import reverse

from learning_lead import csv_safe
from tests.reports.test_report_views import held_session, team_of


@pytest.mark.parametrize(
    "raw",
    ['=HYPERLINK("http://evil")', "+SUM(A1)", "-2+3", "@SUM(A1)", "\tX", "\rX", "=1"],
)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_quote(raw):
    assert csv_safe.neutralise(raw) == "'" + raw


@pytest.mark.parametrize("value", ["Team A", "-5", "+1.5", "-0,5", "12%", 7, -3.5, None, ""])
def test_plain_text_and_numbers_are_left_as_they_are(value):
    assert csv_safe.neutralise(value) == value


def test_a_team_named_like_a_formula_reaches_the_report_csv_as_text(client, acme, hr):
    team, people = team_of(acme, "=HYPERLINK(1)", 5)
    held_session(team, people)
    client.force_login(hr)
    response = client.get(reverse("reports:csv"), {"period": "year"})
    cells = [value for row in csv.reader(io.StringIO(response.content.decode())) for value in row]
    assert "'=HYPERLINK(1)" in cells
    assert not any(value.startswith(csv_safe.FORMULA_START) for value in cells if value)
