"""The HR report: aggregates assembled into tables, with small groups suppressed. The same
Report object draws the page, the charts and the CSV, so what is exported is what is shown."""

import zoneinfo
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from reports import selectors
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


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def per(part: int, people: int) -> float | None:
    return round(part / people, 1) if people else None


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
    posts = selectors.posts_by_team(teams, start, end)
    participation, thoughts, questions, answered = [], [], [], []
    totals = {"planned": 0, "held": 0, "skipped": 0, "attended": 0, "seats": 0}
    for team in teams:
        row = sessions.get(team.pk, {"planned": 0, "held": 0, "skipped": 0})
        people = sizes.get(team.pk, 0)
        seats = people * row["held"]
        cell = Cell(rate(attended.get(team.pk, 0), seats), people)
        participation.append(cell)
        post = posts.get(team.pk, {})
        thoughts.append(Cell(per(post.get("thoughts", 0), people), people))
        questions.append(Cell(per(post.get("questions", 0), people), people))
        answered.append(
            Cell(rate(post.get("answered", 0), post.get("questions_with_status", 0)), people)
        )
        table.rows.append(
            [team.name, people, row["planned"], row["held"], row["skipped"], cell]
            + [thoughts[-1], questions[-1], answered[-1]]
        )
        for key in ("planned", "held", "skipped"):
            totals[key] += row[key]
        for key in ("thoughts", "questions", "answered", "questions_with_status"):
            totals[key] = totals.get(key, 0) + post.get(key, 0)
        totals["attended"] += attended.get(team.pk, 0)
        totals["seats"] += seats
    series_totals = [
        (participation, Cell(rate(totals["attended"], totals["seats"]), unit_people)),
        (thoughts, Cell(per(totals.get("thoughts", 0), unit_people), unit_people)),
        (questions, Cell(per(totals.get("questions", 0), unit_people), unit_people)),
        (
            answered,
            Cell(
                rate(totals.get("answered", 0), totals.get("questions_with_status", 0)), unit_people
            ),
        ),
    ]
    for series, total in series_totals:
        suppress_series(series, total, minimum, total_allowed=allowed)
    table.rows.append(
        [_("All selected teams"), unit_people, totals["planned"], totals["held"], totals["skipped"]]
        + [total for _series, total in series_totals]
    )
    return table


def _direction_table(organization, teams, start, end, minimum) -> Table:
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
    linked = selectors.thoughts_by_theme(teams, start, end)
    for row in selectors.direction_by_theme(organization, teams, start, end):
        goals = Cell(row["personal_goals"], row["goal_people"])
        learners = Cell(row["learners"], row["learners"])
        theme_thoughts = linked.get(row["theme"].pk, {"n": 0, "people": 0})
        thoughts = Cell(theme_thoughts["n"], theme_thoughts["people"])
        suppress_cells((goals, learners, thoughts), minimum)
        table.rows.append([row["theme"].title, row["team_goals"], goals, learners, thoughts])
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
        [
            _("Month"),
            _("Sessions held"),
            _("Participation %"),
            _("Active learners"),
            _("Thoughts"),
            _("Pulse average (1-5)"),
        ],
    )
    thoughts = selectors.monthly_thoughts(teams, start, end, zone)
    pulse = selectors.monthly_pulse(teams, start, end, zone)
    thought_cells = [
        Cell(thoughts.get(m, {}).get("n", 0), thoughts.get(m, {}).get("people", 0)) for m in months
    ]
    pulse_cells = [
        Cell(_average(pulse.get(m, {}).get("average")), pulse.get(m, {}).get("people", 0))
        for m in months
    ]
    whole_pulse = selectors.period_pulse(teams, start, end)
    total_thoughts = Cell(
        sum(c.value for c in thought_cells), selectors.period_thought_authors(teams, start, end)
    )
    total_pulse = Cell(_average(whole_pulse["average"]), whole_pulse["people"])
    for series, total in ((thought_cells, total_thoughts), (pulse_cells, total_pulse)):
        for cell in series:
            if not cell.value:
                cell.people = max(cell.people, minimum)  # nothing recorded: nothing to protect
        suppress_series(series, total, minimum, total_allowed=allowed)
    participation = [
        Cell(rate(held.get(m, {}).get("attendances", 0), seats.get(m, 0)), attendees.get(m, 0))
        for m in months
    ]
    learner_cells = [Cell(learners.get(m, 0), learners.get(m, 0)) for m in months]
    attended_total = sum(row["attendances"] for row in held.values())
    total_participation = Cell(rate(attended_total, sum(seats.values())), unit_people)
    total_learners = Cell(None, 0)  # distinct people over months do not add up; not shown
    for cell in participation:
        if cell.value is None:
            cell.people = max(cell.people, minimum)  # no session held: nothing to protect
    suppress_series(participation, total_participation, minimum, total_allowed=allowed)
    suppress_cells(learner_cells, minimum)
    for index, month in enumerate(months):
        label = formats.date_format(month, "YEAR_MONTH_FORMAT")
        held_count = held.get(month, {}).get("held", 0)
        table.rows.append(
            [label, held_count, participation[index], learner_cells[index]]
            + [thought_cells[index], pulse_cells[index]]
        )
    table.rows.append(
        [_("Whole period"), sum(r["held"] for r in held.values()), total_participation]
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
        return formats.number_format(
            value.value, decimal_pos=1 if isinstance(value.value, float) else None
        )
    return str(value)
