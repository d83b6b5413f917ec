"""HR's report attacked as a spreadsheet would: every figure any request shows, over every
period and choice of teams, written as a linear equation over the data per team, month and
person; a rank test proves that no hidden cell, and nothing resting on 1 to 4 people, lies in
their span (docs/anonymity.md, "HR's report: what can be worked out").

The model of the data (the attacker's unknowns), one block per family, families disjoint:
- additive families (attendance, thoughts, questions, pulse): one unknown per (team, month,
  person) that did something there; for anonymous questions every member of the team, since
  any of them may have asked;
- people families (learning, posting on a theme, holding a shared goal): one unknown per
  (person, month), shared by every pool of the family (the organisation's and each theme's),
  so that subtracting one set of people from another is caught.
The attacker is taken to know which unknowns are zero (who did nothing): only those that are
not are written, which makes small groups easier to single out, not harder.
"""

import datetime as dt
import itertools
from collections import defaultdict

import numpy as np
import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import publication, report
from reports.models import (
    PersonMonth,
    PersonThemeMonth,
    RollupMonth,
    TeamMonth,
    TeamThemeMonth,
)
from reports.periods import Period
from teams.models import Membership, Organization, StrategyTheme, Team, User
from tests.examples import examples

MINIMUM = 5
MONTHS = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
ADDITIVE = {"attendance": "attendances", "thoughts": "thoughts", "questions": "questions"}


# A world: teams of people, and per month what each person did.


@st.composite
def worlds(draw):
    n_teams = draw(st.integers(2, 4))
    sizes = [draw(st.integers(1, 8)) for _ in range(n_teams)]
    people = list(range(sum(sizes)))
    teams, start = [], 0
    for size in sizes:
        teams.append(people[start : start + size])
        start += size
    # Some people are in a second team too.
    for person in draw(st.lists(st.sampled_from(people), max_size=3, unique=True)):
        other = draw(st.integers(0, n_teams - 1))
        if person not in teams[other]:
            teams[other].append(person)
    n_themes = draw(st.integers(1, 3))
    busy = st.floats(0, 1)
    rates = {name: draw(busy) for name in ("attend", "post", "pulse", "learn", "theme", "goal")}
    acts = []
    for month in MONTHS:
        for t, members in enumerate(teams):
            held = draw(st.integers(0, 2))
            questions = draw(st.integers(0, 3))
            cell = {
                "team": t,
                "month": month,
                "held": held,
                "questions": questions,
                "answered": draw(st.integers(0, questions)),
                "people": {},
            }
            for person in members:
                u = draw(st.lists(st.floats(0, 1), min_size=6, max_size=6))
                cell["people"][person] = {
                    "attendances": draw(st.integers(1, held))
                    if held and u[0] < rates["attend"]
                    else 0,
                    "thoughts": draw(st.integers(1, 3)) if u[1] < rates["post"] else 0,
                    "pulse": draw(st.integers(1, 5)) if held and u[2] < rates["pulse"] else 0,
                    "learned": u[3] < rates["learn"],
                    "themes": {
                        theme: {
                            "posted": u[4] < rates["theme"] and draw(st.booleans()),
                            "learned": u[3] < rates["learn"] and draw(st.booleans()),
                            "has_goal": u[5] < rates["goal"] and draw(st.booleans()),
                        }
                        for theme in range(n_themes)
                    },
                }
            acts.append(cell)
    return {"teams": teams, "themes": n_themes, "acts": acts, "people": people}


