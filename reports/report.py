"""The HR report: tables built only from published cells (reports/publication.py). Every figure
adds up shown cells of published months, over teams and months, and says which (`parts`); a
hidden cell never enters a figure. So whatever any number of requests shows, over any period
and any choice of teams, lies in the span of the shown cells, which the publication rule keeps
safe. The same Report draws the page, the charts and the CSV."""

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.utils import formats, numberformat, translation
from django.utils.translation import gettext as _

from reports import rollups, selectors
from reports.periods import Period


@dataclass
class Cell:
    value: float | int | None
    hidden: bool = False
    partial: bool = False  # some of its months or teams could not be shown and are left out
    parts: tuple = ()  # the shown cells it is made of: (kind, family, [theme or team,] month)


class Part(NamedTuple):
    """One published cell as a figure uses it (a tuple: a whole-organisation report makes
    tens of thousands)."""

    key: tuple
    shown: bool
    amount: float
    base: float = 0


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # first item a label, then Cells or ints
    note: str = ""

    @property
    def notes(self) -> list[str]:
        """What the table says below itself (page and CSV alike)."""
        notes = [self.note] if self.note else []
        if any(isinstance(value, Cell) and value.partial for row in self.rows for value in row):
            notes.append(_("* Counts only the months and teams whose figures can be shown."))
        return notes


@dataclass
class Report:
    period: Period
    minimum: int
    teams: list
    unit_people: int
    tables: list[Table]
    months: list[date]  # the published months of the period
    pending: list[date]  # the period's months not published yet
    fresh: datetime | None = None  # when the period's last published month was sealed

    @property
    def hidden(self) -> bool:
        return any(
            isinstance(value, Cell) and value.hidden
            for table in self.tables
            for row in table.rows
            for value in row
        )


class Sum:
    """Published cells added up into one figure: what is shown, and whether any cell with
    something in it had to be left out."""

    __slots__ = ("amount", "base", "counted", "keys", "relevant")

    def __init__(self):
        self.amount = self.base = self.counted = self.relevant = 0
        self.keys = []

    def add(self, key: tuple, shown: bool, amount, base=0) -> None:
        self.counted += shown
        if amount or base:  # nothing recorded: neither hidden nor shown, it adds nothing
            self.relevant += 1
            if shown:
                self.keys.append(key)
                self.amount += amount
                self.base += base

    def cell(self, how: str, *, people: int = 0) -> Cell:
        """`how`: "sum", "rate" (per cent of the bases), "average" (amount per base), "per"
        (per person of `people`), "mean" (per cell shown, a cell with nothing counting as 0)."""
        if self.relevant and not self.keys:
            return Cell(None, hidden=True)
        amount, base = self.amount, self.base
        if how == "sum":
            value = amount
        elif how == "rate":
            value = round(100 * amount / base, 1) if base else None
        elif how == "average":
            value = round(amount / base, 1) if base else None
        elif how == "per":
            value = round(amount / people, 1) if people else None
        else:
            value = round(amount / self.counted, 1) if self.counted else None
        partial = len(self.keys) < self.relevant
        return Cell(value, partial=partial, parts=tuple(sorted(self.keys)))


def summed(parts: list[Part]) -> Sum:
    total = Sum()
    for part in parts:
        total.add(*part)
    return total


def combine(parts: list[Part], how: str, *, people: int = 0) -> Cell:
    """One figure over published cells (see `Sum.cell` for `how`)."""
    return summed(parts).cell(how, people=people)


def build(
    *,
    organization,
    team_ids: list[int] | None,
    period: Period,
    all_teams=None,
    published: dict | None = None,
) -> Report:
    """`all_teams`: the organisation's teams as `selectors.organisation_teams` gives them,
    and `published`: what `rollups.rollups_ensure` gives for the period's months, when the
    caller has them already."""
    if published is None:
        published = rollups.rollups_ensure(organization=organization, months=period.months)
    months = sorted(published)
    pending = [month for month in period.months if month not in published]
    if all_teams is None:
        all_teams = selectors.organisation_teams(organization)
    chosen = set(team_ids or ())
    whole = not team_ids
    teams = list(all_teams) if whole else [team for team in all_teams if team.pk in chosen]
    unit = selectors.unit_teams(organization, None) if whole else [t.pk for t in teams]
    unit_people = selectors.distinct_people(organization, None if whole else list(chosen))
    cells = selectors.team_months(unit, months)
    pools = selectors.org_months(organization, months) if whole else None
    themes = selectors.themes(organization, unit)
    theme_cells = selectors.theme_months(organization, months)
    tables = [
        _rhythm_table(teams, cells, pools, months, unit_people),
        _direction_table(themes, theme_cells, months),
        _trend_table(cells, pools, months),
    ]
    fresh = published[months[-1]] if months else None
    return Report(
        period, organization.min_group_size, teams, unit_people, tables, months, pending, fresh
    )


# The parts of each figure: from a team cell (a TeamMonth row as a dict) or a pool (OrgMonth).


def _team_parts(rows, family: str, amount: str, base=None) -> list[Part]:
    return [
        Part(
            ("team", family, row["team_id"], row["month"]),
            row[f"shown_{family}"],
            row[amount],
            base(row) if base else 0,
        )
        for row in rows
    ]


def _pool_parts(pools, family: str, amount: str, base: str | None = None) -> list[Part]:
    return [
        Part(
            ("org", family, month),
            getattr(pool, f"shown_{family}"),
            getattr(pool, amount),
            getattr(pool, base) if base else 0,
        )
        for month, pool in sorted(pools.items())
    ]


