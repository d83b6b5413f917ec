"""The direction page and "my learning": team and personal goals beside the thoughts linked
to them. Reads that need teams and reflections both, so they live here, above teams
(docs/architecture.md); teams.selectors keeps what only needs goals and check-ins.

Each function returns plain data built from a fixed number of queries, whatever the number
of goals, people, check-ins or thoughts, and only what the viewer may see (teams.access
decides).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from reflections import recent_rows
from reflections.models import Thought
from teams import access
from teams.models import (
    CheckIn,
    GoalStatus,
    PersonalGoal,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)
from teams.selectors import (
    QUIET_AFTER,
    RECENT_CHECKINS_PER_GOAL,
    last_activity,
    shared_in_team,
)

RECENT_CHECKINS_PER_TEAM_GOAL = 5
RECENT_THOUGHTS_PER_TEAM_GOAL = 3
CLOSED = {TeamGoal.Status.REACHED, TeamGoal.Status.DROPPED}


def _name(first: str, last: str, username: str) -> str:
    """A person as str(User) gives them: the full name, else the username."""
    return f"{first} {last}".strip() or username


@dataclass(slots=True)
class SharedGoal:
    """A shared personal goal as the direction view shows it: read as values, not model
    instances (forty of them with their owners and check-ins were most of the page's cost).
    Offers what the template and teams.coaching read of a PersonalGoal."""

    pk: int
    title: str
    owner_id: int
    owner: str  # the owner's name, as str(User)
    challenge: int
    created_at: datetime.datetime
    team_goal_id: int | None
    checkin_list: list["RecentCheckIn"] = field(default_factory=list)  # newest first

    def get_challenge_display(self):
        return _CHALLENGES.get(self.challenge, self.challenge)


@dataclass(slots=True)
class RecentCheckIn:
    """A check-in as the direction view and "my learning" show it."""

    goal: "SharedGoal | PersonalGoal"
    day: datetime.date
    progress: int
    note: str
    created_at: datetime.datetime


@dataclass(slots=True)
class GoalThought:
    """A thought linked to a team goal, as the direction view lists it."""

    created_at: datetime.datetime
    author: str | None  # None once the author has deleted their account
    kind: str
    body: str

    def get_kind_display(self):
        return _KINDS.get(self.kind, self.kind)


_CHALLENGES = dict(PersonalGoal._meta.get_field("challenge").flatchoices)
_KINDS = dict(Thought._meta.get_field("kind").flatchoices)


@dataclass
class GoalActivity:
    """One team goal as the viewer may see it: the shared personal goals working on it."""

    goal: TeamGoal
    shared_goals: list[SharedGoal]
    recent_checkins: list[RecentCheckIn]
    last_activity: datetime.date
    quiet: bool
    # The team's own thoughts linked to this goal (team-visible like the feed), newest first.
    recent_thoughts: list[GoalThought] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len({goal.owner_id for goal in self.shared_goals})


@dataclass
class ThemeGroup:
    theme: StrategyTheme | None  # None: goals not linked to any theme
    goals: list[GoalActivity]
    # Goals serving several themes are shown in full under the first one and only named
    # (with a link) under the others, so the page does not repeat itself.
    also: list[GoalActivity] = field(default_factory=list)


@dataclass
class TeamDirection:
    team: Team
    groups: list[ThemeGroup]
    proposals: list[TeamGoal]
    closed: list[TeamGoal]
    free_goals: list[SharedGoal]


def _activity(
    goal: TeamGoal, shared: list[SharedGoal], thoughts: list[GoalThought], today: datetime.date
) -> GoalActivity:
    checkins = sorted(
        (checkin for personal in shared for checkin in personal.checkin_list),
        key=lambda checkin: (checkin.day, checkin.created_at),
        reverse=True,
    )
    latest = last_activity(goal, shared, thoughts[0].created_at if thoughts else None)
    return GoalActivity(
        goal=goal,
        shared_goals=shared,
        recent_checkins=checkins[:RECENT_CHECKINS_PER_TEAM_GOAL],
        last_activity=latest,
        quiet=today - latest > QUIET_AFTER,
        recent_thoughts=thoughts,
    )


def _recent_thoughts(goal_ids: list[int], limit: int) -> dict[int, list[GoalThought]]:
    """The newest top-level thoughts of each team goal, newest first."""
    by_goal: dict[int, list[GoalThought]] = {}
    if not goal_ids:
        return by_goal
    rows = recent_rows.recent_thoughts(goal_ids, limit)
    for goal_id, created_at, kind, body, author_id, first, last, username in rows:
        author = None if author_id is None else _name(first, last, username)
        by_goal.setdefault(goal_id, []).append(GoalThought(created_at, author, kind, body))
    return by_goal


def _shared_goals(*, viewer: User, team: Team, leads: bool) -> list[SharedGoal]:
    """The personal goals shared on the team's direction view (teams.selectors.shared_in_team)
    with each one's recent check-ins, newest first: two queries."""
    goals = [
        SharedGoal(pk, title, owner_id, _name(first, last, username), challenge, created, linked)
        for pk, title, owner_id, challenge, created, linked, first, last, username in (
            shared_in_team(viewer=viewer, team=team, leads=leads)
            .order_by("owner__first_name", "owner__username", "title")
            .values_list(
                "pk",
                "title",
                "owner_id",
                "challenge",
                "created_at",
                "team_goal_id",
                "owner__first_name",
                "owner__last_name",
                "owner__username",
            )
        )
    ]
    if goals:
        by_pk = {goal.pk: goal for goal in goals}
        checkins = recent_rows.recent_checkins(list(by_pk), RECENT_CHECKINS_PER_GOAL)
        for goal_id, day, progress, note, created_at in checkins:
            goal = by_pk[goal_id]
            goal.checkin_list.append(RecentCheckIn(goal, day, progress, note, created_at))
    return goals


def team_direction(*, viewer: User, team: Team, leads: bool) -> TeamDirection:
    """The direction view of a team the viewer is a member of (access.get_team_for), leading
    it or not."""
    today = timezone.localdate()
    # The goals with the themes each serves, as ids, in one query: a row per goal and theme
    # (one with no theme for a goal serving none). The page names the organisation's themes,
    # read below, so the goals' own theme rows (a prefetch, dearer to build) are not needed.
    team_goals: list[TeamGoal] = []
    theme_ids: dict[int, set[int]] = {}
    for goal in (
        TeamGoal.objects.filter(team=team).annotate(theme_id=F("themes")).order_by("title", "pk")
    ):
        if goal.pk not in theme_ids:
            team_goals.append(goal)
            theme_ids[goal.pk] = set()
        if goal.theme_id is not None:
            theme_ids[goal.pk].add(goal.theme_id)
    by_team_goal: dict[int, list[SharedGoal]] = {}
    free_goals = []
    for goal in _shared_goals(viewer=viewer, team=team, leads=leads):
        if goal.team_goal_id is None:
            free_goals.append(goal)
        else:
            by_team_goal.setdefault(goal.team_goal_id, []).append(goal)

    active = [goal for goal in team_goals if goal.status == TeamGoal.Status.ACTIVE]
    thoughts = _recent_thoughts([goal.pk for goal in active], RECENT_THOUGHTS_PER_TEAM_GOAL)
    activity = {
        goal.pk: _activity(goal, by_team_goal.get(goal.pk, []), thoughts.get(goal.pk, []), today)
        for goal in active
    }
    themes = team.organization.strategy_themes.order_by("order", "title")
    groups, shown = [], set()
    for theme in themes:
        linked = [activity[goal.pk] for goal in active if theme.pk in theme_ids[goal.pk]]
        # A current theme with no team goal yet is shown too: a gap worth talking about.
        if linked or theme.is_active_on(today):
            first = [item for item in linked if item.goal.pk not in shown]
            also = [item for item in linked if item.goal.pk in shown]
            groups.append(ThemeGroup(theme=theme, goals=first, also=also))
            shown.update(item.goal.pk for item in first)
    unthemed = [activity[goal.pk] for goal in active if not theme_ids[goal.pk]]
    if unthemed:
        groups.append(ThemeGroup(theme=None, goals=unthemed))
    return TeamDirection(
        team=team,
        groups=groups,
        proposals=[goal for goal in team_goals if goal.is_proposed],
        closed=[goal for goal in team_goals if goal.status in CLOSED],
        free_goals=free_goals,
    )


@dataclass
class MyLearning:
    active: list[PersonalGoal]
    earlier: list[PersonalGoal]
    team_goals: list[TeamGoal]


@dataclass(slots=True)
class MyThought:
    """One of the person's own thoughts on a team goal, as "my learning" lists it."""

    created_at: datetime.datetime
    kind: str
    body: str
    team_id: int
    team_name: str

    def get_kind_display(self):
        return _KINDS.get(self.kind, self.kind)


def _attach_checkins(goals: list[PersonalGoal]) -> None:
    """Each goal's check-ins, newest first, read as values (a prefetch's model instances and
    its machinery cost more than the query): one query whatever the number of goals."""
    by_pk = {goal.pk: goal for goal in goals}
    for goal in goals:
        goal.checkin_list = []
    if not goals:
        return
    for goal_id, day, progress, note, created_at in (
        CheckIn.objects.filter(goal_id__in=list(by_pk))
        .order_by("-day", "-created_at")
        .values_list("goal_id", "day", "progress", "note", "created_at")
    ):
        goal = by_pk[goal_id]
        goal.checkin_list.append(RecentCheckIn(goal, day, progress, note, created_at))


def _attach_thoughts(goals: list[PersonalGoal], user: User) -> None:
    """Each goal's thoughts: the person's own posts linked to the team goal it serves, oldest
    first, in one query whatever the number of goals."""
    team_goal_ids = {goal.team_goal_id for goal in goals if goal.team_goal_id}
    by_team_goal: dict[int, list] = {}
    for team_goal_id, *fields in (
        Thought.objects.filter(author=user, team_goal_id__in=team_goal_ids, parent__isnull=True)
        .order_by("created_at", "id")
        .values_list("team_goal_id", "created_at", "kind", "body", "team_id", "team__name")
    ):
        by_team_goal.setdefault(team_goal_id, []).append(MyThought(*fields))
    for goal in goals:
        goal.thought_list = by_team_goal.get(goal.team_goal_id, [])


def my_learning(*, user: User) -> MyLearning:
    """The person's own goals (every visibility) with all their check-ins, over time."""
    goals = list(
        PersonalGoal.objects.filter(owner=user)
        .select_related("team_goal__team")
        .order_by("-created_at")
    )
    _attach_checkins(goals)
    _attach_thoughts(goals, user)
    team_goals = list(
        access.team_goals_for(user)
        .filter(status=TeamGoal.Status.ACTIVE)
        .select_related("team")
        .order_by("team__name", "title")
    )
    return MyLearning(
        active=[goal for goal in goals if goal.status == GoalStatus.ACTIVE],
        earlier=[goal for goal in goals if goal.status != GoalStatus.ACTIVE],
        team_goals=team_goals,
    )