def _store(world) -> dict:
    """Writes the world as the rollups would, then seals and publishes every month."""
    org = Organization.objects.create(
        name="Spreadsheet", slug="spreadsheet", min_group_size=MINIMUM
    )
    users = {
        person: User.objects.create(username=f"p{person}", organization=org)
        for person in world["people"]
    }
    teams = [
        Team.objects.create(organization=org, name=f"Team {t}") for t in range(len(world["teams"]))
    ]
    Membership.objects.bulk_create(
        Membership(team=teams[t], user=users[person], role="member")
        for t, members in enumerate(world["teams"])
        for person in members
    )
    themes = [
        StrategyTheme.objects.create(organization=org, title=f"Theme {x}", order=x)
        for x in range(world["themes"])
    ]
    for cell in world["acts"]:
        team, month, people = teams[cell["team"]], cell["month"], cell["people"]
        pulses = [p["pulse"] for p in people.values() if p["pulse"]]
        TeamMonth.objects.create(
            team=team,
            month=month,
            planned=cell["held"],
            held=cell["held"],
            members=len(people),
            attendances=sum(p["attendances"] for p in people.values()),
            thoughts=sum(p["thoughts"] for p in people.values()),
            questions=cell["questions"],
            answered=cell["answered"],
            pulse_sum=sum(pulses),
            pulse_count=len(pulses),
        )
        for person, did in people.items():
            flags = {
                "attended": did["attendances"] > 0,
                "posted": did["thoughts"] > 0,
                "pulsed": did["pulse"] > 0,
                "learned": did["learned"],
            }
            if any(flags.values()):
                PersonMonth.objects.create(team=team, month=month, user=users[person], **flags)
            for theme, marks in did["themes"].items():
                if any(marks.values()):
                    PersonThemeMonth.objects.create(
                        team=team, theme=themes[theme], month=month, user=users[person], **marks
                    )
        for theme in range(world["themes"]):
            goals = sum(1 for did in people.values() if did["themes"][theme]["has_goal"])
            if goals:
                TeamThemeMonth.objects.create(
                    team=team, theme=themes[theme], month=month, shared_goals=goals
                )
    for month in MONTHS:
        publication.month_publish(organization=org, month=month, minimum=MINIMUM)
        RollupMonth.objects.create(
            organization=org,
            month=month,
            computed_at=timezone.now(),
            sealed=True,
            min_group_size=MINIMUM,
        )
    return {"org": org, "users": users, "teams": teams, "themes": themes}


# The ground truth: each published cell as unknowns (with the person each belongs to), and
# its true amounts.


def _truth(world, stored):
    team_pk = {t: team.pk for t, team in enumerate(stored["teams"])}
    theme_pk = {x: theme.pk for x, theme in enumerate(stored["themes"])}
    unknowns: dict[tuple, dict] = {}  # cell key -> {unknown: person}
    amounts: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    org_people = defaultdict(lambda: defaultdict(dict))

    def add(key, family_key, figures):
        unknowns.setdefault(key, {}).update(family_key)
        for name, value in figures.items():
            amounts[key][name] += value

    for cell in world["acts"]:
        t, month, people = team_pk[cell["team"]], cell["month"], cell["people"]
        members = len(people)
        for family, field in ADDITIVE.items():
            data = {}
            for person, did in people.items():
                if family == "questions":
                    if cell["questions"]:
                        data[(family, t, month, person)] = person
                elif did[field]:
                    data[(family, t, month, person)] = person
            figures = {
                "attendance": {
                    "amount": sum(p["attendances"] for p in people.values()),
                    "base": cell["held"] * members,
                },
                "thoughts": {"amount": sum(p["thoughts"] for p in people.values())},
                "questions": {"amount": cell["questions"], "answered": cell["answered"]},
            }[family]
            for key in (("team", family, t, month), ("org", family, month)):
                add(key, data, figures)
        pulse = {("pulse", t, month, p): p for p, did in people.items() if did["pulse"]}
        figures = {
            "amount": sum(p["pulse"] for p in people.values()),
            "base": sum(1 for p in people.values() if p["pulse"]),
        }
        for key in (("team", "pulse", t, month), ("org", "pulse", month)):
            add(key, pulse, figures)
        for person, did in people.items():
            if did["learned"]:
                org_people[("org", "learners", month)][("learning", person, month)] = person
            for theme, marks in did["themes"].items():
                x = theme_pk[theme]
                if marks["learned"]:
                    org_people[("theme", "learners", x, month)][("learning", person, month)] = (
                        person
                    )
                if marks["posted"]:
                    org_people[("theme", "authors", x, month)][("authors", person, month)] = person
                if marks["has_goal"]:
                    org_people[("theme", "goals", x, month)][("goals", person, month)] = person
                    amounts[("theme", "goals", x, month)]["goals"] += 1
    for key, data in org_people.items():
        unknowns[key] = data
        amounts[key]["amount"] = len(data)
    return unknowns, amounts


# What the report shows, over every period and choice of teams.


def _requests(stored):
    teams = [team.pk for team in stored["teams"]]
    periods = [
        Period(MONTHS[i], (MONTHS[j] + dt.timedelta(days=32)).replace(day=1))
        for i in range(len(MONTHS))
        for j in range(i, len(MONTHS))
    ]
    selections = [None] + [
        list(chosen)
        for size in range(1, len(teams) + 1)
        for chosen in itertools.combinations(teams, size)
    ]
    for period in periods:
        for chosen in selections:
            yield period, chosen


