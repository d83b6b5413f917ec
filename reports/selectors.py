"""Aggregations for HR reports: GROUP BY and conditional counts in the database, a fixed
number of queries whatever the data size. No names, no free text, no per-person rows."""

from datetime import datetime

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth

from reflections.models import Attendance, Session
from teams.models import CheckIn, Membership, PersonalGoal, StrategyTheme, Team, TeamGoal


def team_sizes(teams) -> dict[int, int]:
    rows = Membership.objects.filter(team__in=teams).values("team").annotate(n=Count("user"))
    return {row["team"]: row["n"] for row in rows}


def distinct_people(teams) -> int:
    return Membership.objects.filter(team__in=teams).values("user").distinct().count()


def sessions_by_team(teams, start: datetime, end: datetime) -> dict[int, dict]:
    rows = (
        Session.objects.filter(team__in=teams, starts_at__gte=start, starts_at__lt=end)
        .values("team")
        .annotate(
            planned=Count("id"),
            held=Count("id", filter=Q(status=Session.Status.HELD)),
            skipped=Count("id", filter=Q(status=Session.Status.SKIPPED)),
        )
    )
    return {row["team"]: row for row in rows}


def attendance_by_team(teams, start: datetime, end: datetime) -> dict[int, int]:
    rows = (
        Attendance.objects.filter(
            session__team__in=teams,
            session__status=Session.Status.HELD,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .values("session__team")
        .annotate(n=Count("id"))
    )
    return {row["session__team"]: row["n"] for row in rows}


def held_seats_by_team(teams, start: datetime, end: datetime) -> dict[int, int]:
    """Places that could have been taken: team size at the time of asking x held sessions."""
    sizes = team_sizes(teams)
    held = sessions_by_team(teams, start, end)
    return {team: sizes.get(team, 0) * row["held"] for team, row in held.items()}


def monthly_sessions(teams, start: datetime, end: datetime, zone) -> dict:
    rows = (
        Session.objects.filter(
            team__in=teams, status=Session.Status.HELD, starts_at__gte=start, starts_at__lt=end
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=zone))
        .values("month")
        .annotate(held=Count("id", distinct=True), attendances=Count("attendances"))
    )
    return {row["month"].date(): row for row in rows}


def monthly_attendees(teams, start: datetime, end: datetime, zone) -> dict:
    rows = (
        Attendance.objects.filter(
            session__team__in=teams,
            session__status=Session.Status.HELD,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .annotate(month=TruncMonth("session__starts_at", tzinfo=zone))
        .values("month")
        .annotate(people=Count("user", distinct=True))
    )
    return {row["month"].date(): row["people"] for row in rows}


def monthly_seats(teams, start: datetime, end: datetime, zone) -> dict:
    """Per month, the places held sessions offered (the team's size for each held session)."""
    size = (
        Membership.objects.filter(team=OuterRef("team"))
        .values("team")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        Session.objects.filter(
            team__in=teams, status=Session.Status.HELD, starts_at__gte=start, starts_at__lt=end
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=zone), size=Subquery(size))
        .values("month")
        .annotate(seats=Sum("size"))
    )
    return {row["month"].date(): row["seats"] or 0 for row in rows}


def monthly_learners(teams, start, end) -> dict:
    """Distinct people who checked in on a goal they share beyond private, per month."""
    rows = (
        CheckIn.objects.filter(
            goal__owner__memberships__team__in=teams,
            day__gte=start.date(),
            day__lt=end.date(),
        )
        .exclude(goal__visibility=PersonalGoal.Visibility.PRIVATE)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(people=Count("goal__owner", distinct=True))
    )
    return {row["month"]: row["people"] for row in rows}


def direction_by_theme(organization, teams, start, end) -> list[dict]:
    themes = StrategyTheme.objects.filter(organization=organization).order_by("order", "title")
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
    active = (
        CheckIn.objects.filter(
            goal__team_goal__team__in=teams,
            goal__team_goal__themes__in=themes,
            day__gte=start.date(),
            day__lt=end.date(),
        )
        .exclude(goal__visibility=PersonalGoal.Visibility.PRIVATE)
        .values("goal__team_goal__themes")
        .annotate(people=Count("goal__owner", distinct=True))
    )
    goal_counts = {row["themes"]: row["n"] for row in goals}
    shared_rows = {row["team_goal__themes"]: row for row in shared}
    active_rows = {row["goal__team_goal__themes"]: row["people"] for row in active}
    return [
        {
            "theme": theme,
            "team_goals": goal_counts.get(theme.pk, 0),
            "personal_goals": shared_rows.get(theme.pk, {}).get("goals", 0),
            "goal_people": shared_rows.get(theme.pk, {}).get("people", 0),
            "learners": active_rows.get(theme.pk, 0),
        }
        for theme in themes
    ]


def unit_teams(organization, team_ids: list[int] | None):
    teams = Team.objects.filter(organization=organization)
    if team_ids:
        teams = teams.filter(pk__in=team_ids)
    return teams.order_by("name")
