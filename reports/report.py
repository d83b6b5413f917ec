"""The HR report: aggregates assembled into tables, with small groups suppressed. The same
Report object draws the page, the charts and the CSV, so what is exported is what is shown."""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats, numberformat, translation
from django.utils.translation import gettext as _

from reports import rollups, selectors
from reports.periods import Period
from reports.suppression import Cell, remainder_allows, suppress_cells, suppress_series


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # first item a label, then Cells or ints


@dataclass
class Report:
    period: Period
    minimum: int
    teams: list
    unit_people: int
    unit_total_allowed: bool
    tables: list[Table]
    months: list
    fresh: datetime | None = None  # when the period's last month was computed


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def per(part: int, people: int) -> float | None:
    return round(part / people, 1) if people else None


def build(
    *, organization, team_ids: list[int] | None, period: Period, source=None, all_teams=None
) -> Report:
    """The report over the rollups (`source`: the tests pass their row-based reference,
    tests/reports/live_report.py).
    `all_teams`: the organisation's teams as `selectors.organisation_teams` gives them, when
    the caller has them already."""
    source = source or selectors
    minimum = organization.min_group_size
    fresh = None
    if source is selectors:
        computed = rollups.rollups_ensure(organization=organization, months=period.months)
        fresh = computed[period.months[-1]]
    if all_teams is None:
        all_teams = selectors.organisation_teams(organization)
    chosen = set(team_ids or ())
    teams = [team for team in all_teams if team.pk in chosen] if team_ids else list(all_teams)
    # Queries filter by the chosen teams' ids, or by a subquery for the whole organisation.
    unit = [team.pk for team in teams] if team_ids else selectors.unit_teams(organization, None)
    sizes = {team.pk: team.size for team in all_teams if team.size}
    unit_people, everyone = selectors.distinct_people(
        organization, [team.pk for team in teams] if team_ids else None
    )
    whole = not team_ids or len(teams) == len(sizes)
    allowed = remainder_allows(unit_people, everyone, minimum) or (whole and unit_people >= minimum)
    # The whole organisation reads its precomputed people counts.
    precomputed = {"organization": organization} if not team_ids else {}
    by_team, by_month, period_totals = source.activity(
        unit, period, organization.time_zone, sizes, minimum=minimum, **precomputed
    )
    themes = source.direction(
        organization, unit, period, organization.time_zone, whole=not team_ids, minimum=minimum
    )
    tables = [
        _rhythm_table(teams, sizes, by_team, minimum, unit_people, allowed),
        _direction_table(themes, minimum),
        _trend_table(period, by_month, period_totals, minimum, unit_people, allowed),
    ]
    return Report(period, minimum, teams, unit_people, allowed, tables, period.months, fresh)


def _rhythm_table(teams, sizes, by_team, minimum, unit_people, allowed) -> Table:
    table = Table(
        "rhythm",
        _("Rhythm health per team"),
        [
            _("Team"),
            _("People"),
            _("Planned"),
            _("Held"),
            _("Skipped"),
            _("Participation %"),
            _("Thoughts per member"),
            _("Questions per member"),
            _("Questions answered %"),
        ],
    )
    participation, thoughts, questions, answered = [], [], [], []
    totals = dict.fromkeys(
        ("planned", "held", "skipped", "attendances", "seats", "thoughts", "questions"), 0
    )
    totals["answered"] = 0
    empty = dict.fromkeys(("planned", "held", "skipped"), 0)
    for team in teams:
        row = by_team.get(team.pk, empty)
        people = sizes.get(team.pk, 0)
        seats = people * row["held"]
        cell = Cell(rate(row.get("attendances", 0), seats), people)
        participation.append(cell)
        thoughts.append(Cell(per(row.get("thoughts", 0), people), people))
        questions.append(Cell(per(row.get("questions", 0), people), people))
        answered.append(Cell(rate(row.get("answered", 0), row.get("questions", 0)), people))
        table.rows.append(
            [team.name, people, row["planned"], row["held"], row["skipped"], cell]
            + [thoughts[-1], questions[-1], answered[-1]]
        )
        for key in totals:
            totals[key] += row.get(key, 0)
        totals["seats"] += seats
    series_totals = [
        (participation, Cell(rate(totals["attendances"], totals["seats"]), unit_people)),
        (thoughts, Cell(per(totals["thoughts"], unit_people), unit_people)),
        (questions, Cell(per(totals["questions"], unit_people), unit_people)),
        (answered, Cell(rate(totals["answered"], totals["questions"]), unit_people)),
    ]
    for series, total in series_totals:
        suppress_series(series, total, minimum, total_allowed=allowed)
    table.rows.append(
        [_("All selected teams"), unit_people, totals["planned"], totals["held"], totals["skipped"]]
        + [total for _series, total in series_totals]
    )
    return table


