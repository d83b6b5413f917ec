"""Reads that span relations within teams: a person's teams and the scopes of their cached
pages, goals' check-ins and last activity (the direction page and "my learning" build on them
in reflections/direction.py, as those show thoughts too), and whether an e-mail address
already has an account.

Each function returns plain data built from a fixed number of queries, whatever the number
of goals, people or check-ins, and only what the viewer may see (teams.access decides).
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils import timezone

from learning_lead import fragments
from teams.models import (
    CheckIn,
    GoalStatus,
    Membership,
    OrgRole,
    PersonalGoal,
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


def team_ids_of(user_id) -> list[int]:
    """The teams the person is a member of, by id (the scopes of their cached pages)."""
    return list(Membership.objects.filter(user_id=user_id).values_list("team_id", flat=True))


def memberships_of(user: User) -> QuerySet[Membership]:
    """The person's memberships of the teams they may see, with the team, by team name.

    The teams access.teams_for(user) allows are those of the person's organisation they
    belong to: said here as their memberships of their organisation's teams, without that
    rule's subquery, which cost the dashboard more to build than its rows
    (tests/reflections/test_dashboard_selectors.py compares the two)."""
    if not user.is_authenticated or user.organization_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, team__organization_id=user.organization_id)
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


def shared_in_team(*, viewer: User, team: Team, leads: bool) -> QuerySet[PersonalGoal]:
    """The active personal goals of the team's people that the viewer, a member of the team
    (leading it or not), may see on its direction view: linked to one of its team goals or
    to none. What access.personal_goals_visible_to decides, said for this team: the general
    form's subqueries took longer to build than the rest of the page's queries together
    (tests/teams/test_direction_visibility.py checks the two agree)."""
    Visibility = PersonalGoal.Visibility
    # Never "only me" here, even for the owner. The owner is in this team, and so is the
    # viewer: "team" reaches the viewer through it, for a linked goal (its team goal's team)
    # and a free one (any team of the owner's); "supervisor" reaches the owner and the team's
    # supervisors.
    if leads:
        seen = Q(visibility__in=[Visibility.TEAM, Visibility.SUPERVISOR])
    else:
        # A free goal reaches the supervisors of each of its owner's teams: one the viewer
        # leads elsewhere, say.
        led = Membership.objects.filter(
            user=viewer,
            role=Membership.Role.SUPERVISOR,
            team__organization_id=viewer.organization_id,
        ).values("team_id")
        owner_in = Membership.objects.filter(user_id=OuterRef("owner_id"), team_id__in=led)
        seen = (
            Q(visibility=Visibility.TEAM)
            | Q(visibility=Visibility.SUPERVISOR, owner=viewer)
            | Q(visibility=Visibility.SUPERVISOR, team_goal__isnull=True) & Exists(owner_in)
        )
    return PersonalGoal.objects.filter(
        seen,
        Q(team_goal__team=team) | Q(team_goal__isnull=True),
        # A join, not a subquery (cheaper to build): one membership per person and team, so
        # no goal comes twice.
        owner__memberships__team=team,
        owner__organization_id=viewer.organization_id,
        status=GoalStatus.ACTIVE,
    )