# Per column: the family of the figure, and how its value follows from its cells' amounts.
COLUMNS = {
    "rhythm": {
        5: ("rate", "amount", "base"),
        6: ("per", "amount", None),
        7: ("per", "amount", None),
        8: ("rate", "answered", "amount"),
    },
    "trends": {
        2: ("rate", "amount", "base"),
        3: ("sum", "amount", None),
        4: ("sum", "amount", None),
        5: ("average", "amount", "base"),
    },
    "direction": {
        2: ("sum", "goals", None),
        3: ("sum", "amount", None),
        4: ("mean", "amount", None),
        5: ("mean", "amount", None),
    },
}


def _shown_figures(stored, amounts):
    """Every shown figure of every request as the set of cells it adds up, after checking
    that its value is what those cells' true amounts give."""
    figures = set()
    for period, chosen in _requests(stored):
        result = report.build(organization=stored["org"], team_ids=chosen, period=period)
        sizes = {team.name: team.size for team in result.teams}
        for table in result.tables:
            for row in table.rows:
                for index, value in enumerate(row):
                    if not isinstance(value, report.Cell) or value.hidden or not value.parts:
                        continue
                    how, amount, base = COLUMNS[table.key][index]
                    people = sizes.get(row[0], result.unit_people)
                    _check_value(value, how, amount, base, amounts, people)
                    figures.add(frozenset(value.parts))
    return figures


def _check_value(cell, how, amount, base, amounts, people):
    total = sum(amounts[key][amount] for key in cell.parts)
    if how == "rate":
        expected = 100 * total / sum(amounts[key][base] for key in cell.parts)
    elif how == "per":
        expected = total / people
    elif how == "average":
        expected = total / sum(amounts[key][base] for key in cell.parts)
    elif how == "mean":
        return  # a mean over the shown months: its parts add up to value x months (zeros too)
    else:
        expected = total
    assert abs(cell.value - expected) <= 0.05 + 1e-9, (cell, expected)


# The rank test.


def _family(key) -> str:
    return {"learners": "learning"}.get(key[1], key[1])


def _leaks(figures, hidden, unknowns, minimum=MINIMUM) -> list:
    """The hidden cells in the span of the shown figures, and the groups of fewer than
    `minimum` people that some combination of shown figures rests on alone."""
    found = []
    by_family = defaultdict(list)
    for figure in figures:
        families = {_family(key) for key in figure}
        assert len(families) == 1, figure
        by_family[families.pop()].append(figure)
    hidden_by_family = defaultdict(list)
    for key in hidden:
        hidden_by_family[_family(key)].append(key)
    for family in set(by_family) | set(hidden_by_family):
        columns = sorted(
            {u for figure in by_family[family] for key in figure for u in unknowns.get(key, {})}
            | {u for key in hidden_by_family[family] for u in unknowns.get(key, {})},
            key=repr,
        )
        index = {u: i for i, u in enumerate(columns)}
        person = {u: p for key in unknowns for u, p in unknowns[key].items()}

        rows = [_vector(figure, index, unknowns) for figure in by_family[family]]
        shown = np.array(rows or [np.zeros(len(columns))])
        rank = np.linalg.matrix_rank(shown) if columns else 0
        for key in hidden_by_family[family]:
            v = _vector([key], index, unknowns)
            if v.any() and np.linalg.matrix_rank(np.vstack([shown, v])) == rank:
                found.append(("hidden cell derivable", key))
        if rank:
            group = _small_group(shown, [person[u] for u in columns], minimum - 1)
            if group:
                found.append(("rests on a small group", family, group))
    return found


def _vector(keys, index: dict, unknowns: dict):
    v = np.zeros(len(index))
    for key in keys:
        for u in unknowns.get(key, {}):
            v[index[u]] += 1
    return v