def _direction_table(themes, minimum) -> Table:
    table = Table(
        "direction",
        _("Learning direction per strategy theme"),
        [
            _("Strategy theme"),
            _("Team goals"),
            _("Shared personal goals"),
            _("Active learners"),
            _("Thoughts linked"),
        ],
    )
    for row in themes:
        goals = Cell(row["personal_goals"], row["goal_people"])
        learners = Cell(row["learners"], row["learners"])
        thoughts = Cell(row["thoughts"], min(row["thought_people"], minimum))  # see at_least
        suppress_cells((goals, learners, thoughts), minimum)
        table.rows.append([row["theme"].title, row["team_goals"], goals, learners, thoughts])
    return table


def _trend_table(period, by_month, period_totals, minimum, unit_people, allowed) -> Table:
    months = period.months
    table = Table(
        "trends",
        _("Trends per month"),
        [
            _("Month"),
            _("Sessions held"),
            _("Participation %"),
            _("Active learners"),
            _("Thoughts"),
            _("Pulse average (1-5)"),
        ],
    )
    empty: dict = {}
    month_rows = [by_month.get(month, empty) for month in months]
    thought_cells = [Cell(row.get("thoughts", 0), row.get("authors", 0)) for row in month_rows]
    pulse_cells = [Cell(_average(row.get("pulse")), row.get("pulsers", 0)) for row in month_rows]
    # These people counts are only compared with the minimum: counted up to it (selectors.at_least).
    total_thoughts = Cell(
        sum(c.value for c in thought_cells), min(period_totals["authors"], minimum)
    )
    total_pulse = Cell(_average(period_totals["pulse"]), min(period_totals["pulsers"], minimum))
    for series, total in ((thought_cells, total_thoughts), (pulse_cells, total_pulse)):
        for cell in series:
            if not cell.value:
                cell.people = max(cell.people, minimum)  # nothing recorded: nothing to protect
        suppress_series(series, total, minimum, total_allowed=allowed)
    participation = [
        Cell(rate(row.get("attendances", 0), row.get("seats", 0)), row.get("attendees", 0))
        for row in month_rows
    ]
    learner_cells = [Cell(row.get("learners", 0), row.get("learners", 0)) for row in month_rows]
    attended_total = sum(row.get("attendances", 0) for row in month_rows)
    seats_total = sum(row.get("seats", 0) for row in month_rows)
    total_participation = Cell(rate(attended_total, seats_total), unit_people)
    total_learners = Cell(None, 0)  # distinct people over months do not add up; not shown
    for cell in participation:
        if cell.value is None:
            cell.people = max(cell.people, minimum)  # no session held: nothing to protect
    suppress_series(participation, total_participation, minimum, total_allowed=allowed)
    suppress_cells(learner_cells, minimum)
    for index, month in enumerate(months):
        label = formats.date_format(month, "YEAR_MONTH_FORMAT")
        table.rows.append(
            [label, month_rows[index].get("held", 0), participation[index], learner_cells[index]]
            + [thought_cells[index], pulse_cells[index]]
        )
    table.rows.append(
        [_("Whole period"), sum(row.get("held", 0) for row in month_rows), total_participation]
        + [total_learners, total_thoughts, total_pulse]
    )
    return table


def _average(value) -> float | None:
    return round(float(value), 1) if value is not None else None


def display(value) -> str:
    """How a cell reads on the page and in the CSV."""
    if isinstance(value, Cell):
        if value.hidden:
            return _("hidden")
        if value.value is None:
            return "–"
        return _number(value.value, 1 if isinstance(value.value, float) else None)
    return str(value)


def _number(value, decimal_pos) -> str:
    # formats.number_format, with the language's separators looked up once per language:
    # a whole-organisation report formats some ten thousand figures.
    decimal, grouping, thousands = _separators(translation.get_language())
    return numberformat.format(value, decimal, decimal_pos, grouping, thousands, use_l10n=True)


@functools.cache
def _separators(language: str | None) -> tuple:
    return tuple(
        formats.get_format(name, language)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )
