"""Rhythm health for a supervisor, across every team they lead: the next and the last held
session, planned against held and weekly participation over the last eight weeks, open
questions, goals gone quiet, a lapse if there is one, and coaching hints.

A fixed number of queries whatever the number of teams, sessions, goals or check-ins. Only
what the supervisor may see: personal goals count only when their owners shared them with the
supervisor or the team, and questions are counted, never listed.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from reflections.lapse import Lapse, lapse_of, with_rhythm_state
from reflections.models import Question, Session, Thought
from teams import access, coaching
from teams.models import GoalStatus, Membership, PersonalGoal, Team, TeamGoal, User
from teams.selectors import QUIET_AFTER, RECENT_CHECKINS_PER_GOAL, last_activity, recent_checkins

WEEKS = 8
# The weekly participation chart, in SVG units (it scales to the page's width): the plot runs
# from 0 % at CHART_BASE up to 100 % CHART_PLOT units higher; the left margin holds the
# percentages, the bottom one the weeks.
CHART_WIDTH, CHART_HEIGHT = 440, 224
CHART_LEFT, CHART_RIGHT = 48, 8
CHART_BASE, CHART_PLOT = 184, 156
# Whole numbers: a float would be written with the reader's decimal comma in the SVG.
CHART_GRID = [(value, CHART_BASE - CHART_PLOT * value // 100) for value in (0, 25, 50, 75, 100)]


@dataclass
class Week:
    starts_on: datetime.date  # Monday, in the team's time zone
    held: int = 0
    took_part: int = 0
    seats: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.took_part / self.seats) if self.seats else None


@dataclass
class ChartBar:
    week: Week
    x: float
    width: float
    y: float
    height: float
    centre: float


@dataclass
class TeamHealth:
    team: Team
    size: int
    next_session: Session | None
    last_held: Session | None
    planned: int  # sessions whose time came in the last eight weeks, skipped ones aside
    held: int
    skipped: int
    weeks: list[Week]
    open_questions: int
    quiet_goals: list[TeamGoal]
    quiet_personal: int
    lapse: Lapse | None
    started: bool  # has had a rhythm or a session
    hints: list[coaching.Hint] = field(default_factory=list)

    @property
    def chart(self) -> list[ChartBar]:
        """One bar per week, tall as the share who took part; a week with no held session has
        no bar (its label says so)."""
        slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / WEEKS
        bars = []
        for index, week in enumerate(self.weeks):
            share = None if week.percent is None else min(week.percent, 100)
            height = 0 if share is None else CHART_PLOT * share / 100
            bars.append(
                ChartBar(
                    week=week,
                    x=round(CHART_LEFT + index * slot + slot * 0.2, 1),
                    width=round(slot * 0.6, 1),
                    y=round(CHART_BASE - height, 1),
                    height=round(height, 1),
                    centre=round(CHART_LEFT + index * slot + slot / 2, 1),
                )
            )
        return bars


def _count(queryset: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("team_id").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _teams(user: User, now: datetime.datetime) -> list[Team]:
    team = OuterRef("pk")
    upcoming = Session.objects.filter(
        team_id=team, status=Session.Status.PLANNED, ends_at__gt=now
    ).order_by("starts_at", "pk")
    held = Session.objects.filter(team_id=team, status=Session.Status.HELD).order_by(
        "-starts_at", "-pk"
    )
    open_questions = Question.objects.filter(
        team_id=team, status=Question.Status.OPEN, is_hidden=False
    )
    teams = (
        access.teams_led_by(user)
        .annotate(
            size=_count(Membership.objects.filter(team_id=team)),
            open_questions=_count(open_questions),
            next_id=Subquery(upcoming.values("pk")[:1]),
            next_at=Subquery(upcoming.values("starts_at")[:1]),
            next_title=Subquery(upcoming.values("title")[:1]),
            last_held_id=Subquery(held.values("pk")[:1]),
            last_held_at=Subquery(held.values("starts_at")[:1]),
            last_held_title=Subquery(held.values("title")[:1]),
        )
        .order_by("name")
    )
    return list(with_rhythm_state(teams, now=now))


def _session(pk, starts_at, title, team: Team) -> Session | None:
    if pk is None:
        return None
    return Session(pk=pk, starts_at=starts_at, title=title, team=team, time_zone=team.time_zone)


def window_start(now: datetime.datetime) -> datetime.datetime:
    """Early enough for the first of the eight weeks in any time zone."""
    return now - datetime.timedelta(weeks=WEEKS, days=2)


def recent_sessions(team_ids, now: datetime.datetime) -> dict[int, list[dict]]:
    """Per team, its sessions that started in the window up to now, with attendance counts."""
    rows = (
        Session.objects.filter(
            team_id__in=team_ids, starts_at__gte=window_start(now), starts_at__lte=now
        )
        .values("team_id", "starts_at", "status")
        .annotate(took_part=Count("attendances"))
        .order_by("starts_at")
    )
    result: dict[int, list[dict]] = {}
    for row in rows:
        result.setdefault(row["team_id"], []).append(row)
    return result


def _weeks(team: Team, rows: list[dict], now: datetime.datetime) -> list[Week]:
    zone = zoneinfo.ZoneInfo(team.time_zone)
    today = now.astimezone(zone).date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    weeks = [Week(this_monday - datetime.timedelta(weeks=WEEKS - 1 - i)) for i in range(WEEKS)]
    for row in rows:
        if row["status"] != Session.Status.HELD:
            continue
        day = row["starts_at"].astimezone(zone).date()
        index = (day - weeks[0].starts_on).days // 7
        if 0 <= index < WEEKS:
            weeks[index].held += 1
            weeks[index].took_part += row["took_part"]
            weeks[index].seats += team.size
    return weeks


def held_participation(team: Team, rows: list[dict], first_day: datetime.date) -> list:
    """(people who took part, team size) for each held session from `first_day` on."""
    zone = zoneinfo.ZoneInfo(team.time_zone)
    return [
        (row["took_part"], team.size)
        for row in rows
        if row["status"] == Session.Status.HELD
        and row["starts_at"].astimezone(zone).date() >= first_day
    ]


def team_participation(team: Team, *, now: datetime.datetime | None = None) -> list:
    """held_participation for one team, for its direction view (two queries)."""
    now = now or timezone.now()
    team.size = Membership.objects.filter(team=team).count()
    rows = recent_sessions([team.pk], now).get(team.pk, [])
    first_day = _weeks(team, [], now)[0].starts_on
    return held_participation(team, rows, first_day)


def _shared_goals(user: User, team_ids: list[int]) -> dict[int, list[PersonalGoal]]:
    """Active personal goals the supervisor may see (never "only me"), per led team: a goal
    serving a team goal under that team, a free goal under each led team its owner is in."""
    goals = list(
        access.personal_goals_visible_to(user)
        .exclude(visibility=PersonalGoal.Visibility.PRIVATE)
        .filter(status=GoalStatus.ACTIVE)
        .filter(
            Q(team_goal__team_id__in=team_ids)
            | Q(
                team_goal__isnull=True,
                owner__memberships__team_id__in=team_ids,
            )
        )
        .distinct()
        .select_related("team_goal")
        .prefetch_related(recent_checkins(RECENT_CHECKINS_PER_GOAL))
    )
    owners = {goal.owner_id for goal in goals if goal.team_goal_id is None}
    teams_of: dict[int, set[int]] = {}
    for owner, team_id in Membership.objects.filter(
        team_id__in=team_ids, user_id__in=owners
    ).values_list("user_id", "team_id"):
        teams_of.setdefault(owner, set()).add(team_id)
    result: dict[int, list[PersonalGoal]] = {}
    for goal in goals:
        if goal.team_goal_id is not None:
            result.setdefault(goal.team_goal.team_id, []).append(goal)
        else:
            for team_id in teams_of.get(goal.owner_id, ()):
                result.setdefault(team_id, []).append(goal)
    return result


def _team_goals(team_ids: list[int]) -> dict[int, list[TeamGoal]]:
    last_thought = (
        Thought.objects.filter(team_goal_id=OuterRef("pk"), parent__isnull=True)
        .order_by()
        .values("team_goal_id")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    result: dict[int, list[TeamGoal]] = {}
    for goal in (
        TeamGoal.objects.filter(team_id__in=team_ids, status=TeamGoal.Status.ACTIVE)
        .annotate(last_thought_at=Subquery(last_thought))
        .order_by("title")
    ):
        result.setdefault(goal.team_id, []).append(goal)
    return result


def _quiet_personal(goals: list[PersonalGoal], today: datetime.date) -> int:
    """Shared personal goals with no check-in (or, without any, not set) in QUIET_AFTER."""
    return sum(
        1
        for goal in goals
        if today
        - max([timezone.localdate(goal.created_at)] + [c.day for c in goal.checkin_list[:1]])
        > QUIET_AFTER
    )


def _team_health(
    team: Team,
    rows: list[dict],
    goals: list[TeamGoal],
    shared: list[PersonalGoal],
    *,
    now: datetime.datetime,
    today: datetime.date,
) -> TeamHealth:
    weeks = _weeks(team, rows, now)
    zone = zoneinfo.ZoneInfo(team.time_zone)
    first_day = weeks[0].starts_on
    in_window = [r for r in rows if r["starts_at"].astimezone(zone).date() >= first_day]
    by_goal: dict[int, list[PersonalGoal]] = {}
    for personal in shared:
        if personal.team_goal_id:
            by_goal.setdefault(personal.team_goal_id, []).append(personal)
    health = TeamHealth(
        team=team,
        size=team.size,
        next_session=_session(team.next_id, team.next_at, team.next_title, team),
        last_held=_session(team.last_held_id, team.last_held_at, team.last_held_title, team),
        planned=sum(1 for r in in_window if r["status"] != Session.Status.SKIPPED),
        held=sum(1 for r in in_window if r["status"] == Session.Status.HELD),
        skipped=sum(1 for r in in_window if r["status"] == Session.Status.SKIPPED),
        weeks=weeks,
        open_questions=team.open_questions,
        quiet_goals=[
            goal
            for goal in goals
            if today - last_activity(goal, by_goal.get(goal.pk, []), goal.last_thought_at)
            > QUIET_AFTER
        ],
        quiet_personal=_quiet_personal(shared, today),
        lapse=lapse_of(team),
        started=team.has_history,
    )
    health.hints = coaching.hints_for(
        team=team,
        active_goals=goals,
        goals_without_shared=[goal for goal in goals if goal.pk not in by_goal],
        shared_goals=shared,
        held_sessions=held_participation(team, rows, first_day),
    )
    return health


def rhythm_health(*, user: User, now: datetime.datetime | None = None) -> list[TeamHealth]:
    """One entry per team the user leads, by name, from a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    teams = _teams(user, now)
    team_ids = [team.pk for team in teams]
    sessions = recent_sessions(team_ids, now)
    team_goals = _team_goals(team_ids)
    shared = _shared_goals(user, team_ids)
    return [
        _team_health(
            team,
            sessions.get(team.pk, []),
            team_goals.get(team.pk, []),
            shared.get(team.pk, []),
            now=now,
            today=today,
        )
        for team in teams
    ]
