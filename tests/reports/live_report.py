"""The HR report's cells computed straight from the rows: the reference definition of each,
kept with the tests. The report reads the published monthly rollups instead; test_rollups.py
holds the two equal (`month_cells`)."""

from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth

from reflections.models import Attendance, Session
from teams.models import CheckIn, Membership, PersonalGoal, StrategyTheme, TeamGoal


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
    result: dict[int, dict] = {}
    for row in thoughts:
        result.setdefault(row["team"], {})["thoughts"] = row["n"]
    for row in questions:
        entry = result.setdefault(row["team"], {})
        entry["questions"], entry["answered"] = row["n"], row["answered"]
    return result


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


# One month as the published rollups hold it (reports/models.py), from the rows.


def month_cells(organization, month) -> dict:
    """Per team: sessions, attendance, thoughts, questions and pulse; for the whole
    organisation and per theme: the distinct people behind them."""
    import zoneinfo

    from reflections.models import PulseValue
    from reports.periods import Period

    zone = zoneinfo.ZoneInfo(organization.time_zone)
    start, end = Period(month, (month.replace(day=28) + timedelta(days=4)).replace(day=1)).bounds(
        organization.time_zone
    )
    teams = list(organization.teams.values_list("pk", flat=True))
    sessions = sessions_by_team(teams, start, end)
    attended = attendance_by_team(teams, start, end)
    posts = posts_by_team(teams, start, end)
    pulse = (
        PulseValue.objects.filter(
            session__team__in=teams, session__starts_at__gte=start, session__starts_at__lt=end
        )
        .values("session__team")
        .annotate(total=Sum("value"), n=Count("id"))
    )
    pulses = {row["session__team"]: (row["total"], row["n"]) for row in pulse}
    by_team = {}
    for team in {*sessions, *attended, *posts, *pulses}:
        row = {key: sessions.get(team, {}).get(key, 0) for key in ("planned", "held", "skipped")}
        row["attendances"] = attended.get(team, 0)
        for key in ("thoughts", "questions", "answered"):
            row[key] = posts.get(team, {}).get(key, 0)
        row["pulse_sum"], row["pulse_count"] = pulses.get(team, (0, 0))
        by_team[team] = row
    thoughts = monthly_thoughts(teams, start, end, zone).get(month, {})
    themes = {
        theme: {"authors": row["people"]}
        for theme, row in thoughts_by_theme(teams, start, end).items()
    }
    for row in direction_by_theme(organization, teams, start, end):
        themes.setdefault(row["theme"].pk, {"authors": 0})["learners"] = row["learners"]
    return {
        "teams": by_team,
        "learners": monthly_learners(teams, start, end).get(month, 0),
        "authors": thoughts.get("people", 0),
        "pulsers": monthly_pulse(teams, start, end, zone).get(month, {}).get("people", 0),
        "themes": {
            theme: {"authors": row.get("authors", 0), "learners": row.get("learners", 0)}
            for theme, row in themes.items()
            if row.get("authors") or row.get("learners")
        },
    }
