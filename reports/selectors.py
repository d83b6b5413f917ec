"""What the HR report reads: the published (sealed) monthly rollups (reports/models.py) with
the publication rule's decisions, plus the few figures that describe the organisation as it is
now (team sizes, team goals per theme). A fixed number of queries whatever the data size; no
names, no free text, no per-person rows leave here."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from reports.models import OrgMonth, OrgThemeMonth, TeamMonth
from teams.models import Membership, StrategyTheme, Team, TeamGoal

TEAM_FIELDS = (
    "team_id",
    "month",
    "planned",
    "held",
    "skipped",
    "members",
    "attendances",
    "thoughts",
    "questions",
    "answered",
    "pulse_sum",
    "pulse_count",
    "shown_attendance",
    "shown_thoughts",
    "shown_questions",
    "shown_pulse",
)


def unit_teams(organization, team_ids: list[int] | None):
    teams = Team.objects.filter(organization=organization)
    if team_ids:
        teams = teams.filter(pk__in=team_ids)
    return teams.order_by("name")


def organisation_teams(organization) -> list:
    """Every team of the organisation by name, each with `size`, its number of members: the
    filter's checkboxes and the rhythm table both read this one list."""
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
    """The teams as a filter: a chosen few as their ids, the whole organisation as a subquery
    (not a thousand ids in every query)."""
    if isinstance(teams, QuerySet):
        return teams.order_by().values("pk")
    return teams


def distinct_people(organization, chosen: list[int] | None) -> int:
    """People in the chosen teams (None: the whole organisation), each person once."""
    members = Membership.objects.filter(team__organization=organization)
    if chosen:
        members = members.filter(team__in=chosen)
    return members.aggregate(n=Count("user", distinct=True))["n"]


def team_months(teams, months: list) -> list[dict]:
    """The published team cells of the months, with the publication rule's decisions."""
    if not months:
        return []
    rows = TeamMonth.objects.filter(team_id__in=team_ids(teams), month__in=months).order_by(
        "team_id", "month"
    )
    return [dict(zip(TEAM_FIELDS, row, strict=True)) for row in rows.values_list(*TEAM_FIELDS)]


def org_months(organization, months: list) -> dict:
    """The organisation's published monthly pools by month."""
    if not months:
        return {}
    rows = OrgMonth.objects.filter(organization=organization, month__in=months)
    return {row.month: row for row in rows}


def themes(organization, teams) -> list:
    """The organisation's strategy themes in order, each with `n_team_goals`: the chosen
    teams' goals under it as they are now (a team's goal is the team's, not a person's)."""
    goals = (
        TeamGoal.objects.filter(team__in=team_ids(teams), themes=OuterRef("pk"))
        .exclude(status=TeamGoal.Status.PROPOSED)
        .order_by()
        .values("themes")
        .annotate(n=Count("id", distinct=True))
        .values("n")
    )
    return list(
        StrategyTheme.objects.filter(organization=organization)
        .annotate(n_team_goals=Coalesce(Subquery(goals), 0))
        .order_by("order", "title", "pk")
    )


def theme_months(organization, months: list) -> dict:
    """The published per-theme pools by (theme, month)."""
    if not months:
        return {}
    rows = OrgThemeMonth.objects.filter(organization=organization, month__in=months)
    return {(row.theme_id, row.month): row for row in rows}
