"""The HR report: aggregates assembled into tables, with small groups suppressed. The same
Report object draws the page, the charts and the CSV, so what is exported is what is shown."""

import zoneinfo
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from reports import selectors
from reports.periods import Period
from reports.suppression import Cell, remainder_allows, suppress_series


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


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def build(*, organization, team_ids: list[int] | None, period: Period) -> Report:
    minimum = organization.min_group_size
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    start, end = period.bounds(organization.time_zone)
    all_teams = selectors.unit_teams(organization, None)
    teams = list(selectors.unit_teams(organization, team_ids))
    sizes = selectors.team_sizes(all_teams)
    unit_people = selectors.distinct_people(teams)
    whole = not team_ids or len(teams) == len(sizes)
    allowed = remainder_allows(unit_people, selectors.distinct_people(all_teams), minimum) or (
        whole and unit_people >= minimum
    )
    tables = [
        _rhythm_table(teams, sizes, start, end, minimum, unit_people, allowed),
        _direction_table(organization, teams, start, end, minimum),
        _trend_table(teams, period, start, end, zone, minimum, unit_people, allowed),
    ]
    return Report(period, minimum, teams, unit_people, allowed, tables, period.months)


def _rhythm_table(teams, sizes, start, end, minimum, unit_people, allowed) -> Table:
    sessions = selectors.sessions_by_team(teams, start, end)
    attended = selectors.attendance_by_team(teams, start, end)
    table = Table(
        "rhythm",
        _("Rhythm health per team"),
        [_("Team"), _("People"), _("Planned"), _("Held"), _("Skipped"), _("Participation %")],
    )
    participation = []
    totals = {"planned": 0, "held": 0, "skipped": 0, "attended": 0, "seats": 0}
    for team in teams:
        row = sessions.get(team.pk, {"planned": 0, "held": 0, "skipped": 0})
        people = sizes.get(team.pk, 0)
        seats = people * row["held"]
        cell = Cell(rate(attended.get(team.pk, 0), seats), people)
        participation.append(cell)
        table.rows.append([team.name, people, row["planned"], row["held"], row["skipped"], cell])
        for key in ("planned", "held", "skipped"):
            totals[key] += row[key]
        totals["attended"] += attended.get(team.pk, 0)
        totals["seats"] += seats
    total = Cell(rate(totals["attended"], totals["seats"]), unit_people)
    if not allowed:
        total.hidden, total.reason = True, "remainder"
    suppress_series(participation, total, minimum)
    table.rows.append(
        [
            _("All selected teams"),
            unit_people,
            totals["planned"],
            totals["held"],
            totals["skipped"],
            total,
        ]
    )
    return table


def _direction_table(organization, teams, start, end, minimum) -> Table:
    table = Table(
        "direction",
        _("Learning direction per strategy theme"),
        [_("Strategy theme"), _("Team goals"), _("Shared personal goals"), _("Active learners")],
    )
    for row in selectors.direction_by_theme(organization, teams, start, end):
        goals = Cell(row["personal_goals"], row["goal_people"])
        learners = Cell(row["learners"], row["learners"])
        for cell in (goals, learners):
            if cell.value and cell.people < minimum:
                cell.hidden, cell.reason = True, "small"
        table.rows.append([row["theme"].title, row["team_goals"], goals, learners])
    return table


def _trend_table(teams, period, start, end, zone, minimum, unit_people, allowed) -> Table:
    held = selectors.monthly_sessions(teams, start, end, zone)
    attendees = selectors.monthly_attendees(teams, start, end, zone)
    seats = selectors.monthly_seats(teams, start, end, zone)
    learners = selectors.monthly_learners(teams, start, end)
    months = period.months
    table = Table(
        "trends",
        _("Trends per month"),
        [_("Month"), _("Sessions held"), _("Participation %"), _("Active learners")],
    )
    participation = [
        Cell(rate(held.get(m, {}).get("attendances", 0), seats.get(m, 0)), attendees.get(m, 0))
        for m in months
    ]
    learner_cells = [Cell(learners.get(m, 0), learners.get(m, 0)) for m in months]
    attended_total = sum(row["attendances"] for row in held.values())
    total_participation = Cell(rate(attended_total, sum(seats.values())), unit_people)
    total_learners = Cell(None, 0)  # distinct people over months do not add up; not shown
    if not allowed:
        total_participation.hidden, total_participation.reason = True, "remainder"
    suppress_series(participation, total_participation, minimum)
    for cell in learner_cells:
        if cell.value and cell.people < minimum:
            cell.hidden, cell.reason = True, "small"
    for index, month in enumerate(months):
        label = formats.date_format(month, "YEAR_MONTH_FORMAT")
        held_count = held.get(month, {}).get("held", 0)
        table.rows.append([label, held_count, participation[index], learner_cells[index]])
    table.rows.append(
        [
            _("Whole period"),
            sum(r["held"] for r in held.values()),
            total_participation,
            total_learners,
        ]
    )
    return table


def display(value) -> str:
    """How a cell reads on the page and in the CSV."""
    if isinstance(value, Cell):
        if value.hidden:
            return _("hidden")
        if value.value is None:
            return "–"
        return formats.number_format(
            value.value, decimal_pos=1 if isinstance(value.value, float) else None
        )
    return str(value)
