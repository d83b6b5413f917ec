"""Reads that span relations for learning direction: the team direction view and "my learning";
and whether an e-mail address already has an account.

Each function returns plain data built from a fixed number of queries, whatever the number
of goals, people or check-ins, and only what the viewer may see (teams.access decides).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils import timezone

from learning_lead import fragments
from teams import access
from teams.models import (
    CheckIn,
    GoalStatus,
    Membership,
    OrgRole,
    PersonalGoal,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)


def email_in_use(email: str) -> bool:
    """Whether an account has this address in any letter case, compared as the unique index
    on lower(email) compares (in the database, so Python's and PostgreSQL's lower-casing
    cannot disagree)."""
    users = User.objects.alias(email_lower=Lower("email"))
    return users.filter(email_lower=Lower(Value(email.strip()))).exists()


def pending_signups(*, email: str | None = None):
    """People who signed up and have not opened their verification link: not able to sign
    in, never signed in, in an organisation nobody administers (teams/signup_services.py)."""
    admins = OrgRole.objects.filter(organization_id=OuterRef("organization_id"))
    pending = User.objects.filter(
        is_active=False, last_login__isnull=True, organization__isnull=False
    ).exclude(Exists(admins))
    if email is not None:
        pending = pending.alias(email_lower=Lower("email")).filter(
            email_lower=Lower(Value(email.strip()))
        )
    return pending.select_related("organization")


# A goal with nothing new for this long stands out in the direction view.
QUIET_AFTER = datetime.timedelta(days=30)
RECENT_CHECKINS_PER_GOAL = 3
RECENT_CHECKINS_PER_TEAM_GOAL = 5
RECENT_THOUGHTS_PER_TEAM_GOAL = 3
CLOSED = {TeamGoal.Status.REACHED, TeamGoal.Status.DROPPED}


@dataclass
class GoalActivity:
    """One team goal as the viewer may see it: the shared personal goals working on it."""

    goal: TeamGoal
    shared_goals: list[PersonalGoal]
    recent_checkins: list[CheckIn]
    last_activity: datetime.date
    quiet: bool
    # The team's own thoughts linked to this goal (team-visible like the feed), newest first.
    recent_thoughts: list = field(default_factory=list)

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
    free_goals: list[PersonalGoal]


def team_ids_of(user_id) -> list[int]:
    """The teams the person is a member of, by id (the scopes of their cached pages)."""
    return list(Membership.objects.filter(user_id=user_id).values_list("team_id", flat=True))


def memberships_of(user: User) -> QuerySet[Membership]:
    """The person's memberships of the teams they may see, with the team, by team name."""
    return (
        Membership.objects.filter(user=user, team__in=access.teams_for(user))
        .select_related("team")
        .order_by("team__name")
    )


def membership_count(user: User) -> int:
    """How many teams the person is in: one indexed count (the benchmark's floor page)."""
    return Membership.objects.filter(user=user).count()


def person_scopes(user_id) -> list[str]:
    """A person's own cached pages and every page of their teams (their name, their goals)."""
    return [fragments.user(user_id), *(fragments.team(pk) for pk in team_ids_of(user_id))]


def recent_checkins(limit: int | None = None) -> Prefetch:
    checkins = CheckIn.objects.order_by("-day", "-created_at")
    # A sliced prefetch runs as one windowed query, however many goals there are; Django
    # allows slicing only with to_attr, so the list lives on goal.checkin_list.
    queryset = checkins[:limit] if limit else checkins
    return Prefetch("checkins", queryset=queryset, to_attr="checkin_list")


def last_activity(
    goal: TeamGoal, shared: list[PersonalGoal], last_thought_at: datetime.datetime | None
) -> datetime.date:
    """The last day anything happened on a team goal: it was set, a shared personal goal was
    set on it or checked in (goal.checkin_list, newest first), or a thought was linked to it."""
    moments = [timezone.localdate(goal.created_at)]
    moments += [timezone.localdate(personal.created_at) for personal in shared]
    moments += [checkin.day for personal in shared for checkin in personal.checkin_list[:1]]
    if last_thought_at is not None:
        moments.append(timezone.localdate(last_thought_at))
    return max(moments)


def _activity(goal: TeamGoal, shared: list[PersonalGoal], today: datetime.date) -> GoalActivity:
    checkins = sorted(
        (checkin for personal in shared for checkin in personal.checkin_list),
        key=lambda checkin: (checkin.day, checkin.created_at),
        reverse=True,
    )
    thoughts = goal.thought_list
    latest = last_activity(goal, shared, thoughts[0].created_at if thoughts else None)
    return GoalActivity(
        goal=goal,
        shared_goals=shared,
        recent_checkins=checkins[:RECENT_CHECKINS_PER_TEAM_GOAL],
        last_activity=latest,
        quiet=today - latest > QUIET_AFTER,
        recent_thoughts=thoughts,
    )


def _recent_thoughts(limit: int) -> Prefetch:
    from reflections.models import Thought

    thoughts = (
        Thought.objects.filter(parent__isnull=True)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    return Prefetch("thoughts", queryset=thoughts[:limit], to_attr="thought_list")


def shared_in_team(*, viewer: User, team: Team, leads: bool) -> QuerySet[PersonalGoal]:
    """The active personal goals of the team's people that the viewer, a member of the team
    (leading it or not), may see on its direction view: linked to one of its team goals or
    to none. What access.personal_goals_visible_to decides, said for this team: the general
    form's subqueries took longer to build than the rest of the page's queries together
    (tests/teams/test_direction_visibility.py checks the two agree)."""
    owner_in = Membership.objects.filter(user_id=OuterRef("owner_id"))
    Visibility = PersonalGoal.Visibility
    # The owner is in this team, and so is the viewer: "team" reaches the viewer through it,
    # for a linked goal (its team goal's team) and a free one (any team of the owner's).
    seen = Q(owner=viewer) | Q(visibility=Visibility.TEAM)
    if leads:
        seen |= Q(visibility=Visibility.SUPERVISOR)
    else:
        # A free goal reaches the supervisors of each of its owner's teams: one the viewer
        # leads elsewhere, say.
        led = Membership.objects.filter(
            user=viewer,
            role=Membership.Role.SUPERVISOR,
            team__organization_id=viewer.organization_id,
        ).values("team_id")
        seen |= Q(visibility=Visibility.SUPERVISOR, team_goal__isnull=True) & Exists(
            owner_in.filter(team_id__in=led)
        )
    return PersonalGoal.objects.filter(
        seen,
        Exists(owner_in.filter(team=team)),
        Q(team_goal__team=team) | Q(team_goal__isnull=True),
        owner__organization_id=viewer.organization_id,
        status=GoalStatus.ACTIVE,
    ).exclude(visibility=Visibility.PRIVATE)


def team_direction(*, viewer: User, team: Team, leads: bool) -> TeamDirection:
    """The direction view of a team the viewer is a member of (access.get_team_for), leading
    it or not."""
    today = timezone.localdate()
    team_goals = list(
        TeamGoal.objects.filter(team=team)
        .prefetch_related(_recent_thoughts(RECENT_THOUGHTS_PER_TEAM_GOAL))
        .order_by("title")
    )
    # Which themes each goal serves, as ids: the page names the organisation's themes, read
    # below, so the goals' own theme rows (a prefetch, dearer to build) are not needed.
    theme_ids: dict[int, set[int]] = {goal.pk: set() for goal in team_goals}
    for goal_id, theme_id in TeamGoal.themes.through.objects.filter(
        teamgoal__team=team
    ).values_list("teamgoal_id", "strategytheme_id"):
        theme_ids.setdefault(goal_id, set()).add(theme_id)
    shared = list(
        shared_in_team(viewer=viewer, team=team, leads=leads)
        .select_related("owner")
        .prefetch_related(recent_checkins(RECENT_CHECKINS_PER_GOAL))
        .order_by("owner__first_name", "owner__username", "title")
    )
    by_team_goal: dict[int, list[PersonalGoal]] = {}
    free_goals = []
    for goal in shared:
        if goal.team_goal_id is None:
            free_goals.append(goal)
        else:
            by_team_goal.setdefault(goal.team_goal_id, []).append(goal)

    active = [goal for goal in team_goals if goal.status == TeamGoal.Status.ACTIVE]
    activity = {goal.pk: _activity(goal, by_team_goal.get(goal.pk, []), today) for goal in active}
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


def _attach_thoughts(goals: list[PersonalGoal], user: User) -> None:
    """Each goal's thoughts: the person's own posts linked to the team goal it serves, oldest
    first, in one query whatever the number of goals."""
    from reflections.models import Thought

    team_goal_ids = {goal.team_goal_id for goal in goals if goal.team_goal_id}
    by_team_goal: dict[int, list] = {}
    for thought in (
        Thought.objects.filter(author=user, team_goal_id__in=team_goal_ids, parent__isnull=True)
        .select_related("team")
        .order_by("created_at", "id")
    ):
        by_team_goal.setdefault(thought.team_goal_id, []).append(thought)
    for goal in goals:
        goal.thought_list = by_team_goal.get(goal.team_goal_id, [])


def my_learning(*, user: User) -> MyLearning:
    """The person's own goals (every visibility) with all their check-ins, over time."""
    goals = list(
        PersonalGoal.objects.filter(owner=user)
        .select_related("team_goal__team")
        .prefetch_related(recent_checkins())
        .order_by("-created_at")
    )
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