def _seats(row) -> int:
    return row["held"] * row["members"]


def _rhythm_table(teams, cells, pools, months, unit_people) -> Table:
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
    by_team: dict[int, list] = {}
    for row in cells:
        by_team.setdefault(row["team_id"], []).append(row)

    def team_sums(rows) -> dict[str, Sum]:
        # One pass over the teams' months (a whole organisation has a thousand teams).
        sums = {name: Sum() for name in ("attendance", "thoughts", "questions", "answered")}
        attendance, thoughts, questions, answered = sums.values()
        for row in rows:
            team, month = row["team_id"], row["month"]
            attendance.add(
                ("team", "attendance", team, month),
                row["shown_attendance"],
                row["attendances"],
                row["held"] * row["members"],
            )
            thoughts.add(("team", "thoughts", team, month), row["shown_thoughts"], row["thoughts"])
            key = ("team", "questions", team, month)
            questions.add(key, row["shown_questions"], row["questions"])
            answered.add(key, row["shown_questions"], row["answered"], row["questions"])
        return sums

    def figures(rows, people, sums) -> list:
        return [
            *(sum(row[name] for row in rows) for name in ("planned", "held", "skipped")),
            sums["attendance"].cell("rate"),
            sums["thoughts"].cell("per", people=people),
            sums["questions"].cell("per", people=people),
            sums["answered"].cell("rate"),
        ]

    for team in teams:
        rows = by_team.get(team.pk, [])
        table.rows.append([team.name, team.size, *figures(rows, team.size, team_sums(rows))])
    if pools is None:
        whole = team_sums(cells)
    else:  # the whole organisation: its own monthly pools, not the teams' cells added up
        whole = {
            "attendance": summed(_pool_parts(pools, "attendance", "attendances", "seats")),
            "thoughts": summed(_pool_parts(pools, "thoughts", "thoughts")),
            "questions": summed(_pool_parts(pools, "questions", "questions")),
            "answered": summed(_pool_parts(pools, "questions", "answered", "questions")),
        }
    table.rows.append([_("All selected teams"), unit_people, *figures(cells, unit_people, whole)])
    return table


def _direction_table(themes, theme_cells, months) -> Table:
    table = Table(
        "direction",
        _("Learning direction per strategy theme"),
        [
            _("Strategy theme"),
            _("Team goals"),
            _("Shared personal goals"),
            _("People with a shared goal"),
            _("Active learners per month"),
            _("People posting on it per month"),
        ],
        note=_(
            "Personal goals, learners and posts are counted across the whole organisation; "
            "goals as they were at the end of the period's last published month."
        ),
    )
    last = months[-1] if months else None
    for theme in themes:
        at_end = theme_cells.get((theme.pk, last))
        key = ("theme", "goals", theme.pk, last)
        shared = [Part(key, at_end.shown_goals, at_end.shared_goals)] if at_end else []
        holders = [Part(key, at_end.shown_goals, at_end.goal_people)] if at_end else []

        def monthly(family, amount, theme=theme):
            return [
                Part(
                    ("theme", family, theme.pk, month),
                    getattr(found, f"shown_{family}"),
                    getattr(found, amount),
                )
                for month in months
                if (found := theme_cells.get((theme.pk, month))) is not None
            ]

        table.rows.append(
            [
                theme.title,
                theme.n_team_goals,
                combine(shared, "sum"),
                combine(holders, "sum"),
                combine(monthly("learners", "learners"), "mean"),
                combine(monthly("authors", "authors"), "mean"),
            ]
        )
    return table


def _trend_table(cells, pools, months) -> Table:
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
    if pools is None:
        table.note = _("Active learners are counted for the whole organisation only.")

    def figures(rows, month_pools, *, one_month: bool) -> list:
        learners = Cell(None)
        if month_pools is None:
            held = sum(row["held"] for row in rows)
            attendance = _team_parts(rows, "attendance", "attendances", _seats)
            thoughts = _team_parts(rows, "thoughts", "thoughts")
            pulse = _team_parts(rows, "pulse", "pulse_sum", lambda r: r["pulse_count"])
        else:
            held = sum(pool.held for pool in month_pools.values())
            attendance = _pool_parts(month_pools, "attendance", "attendances", "seats")
            thoughts = _pool_parts(month_pools, "thoughts", "thoughts")
            pulse = _pool_parts(month_pools, "pulse", "pulse_sum", "pulse_count")
            if one_month:
                learners = combine(_pool_parts(month_pools, "learners", "learners"), "sum")
        return [
            held,
            combine(attendance, "rate"),
            learners,
            combine(thoughts, "sum"),
            combine(pulse, "average"),
        ]

    for month in months:
        rows = [row for row in cells if row["month"] == month]
        month_pools = None
        if pools is not None:
            month_pools = {month: pools[month]} if month in pools else {}
        label = formats.date_format(month, "YEAR_MONTH_FORMAT")
        table.rows.append([label, *figures(rows, month_pools, one_month=True)])
    # People counted per month do not add up over months: the period's row has none.
    table.rows.append([_("Whole period"), *figures(cells, pools, one_month=False)])
    return table


def display(value) -> str:
    """How a cell reads on the page and in the CSV: a partial figure ends with an asterisk."""
    if isinstance(value, Cell):
        if value.hidden:
            return _("hidden")
        if value.value is None:
            return "–"
        shown = _number(value.value, 1 if isinstance(value.value, float) else None)
        return f"{shown}*" if value.partial else shown
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
