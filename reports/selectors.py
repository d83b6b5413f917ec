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


# Place and atmosphere: thoughts, questions and the safety pulse, counted, never listed.


def posts_by_team(teams, start: datetime, end: datetime) -> dict[int, dict]:
    from reflections.models import Question, Thought

    thoughts = (
        Thought.objects.filter(team__in=teams, created_at__gte=start, created_at__lt=end)
        .values("team")
        .annotate(n=Count("id"))
    )
    questions = (
        Question.objects.filter(team__in=teams, asked_on__gte=start.date(), asked_on__lt=end.date())
        .values("team")
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(status=Question.Status.ANSWERED)),
        )
    )
    result: dict[int, dict] = {
        row["team"]: {"questions_with_status": row["n"]} for row in questions
    }
    for row in thoughts:
        result.setdefault(row["team"], {})["thoughts"] = row["n"]
    for row in questions:
        entry = result.setdefault(row["team"], {})
        entry["questions"], entry["answered"] = row["n"], row["answered"]
    # Rows past the retention limit are gone; their counts live on in monthly totals. (Whether
    # those questions were answered is not kept, so the answered share covers kept rows only.)
    for row in retained_counts(teams, start, end):
        entry = result.setdefault(row["team"], {})
        entry["thoughts"] = entry.get("thoughts", 0) + row["thoughts"]
        entry["questions"] = entry.get("questions", 0) + row["questions"]
        entry["answered"] = entry.get("answered", 0)
        entry["questions_with_status"] = entry.get("questions_with_status", 0)
    return result


def retained_counts(teams, start: datetime, end: datetime):
    """Monthly totals written by retention before it deleted old rows (privacy app)."""
    from privacy.models import MonthlyActivity

    return (
        MonthlyActivity.objects.filter(
            team__in=teams, month__gte=start.date(), month__lt=end.date()
        )
        .values("team")
        .annotate(thoughts=Sum("thoughts"), questions=Sum("questions"))
    )


def thoughts_by_theme(teams, start: datetime, end: datetime) -> dict[int, dict]:
    from reflections.models import Thought

    rows = (
        Thought.objects.filter(
            team__in=teams,
            team_goal__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("team_goal__themes")
        .annotate(n=Count("id", distinct=True), people=Count("author", distinct=True))
    )
    return {row["team_goal__themes"]: row for row in rows if row["team_goal__themes"]}


def monthly_thoughts(teams, start: datetime, end: datetime, zone) -> dict:
    from reflections.models import Thought

    rows = (
        Thought.objects.filter(team__in=teams, created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("id"), people=Count("author", distinct=True))
    )
    return {row["month"].date(): row for row in rows}


def monthly_pulse(teams, start: datetime, end: datetime, zone) -> dict:
    """Average pulse value per month, with how many answered (the group it rests on)."""
    from django.db.models import Avg

    from reflections.models import PulseAnswered, PulseValue

    values = (
        PulseValue.objects.filter(
            session__team__in=teams, session__starts_at__gte=start, session__starts_at__lt=end
        )
        .annotate(month=TruncMonth("session__starts_at", tzinfo=zone))
        .values("month")
        .annotate(average=Avg("value"))
    )
    answered = (
        PulseAnswered.objects.filter(
            session__team__in=teams, session__starts_at__gte=start, session__starts_at__lt=end
        )
        .annotate(month=TruncMonth("session__starts_at", tzinfo=zone))
        .values("month")
        .annotate(people=Count("user", distinct=True))
    )
    people = {row["month"].date(): row["people"] for row in answered}
    return {
        row["month"].date(): {
            "average": row["average"],
            "people": people.get(row["month"].date(), 0),
        }
        for row in values
    }


def period_thought_authors(teams, start: datetime, end: datetime) -> int:
    from reflections.models import Thought

    return (
        Thought.objects.filter(team__in=teams, created_at__gte=start, created_at__lt=end)
        .values("author")
        .distinct()
        .count()
    )


def period_pulse(teams, start: datetime, end: datetime) -> dict:
    from django.db.models import Avg

    from reflections.models import PulseAnswered, PulseValue

    average = PulseValue.objects.filter(
        session__team__in=teams, session__starts_at__gte=start, session__starts_at__lt=end
    ).aggregate(average=Avg("value"))["average"]
    people = (
        PulseAnswered.objects.filter(
            session__team__in=teams, session__starts_at__gte=start, session__starts_at__lt=end
        )
        .values("user")
        .distinct()
        .count()
    )
    return {"average": average, "people": people}