def _small_group(shown, owners: list, size: int):
    """A group of `size` people (all, if fewer) such that some combination of the rows of
    `shown` is non-zero and zero outside the group's columns; None if there is none.

    With P the projection onto the row space, the space holds a vector inside columns S
    exactly when P restricted to S x S has the eigenvalue 1; the blocks are small, so every
    group is checked in a few batched eigenvalue computations."""
    _u, singular, vt = np.linalg.svd(shown, full_matrices=False)
    basis = vt[singular > singular.max() * 1e-9]
    projection = basis.T @ basis
    people = sorted(set(owners), key=repr)
    columns_of = {person: [i for i, o in enumerate(owners) if o == person] for person in people}
    groups = list(itertools.combinations(people, min(size, len(people))))
    width = max(sum(len(columns_of[p]) for p in group) for group in groups)
    padded = np.zeros((projection.shape[0] + 1, projection.shape[0] + 1))
    padded[:-1, :-1] = projection
    blank = projection.shape[0]
    for start in range(0, len(groups), 4000):
        chunk = groups[start : start + 4000]
        index = np.full((len(chunk), width), blank)
        for row, group in enumerate(chunk):
            cols = [c for p in group for c in columns_of[p]]
            index[row, : len(cols)] = cols
        blocks = padded[index[:, :, None], index[:, None, :]]
        top = np.linalg.eigvalsh(blocks)[:, -1]
        hit = np.flatnonzero(top > 1 - 1e-7)
        if hit.size:
            return chunk[hit[0]]
    return None


def _hidden_cells(stored, unknowns):
    """Every published cell that the rule hid."""
    hidden = []
    for row in TeamMonth.objects.filter(team__organization=stored["org"]):
        for family in ("attendance", "thoughts", "questions", "pulse"):
            if not getattr(row, f"shown_{family}"):
                hidden.append(("team", family, row.team_id, row.month))
    from reports.models import OrgMonth, OrgThemeMonth

    for row in OrgMonth.objects.filter(organization=stored["org"]):
        for family in ("attendance", "thoughts", "questions", "pulse"):
            if not getattr(row, f"shown_{family}"):
                hidden.append(("org", family, row.month))
        if not row.shown_learners:
            hidden.append(("org", "learners", row.month))
    for row in OrgThemeMonth.objects.filter(organization=stored["org"]):
        for family in ("learners", "authors", "goals"):
            if not getattr(row, f"shown_{family}"):
                hidden.append(("theme", family, row.theme_id, row.month))
    return [key for key in hidden if unknowns.get(key)]


def _attack(world):
    stored = _store(world)
    unknowns, amounts = _truth(world, stored)
    figures = _shown_figures(stored, amounts)
    return _leaks(figures, _hidden_cells(stored, unknowns), unknowns), figures


@pytest.mark.django_db
def test_the_attack_finds_what_suppressing_small_cells_alone_lets_through(monkeypatch):
    """The rank test is no rubber stamp: with only the primary rule (every cell of five or
    more people shown), the whole organisation's monthly thoughts minus two teams' gives the
    third team's three authors, and the test says so."""
    people = {p: _idle() for p in range(15)}
    for p in people:
        people[p]["thoughts"] = 1
    world = {
        "teams": [list(range(6)), list(range(6, 12)), list(range(12, 15))],
        "themes": 1,
        "people": list(people),
        "acts": [
            {
                "team": t,
                "month": month,
                "held": 0,
                "questions": 0,
                "answered": 0,
                "people": {p: dict(people[p]) for p in members},
            }
            for month in MONTHS
            for t, members in enumerate([range(6), range(6, 12), range(12, 15)])
        ],
    }

    def primary_only(candidates, minimum):
        return {key for key, data in candidates if len(set(data.values())) >= minimum or not data}

    monkeypatch.setattr(publication, "shown_cells", primary_only)
    leaks, _figures = _attack(world)
    small = [leak[2] for leak in leaks if leak[:2] == ("rests on a small group", "thoughts")]
    assert small and {12, 13, 14} <= set(small[0])
    derived = [leak[1] for leak in leaks if leak[0] == "hidden cell derivable"]
    assert ("team", "thoughts", _team_pk("Team 2"), MONTHS[0]) in derived


def _team_pk(name: str) -> int:
    return Team.objects.get(name=name).pk


def _idle() -> dict:
    flags = {"posted": False, "learned": False, "has_goal": False}
    return {"attendances": 0, "thoughts": 0, "pulse": 0, "learned": False, "themes": {0: flags}}


@pytest.mark.django_db
@settings(
    max_examples=examples(25),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(world=worlds())
def test_no_figure_over_any_requests_singles_out_fewer_than_five_people(world):
    with transaction.atomic():
        leaks, _figures = _attack(world)
        transaction.set_rollback(True)
    assert leaks == []
