"""The publication rule: which figures of a sealed month HR may see (docs/anonymity.md, "HR's
report: what can be worked out").

Every figure the report can show is built from a fixed set of cells per month, decided once,
when the month is sealed, and never again:

- additive families (attendance, thoughts, questions with their answers, pulse): a cell per
  team and one pool for the whole organisation;
- people families (learning, posting on a theme, holding a shared goal under a theme): pools
  for the whole organisation only (learners in all, and per strategy theme).

A figure is a sum over its family's data: per team and person for the additive families
(what the person did in that team that month; for anonymous questions every member of the
team, since any of them may have asked), per person for the people families. The report only
ever adds shown cells together (over months, over teams), so whatever any number of requests
shows lies in the span of the shown cells.

The rule: a cell is shown when, together with the cells shown before it, every group of data
that the shown cells cannot tell apart (an *atom*: data that lies in exactly the same shown
cells) is empty or belongs to at least `minimum` people. Any combination of shown figures is
then constant on atoms, so it either is zero or rests on at least `minimum` people: neither
subtraction across requests nor a rate multiplied back can single out a smaller group. This
is the complementary suppression of statistical disclosure control, stated over atoms so that
it also holds when people are in several teams and when pools overlap. Cells are tried in a
fixed order, most useful first (the organisation's pool, then teams from the largest group
down, then themes in their order); a cell that ends up derivable from the shown ones is shown
too, so no hidden cell can be worked out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable

from django.db.models import Sum

from reports.models import (
    OrgMonth,
    OrgThemeMonth,
    PersonMonth,
    PersonThemeMonth,
    TeamMonth,
    TeamThemeMonth,
)
from teams.models import Membership, StrategyTheme

# Additive families: the TeamMonth flag, the mark naming who the data belongs to
# (None: every member of the team), and the count that says whether the cell is empty.
ADDITIVE = {
    "attendance": ("attended", "attendances"),
    "thoughts": ("posted", "thoughts"),
    "questions": (None, "questions"),
    "pulse": ("pulsed", "pulse_count"),
}


def shown_cells(
    candidates: Iterable[tuple[Hashable, dict[Hashable, Hashable]]], minimum: int
) -> set:
    """The keys of the candidates to show. Each candidate is (key, {datum: person}), its
    non-empty data, each datum mapped to the person it belongs to; tried in the given order."""
    candidates = list(candidates)
    atom_of: dict[Hashable, frozenset] = {}  # datum -> the shown cells that contain it
    members: dict[frozenset, set] = defaultdict(set)  # atom -> its data
    person: dict[Hashable, Hashable] = {}
    for _key, data in candidates:
        person.update(data)
        for datum in data:
            atom_of.setdefault(datum, frozenset())
            members[frozenset()].add(datum)

    def people(data) -> int:
        return len({person[datum] for datum in data})

    shown = set()
    for key, data in candidates:
        if not data:
            shown.add(key)  # nothing recorded: a zero, which rests on nobody
            continue
        touched = defaultdict(set)
        for datum in data:
            touched[atom_of[datum]].add(datum)
        safe = all(
            people(inside) >= minimum
            and (not atom or not (rest := members[atom] - inside) or people(rest) >= minimum)
            for atom, inside in touched.items()
        )
        if not safe:
            continue
        shown.add(key)
        for atom, inside in touched.items():
            members[atom] -= inside
            if not members[atom]:
                del members[atom]
            members[atom | {key}] |= inside
            for datum in inside:
                atom_of[datum] = atom | {key}
    # A hidden cell made only of whole atoms is a sum of shown ones: show it (it tells nothing
    # new, and a hidden figure that could be worked out would be a false promise).
    for key, data in candidates:
        if key in shown or not data:
            continue
        atoms = {atom_of[datum] for datum in data}
        if all(atom and members[atom] <= set(data) for atom in atoms):
            shown.add(key)
    return shown


def _person(row) -> int:
    return row["user"] if row["user"] is not None else row["former"]


def month_publish(*, organization, month: dt.date, minimum: int) -> None:
    """Adds up the organisation's month from its rollups and decides what HR may see of it;
    called inside the sealing transaction (reports/rollups/computation.py)."""
    team_rows = list(TeamMonth.objects.filter(team__organization=organization, month=month))
    marks = PersonMonth.objects.filter(team__organization=organization, month=month).values(
        "team", "user", "former", "attended", "posted", "pulsed", "learned"
    )
    by_mark: dict[str, dict] = defaultdict(lambda: defaultdict(dict))
    learners: dict = {}
    for row in marks:
        who = _person(row)
        for flag in ("attended", "posted", "pulsed"):
            if row[flag]:
                by_mark[flag][row["team"]][(row["team"], who)] = who
        if row["learned"]:
            learners[who] = who
    members: dict[int, dict] = defaultdict(dict)
    for team, user in Membership.objects.filter(
        team__organization=organization, team__in=[row.team_id for row in team_rows]
    ).values_list("team", "user"):
        members[team][(team, user)] = user

    org = {
        name: sum(getattr(row, name) for row in team_rows)
        for name in (
            "held",
            "attendances",
            "thoughts",
            "questions",
            "answered",
            "pulse_sum",
            "pulse_count",
        )
    }
    org["seats"] = sum(row.held * row.members for row in team_rows)
    org_flags = {}
    ordered = sorted(team_rows, key=lambda row: row.team_id)
    for family, (mark, count) in ADDITIVE.items():

        def data(row, mark=mark, count=count):
            if not getattr(row, count):
                return {}
            found = members[row.team_id] if mark is None else by_mark[mark][row.team_id]
            # Counted but nobody marked (rows of accounts deleted before the month was first
            # computed): taken as one unknown person, so the cell is never taken as empty.
            return found or {("unknown", row.team_id): ("unknown", row.team_id)}

        pool = {datum: who for row in ordered for datum, who in data(row).items()}
        teams = sorted(ordered, key=lambda row: (-len(set(data(row).values())), row.team_id))
        shown = shown_cells([("pool", pool)] + [(row.team_id, data(row)) for row in teams], minimum)
        org_flags[f"shown_{family}"] = "pool" in shown
        for row in team_rows:
            setattr(row, f"shown_{family}", row.team_id in shown)
    TeamMonth.objects.bulk_update(
        team_rows, [f"shown_{family}" for family in ADDITIVE], batch_size=2000
    )

    themes = list(
        StrategyTheme.objects.filter(organization=organization)
        .order_by("order", "title", "pk")
        .values_list("pk", flat=True)
    )
    by_theme: dict[str, dict] = {
        name: defaultdict(dict) for name in ("posted", "learned", "has_goal")
    }
    theme_marks = PersonThemeMonth.objects.filter(
        team__organization=organization, month=month
    ).values("theme", "user", "former", "posted", "learned", "has_goal")
    for row in theme_marks:
        who = _person(row)
        for flag in by_theme:
            if row[flag]:
                by_theme[flag][row["theme"]][who] = who
    learning = shown_cells(
        [("all", learners)] + [(theme, by_theme["learned"][theme]) for theme in themes], minimum
    )
    authors = shown_cells([(theme, by_theme["posted"][theme]) for theme in themes], minimum)
    goals = shown_cells([(theme, by_theme["has_goal"][theme]) for theme in themes], minimum)

    people = {
        name: len(set(found.values()))
        for name, found in (
            ("attendees", {w: w for team in by_mark["attended"].values() for w in team.values()}),
            ("authors", {w: w for team in by_mark["posted"].values() for w in team.values()}),
            ("pulsers", {w: w for team in by_mark["pulsed"].values() for w in team.values()}),
            ("learners", learners),
        )
    }
    OrgMonth.objects.update_or_create(
        organization=organization,
        month=month,
        defaults={**org, **people, **org_flags, "shown_learners": "all" in learning},
    )
    linked = {
        theme: (thoughts or 0, goals or 0)
        for theme, thoughts, goals in TeamThemeMonth.objects.filter(
            team__organization=organization, month=month
        )
        .values("theme")
        .annotate(thoughts=Sum("thoughts"), goals=Sum("shared_goals"))
        .order_by()
        .values_list("theme", "thoughts", "goals")
    }
    OrgThemeMonth.objects.filter(organization=organization, month=month).delete()
    OrgThemeMonth.objects.bulk_create(
        OrgThemeMonth(
            organization=organization,
            theme_id=theme,
            month=month,
            authors=len(by_theme["posted"][theme]),
            thoughts=linked.get(theme, (0, 0))[0],
            learners=len(by_theme["learned"][theme]),
            goal_people=len(by_theme["has_goal"][theme]),
            shared_goals=linked.get(theme, (0, 0))[1],
            shown_authors=theme in authors,
            shown_learners=theme in learning,
            shown_goals=theme in goals,
        )
        for theme in themes
    )
