"""What the HR report reads: the monthly rollups (reports/models.py), plus the few figures that
describe the organisation as it is now (team sizes, goals per theme). A fixed number of
queries whatever the data size; no names, no free text, no per-person rows leave here.

`tests/reports/live_report.py` computes the same figures straight from the rows; the rollups
must equal it (tests/reports/test_rollups.py)."""

from collections import defaultdict

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from reports.models import (
    OrgMonth,
    OrgThemeMonth,
    PersonMonth,
    PersonThemeMonth,
    TeamMonth,
    TeamThemeMonth,
)
from reports.periods import Period
from teams.models import Membership, PersonalGoal, StrategyTheme, Team, TeamGoal

TEAM_FIELDS = ("planned", "held", "skipped", "attendances", "thoughts", "questions", "answered")


def unit_teams(organization, team_ids: list[int] | None):
    teams = Team.objects.filter(organization=organization)
    if team_ids:
        teams = teams.filter(pk__in=team_ids)
    return teams.order_by("name")


def organisation_teams(organization) -> list:
    """Every team of the organisation by name, each with `size`, its number of members: the
    filter's checkboxes, the rhythm table and the seats all read this one list."""
    size = (
        Membership.objects.filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("user"))
        .values("n")
    )
    return list(
        Team.objects.filter(organization=organization)
        .annotate(size=Coalesce(Subquery(size), 0))
        .order_by("name")
    )


def team_ids(teams):
    """The teams as a filter: a chosen few as their ids (the planner then reads the rollups by
    team), the whole organisation as a subquery (not a thousand ids in every query)."""
    if isinstance(teams, QuerySet):
        return teams.order_by().values("pk")
    return teams


def distinct_people(organization, chosen: list[int] | None) -> tuple[int, int]:
    """People in the chosen teams (None: the whole organisation) and in the whole
    organisation, each person once, in one query."""
    members = Membership.objects.filter(team__in=team_ids(unit_teams(organization, None)))
    counts = {"everyone": Count("user", distinct=True)}
    if chosen:
        counts["unit"] = Count("user", distinct=True, filter=Q(team__in=chosen))
    result = members.aggregate(**counts)
    if chosen is None:
        return result["everyone"], result["everyone"]
    return result.get("unit", 0), result["everyone"]


def average(total, count) -> float | None:
    return total / count if count else None


def _person():
    """One key per person: the account while it exists, the random `former` key after."""
    return Coalesce("user_id", "former")


def distinct_marks(flag: str) -> Count:
    return Count(_person(), distinct=True, filter=Q(**{flag: True}))


# The distinct people of a month: name -> the mark that counts.
PEOPLE = {"attendees": "attended", "learners": "learned", "authors": "posted", "pulsers": "pulsed"}


def at_least(lower: dict[str, int], minimum: int, marks) -> dict[str, int]:
    """People counts that are only compared with the minimum group size. The largest monthly
    count is a lower bound of the period's count; when it reaches the minimum it decides the
    same way, and only below it is the exact count needed. One query either way (an empty
    one when nothing is needed), so the query count does not depend on the data."""
    needed = {name: PEOPLE[name] for name, count in lower.items() if count < minimum}
    only = Q(pk__lt=0)  # nothing needed: an empty query, so the count stays the same
    for flag in needed.values():
        only |= Q(**{flag: True})
    exact = marks.filter(only).aggregate(
        **{name: distinct_marks(flag) for name, flag in (needed or {"authors": "posted"}).items()}
    )
    return {name: exact[name] if name in needed else count for name, count in lower.items()}


def activity(
    teams,
    period: Period,
    time_zone: str,
    sizes: dict[int, int],
    *,
    organization=None,
    minimum: int = 0,
):
    """Per team, per month and for the whole period: sessions, attendance, posts, pulse, and
    the distinct people each rests on. With `organization` (the whole organisation is
    chosen) the monthly people come from its precomputed counts; the period's authors and
    pulse answerers are then exact only below `minimum` (see `at_least`)."""
    ids = team_ids(teams)
    in_period = {"team_id__in": ids, "month__gte": period.start, "month__lt": period.end}
    rows = TeamMonth.objects.filter(**in_period).values_list(
        "team_id", "month", *TEAM_FIELDS, "pulse_sum", "pulse_count"
    )
    by_team: dict[int, dict] = defaultdict(lambda: dict.fromkeys(TEAM_FIELDS, 0))
    by_month: dict = defaultdict(lambda: defaultdict(int))
    for team, month, *values in rows:
        named = dict(zip((*TEAM_FIELDS, "pulse_sum", "pulse_count"), values, strict=True))
        for name in TEAM_FIELDS:
            by_team[team][name] += named[name]
        figures = by_month[month]
        for name in ("held", "attendances", "thoughts", "pulse_sum", "pulse_count"):
            figures[name] += named[name]
        figures["seats"] += named["held"] * sizes.get(team, 0)
    marks = PersonMonth.objects.filter(**in_period)
    if organization is not None:
        people = OrgMonth.objects.filter(
            organization=organization, month__gte=period.start, month__lt=period.end
        ).values("month", *PEOPLE)
    else:
        people = (
            marks.values("month")
            .annotate(**{name: distinct_marks(flag) for name, flag in PEOPLE.items()})
            .order_by()
        )
    for row in people:
        month = row.pop("month")
        by_month[month].update(row)
    for figures in by_month.values():
        figures["pulse"] = average(figures["pulse_sum"], figures["pulse_count"])
    if organization is not None:
        lower = {
            name: max((f.get(name, 0) for f in by_month.values()), default=0)
            for name in ("authors", "pulsers")
        }
        whole = at_least(lower, minimum, marks)
    else:
        whole = marks.aggregate(authors=distinct_marks("posted"), pulsers=distinct_marks("pulsed"))
    whole["pulse"] = average(
        sum(f["pulse_sum"] for f in by_month.values()),
        sum(f["pulse_count"] for f in by_month.values()),
    )
    return dict(by_team), dict(by_month), whole


