"""What the HR report reads: the monthly rollups (reports/models.py), plus the few figures that
describe the organisation as it is now (team sizes, goals per theme). A fixed number of
queries whatever the data size; no names, no free text, no per-person rows leave here.

`reports/live.py` computes the same figures straight from the rows; the rollups must equal
it (tests/reports/test_rollups.py)."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from reports.models import PersonMonth, PersonThemeMonth, TeamMonth, TeamThemeMonth
from reports.periods import Period
from teams.models import Membership, PersonalGoal, StrategyTheme, Team, TeamGoal

TEAM_FIELDS = ("planned", "held", "skipped", "attendances", "thoughts", "questions", "answered")


def unit_teams(organization, team_ids: list[int] | None):
    teams = Team.objects.filter(organization=organization)
    if team_ids:
        teams = teams.filter(pk__in=team_ids)
    return teams.order_by("name")


def team_sizes(teams) -> dict[int, int]:
    rows = Membership.objects.filter(team__in=teams).values("team").annotate(n=Count("user"))
    return {row["team"]: row["n"] for row in rows}


def distinct_people(teams) -> int:
    return Membership.objects.filter(team__in=teams).values("user").distinct().count()


def average(total, count) -> float | None:
    return total / count if count else None


def _person():
    """One key per person: the account while it exists, the random `former` key after."""
    return Coalesce("user_id", "former")


def _distinct(flag: str) -> Count:
    return Count(_person(), distinct=True, filter=Q(**{flag: True}))


def activity(teams, period: Period, time_zone: str, sizes: dict[int, int]):
    """Per team, per month and for the whole period: sessions, attendance, posts, pulse, and
    the distinct people each rests on."""
    ids = [team.pk for team in teams]
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
    people = (
        PersonMonth.objects.filter(**in_period)
        .values("month")
        .annotate(
            attendees=_distinct("attended"),
            learners=_distinct("learned"),
            authors=_distinct("posted"),
            pulsers=_distinct("pulsed"),
        )
        .order_by()
    )
    for row in people:
        month = row.pop("month")
        by_month[month].update(row)
    for figures in by_month.values():
        figures["pulse"] = average(figures["pulse_sum"], figures["pulse_count"])
    whole = PersonMonth.objects.filter(**in_period).aggregate(
        authors=_distinct("posted"), pulsers=_distinct("pulsed")
    )
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


def direction(organization, teams, period: Period, time_zone: str) -> list[dict]:
    """Per strategy theme: team goals and shared personal goals as they are now; learners
    and linked thoughts over the period."""
    all_themes = themes(organization)
    goal_counts, shared = _goals_by_theme(teams, all_themes)
    ids = [team.pk for team in teams]
    in_period = {"team_id__in": ids, "month__gte": period.start, "month__lt": period.end}
    people = {
        row["theme"]: row
        for row in PersonThemeMonth.objects.filter(**in_period)
        .values("theme")
        .annotate(learners=_distinct("learned"), authors=_distinct("posted"))
        .order_by()
    }
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
