"""What the HR report reads: the monthly rollups (reports/models.py), plus the few figures that
describe the organisation as it is now (team sizes, goals per theme). A fixed number of
queries whatever the data size; no names, no free text, no per-person rows leave here.

`reports/live.py` computes the same figures straight from the rows; the rollups must equal
it (tests/reports/test_rollups.py)."""

from collections import defaultdict

from django.db.models import Count, Max, Q, QuerySet, Sum
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


def team_ids(teams):
    """The teams as a filter: a chosen few as their ids (the planner then reads the rollups by
    team), the whole organisation as a subquery (not a thousand ids in every query)."""
    if isinstance(teams, QuerySet):
        return teams.order_by().values("pk")
    return teams


def team_sizes(teams) -> dict[int, int]:
    rows = (
        Membership.objects.filter(team__in=team_ids(teams)).values("team").annotate(n=Count("user"))
    )
    return {row["team"]: row["n"] for row in rows}


def distinct_people(teams) -> int:
    teams = team_ids(teams)
    return Membership.objects.filter(team__in=teams).values("user").distinct().count()


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


def _goals_by_theme(teams, themes) -> tuple[dict, dict]:
    goals = (
        TeamGoal.objects.filter(team__in=teams, themes__in=themes)
        .exclude(status=TeamGoal.Status.PROPOSED)
        .values("themes")
        .annotate(n=Count("id", distinct=True))
    )
    shared = (
        PersonalGoal.objects.filter(team_goal__team__in=teams, team_goal__themes__in=themes)
        .exclude(visibility=PersonalGoal.Visibility.PRIVATE)
        .values("team_goal__themes")
        .annotate(goals=Count("id", distinct=True), people=Count("owner", distinct=True))
    )
    return (
        {row["themes"]: row["n"] for row in goals},
        {row["team_goal__themes"]: row for row in shared},
    )


def themes(organization) -> list:
    return list(StrategyTheme.objects.filter(organization=organization).order_by("order", "title"))


def direction(
    organization, teams, period: Period, time_zone: str, *, whole: bool = False, minimum: int = 0
) -> list[dict]:
    """Per strategy theme: team goals and shared personal goals as they are now; learners
    and linked thoughts over the period. The people behind linked thoughts are only compared
    with the minimum group size; for the whole organisation they come from its monthly counts
    (see `at_least`)."""
    all_themes = themes(organization)
    teams = team_ids(teams)
    goal_counts, shared = _goals_by_theme(teams, all_themes)
    in_period = {"team_id__in": teams, "month__gte": period.start, "month__lt": period.end}
    marks = PersonThemeMonth.objects.filter(**in_period)
    people: dict[int, dict] = defaultdict(dict)
    learners = (
        marks.filter(learned=True)
        .values("theme")
        .annotate(n=distinct_marks("learned"))
        .order_by()
        .values_list("theme", "n")
    )
    for theme, count in learners:
        people[theme]["learners"] = count
    if whole:
        monthly = (
            OrgThemeMonth.objects.filter(
                organization=organization, month__gte=period.start, month__lt=period.end
            )
            .values("theme")
            .annotate(most=Max("authors"))
            .order_by()
            .values_list("theme", "most")
        )
        # Exact counts only for the themes whose largest month is below the minimum (see
        # at_least); one query whatever their number.
        lower = dict(monthly)
        needed = [theme for theme, most in lower.items() if most < minimum]
        exact = dict(
            marks.filter(posted=True, theme__in=needed or [0])
            .values("theme")
            .annotate(n=distinct_marks("posted"))
            .order_by()
            .values_list("theme", "n")
        )
        for theme, most in lower.items():
            people[theme]["authors"] = exact.get(theme, 0) if most < minimum else most
    else:
        authors = (
            marks.filter(posted=True)
            .values("theme")
            .annotate(n=distinct_marks("posted"))
            .order_by()
            .values_list("theme", "n")
        )
        for theme, count in authors:
            people[theme]["authors"] = count
    if whole:
        thoughts = dict(
            OrgThemeMonth.objects.filter(
                organization=organization, month__gte=period.start, month__lt=period.end
            )
            .values("theme")
            .annotate(n=Sum("thoughts"))
            .order_by()
            .values_list("theme", "n")
        )
    else:
        thoughts = dict(
            TeamThemeMonth.objects.filter(**in_period)
            .values("theme")
            .annotate(n=Sum("thoughts"))
            .order_by()
            .values_list("theme", "n")
        )
    return [
        {
            "theme": theme,
            "team_goals": goal_counts.get(theme.pk, 0),
            "personal_goals": shared.get(theme.pk, {}).get("goals", 0),
            "goal_people": shared.get(theme.pk, {}).get("people", 0),
            "learners": people.get(theme.pk, {}).get("learners", 0),
            "thoughts": thoughts.get(theme.pk, 0),
            "thought_people": people.get(theme.pk, {}).get("authors", 0),
        }
        for theme in all_themes
    ]