def _count(queryset, group: str, counted) -> Subquery:
    """One figure per theme as a subquery of the themes' query."""
    figure = queryset.order_by().values(group).annotate(n=counted).values("n")
    return Coalesce(Subquery(figure), 0)


def _themes_with_figures(organization, teams, period: Period, *, whole: bool):
    """The strategy themes, each with its goals as they are now and its linked thoughts over
    the period (and, for the whole organisation, its largest monthly count of authors), in
    one query whatever the number of themes."""
    in_period = {"month__gte": period.start, "month__lt": period.end}
    theme = OuterRef("pk")
    goals = TeamGoal.objects.filter(team__in=teams, themes=theme).exclude(
        status=TeamGoal.Status.PROPOSED
    )
    shared = PersonalGoal.objects.filter(
        team_goal__team__in=teams, team_goal__themes=theme
    ).exclude(visibility=PersonalGoal.Visibility.PRIVATE)
    figures = {
        "n_team_goals": _count(goals, "themes", Count("id", distinct=True)),
        "n_personal_goals": _count(shared, "team_goal__themes", Count("id", distinct=True)),
        "n_goal_people": _count(shared, "team_goal__themes", Count("owner", distinct=True)),
    }
    if whole:
        monthly = OrgThemeMonth.objects.filter(
            organization=organization, theme=theme, **in_period
        ).order_by()
        figures["n_thoughts"] = _count(monthly, "theme", Sum("thoughts"))
        # None: no month has a row for the theme.
        figures["n_most_authors"] = Subquery(
            monthly.values("theme").annotate(most=Max("authors")).values("most")
        )
    else:
        linked = TeamThemeMonth.objects.filter(team_id__in=teams, theme=theme, **in_period)
        figures["n_thoughts"] = _count(linked, "theme", Sum("thoughts"))
    return list(
        StrategyTheme.objects.filter(organization=organization)
        .annotate(**figures)
        .order_by("order", "title")
    )


def direction(
    organization, teams, period: Period, time_zone: str, *, whole: bool = False, minimum: int = 0
) -> list[dict]:
    """Per strategy theme: team goals and shared personal goals as they are now; learners
    and linked thoughts over the period. The people behind linked thoughts are only compared
    with the minimum group size; for the whole organisation they come from its monthly counts
    (see `at_least`). Two queries whatever the data."""
    teams = team_ids(teams)
    all_themes = _themes_with_figures(organization, teams, period, whole=whole)
    in_period = {"team_id__in": teams, "month__gte": period.start, "month__lt": period.end}
    marks = PersonThemeMonth.objects.filter(**in_period)
    if whole:
        # Exact counts only for the themes whose largest month is below the minimum (see
        # at_least), in the same query as the learners.
        needed = [
            t.pk for t in all_themes if t.n_most_authors is not None and t.n_most_authors < minimum
        ]
    else:
        needed = [t.pk for t in all_themes]
    counts = {"learners": distinct_marks("learned")}
    only = Q(learned=True)
    if needed:
        posted = Q(posted=True, theme__in=needed)
        counts["authors"] = Count(_person(), distinct=True, filter=posted)
        only |= posted
    people = {
        row.pop("theme"): row
        for row in marks.filter(only).values("theme").annotate(**counts).order_by()
    }
    rows = []
    for theme in all_themes:
        found = people.get(theme.pk, {})
        if whole and theme.pk not in needed:
            authors = theme.n_most_authors or 0
        else:
            authors = found.get("authors", 0)
        rows.append(
            {
                "theme": theme,
                "team_goals": theme.n_team_goals,
                "personal_goals": theme.n_personal_goals,
                "goal_people": theme.n_goal_people,
                "learners": found.get("learners", 0),
                "thoughts": theme.n_thoughts,
                "thought_people": authors,
            }
        )
    return rows
