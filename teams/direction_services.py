"""Writes for learning direction: strategy themes, team and personal goals, check-ins.

Callers pass objects already fetched through teams.access; these functions still refuse
links that would cross an organisation or team, so a bug in a view cannot leak data. Each
write names the cached pages' scopes it changes (learning_lead/fragment_scopes.py).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction

from learning_lead import fragments
from teams import selectors
from teams.models import (
    CheckIn,
    Membership,
    Organization,
    PersonalGoal,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)


class DirectionError(ValueError):
    """A write that would link things the rules keep apart."""


@transaction.atomic
def theme_create(
    *,
    organization: Organization,
    title: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    order: int = 0,
) -> StrategyTheme:
    theme = StrategyTheme.objects.create(
        organization=organization,
        title=title,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        order=order,
    )
    fragments.changed(fragments.org(organization.pk))
    return theme


@transaction.atomic
def theme_update(
    *,
    theme: StrategyTheme,
    title: str,
    description: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    order: int,
) -> StrategyTheme:
    theme.title = title
    theme.description = description
    theme.starts_on = starts_on
    theme.ends_on = ends_on
    theme.order = order
    theme.save(update_fields=["title", "description", "starts_on", "ends_on", "order"])
    fragments.changed(fragments.org(theme.organization_id))
    return theme


def _check_themes(team: Team, themes: Iterable[StrategyTheme]) -> list[StrategyTheme]:
    themes = list(themes)
    if any(theme.organization_id != team.organization_id for theme in themes):
        raise DirectionError("A team goal links only to its own organisation's themes.")
    return themes


@transaction.atomic
def team_goal_create(
    *, team: Team, author: User, title: str, why: str, themes: Iterable[StrategyTheme]
) -> TeamGoal:
    """A supervisor's goal starts active; a member's is a proposal the supervisor accepts."""
    membership = Membership.objects.filter(team=team, user=author).first()
    if membership is None:
        raise DirectionError("Only the team's own people set or propose its goals.")
    themes = _check_themes(team, themes)
    status = TeamGoal.Status.ACTIVE if membership.is_supervisor else TeamGoal.Status.PROPOSED
    goal = TeamGoal.objects.create(
        team=team, title=title, why=why, status=status, created_by=author
    )
    goal.themes.set(themes)
    fragments.changed(fragments.team(goal.team_id))
    return goal


@transaction.atomic
def team_goal_update(
    *, goal: TeamGoal, title: str, why: str, themes: Iterable[StrategyTheme], status: str
) -> TeamGoal:
    themes = _check_themes(goal.team, themes)
    goal.title = title
    goal.why = why
    goal.status = status
    goal.save(update_fields=["title", "why", "status", "updated_at"])
    goal.themes.set(themes)
    fragments.changed(fragments.team(goal.team_id))
    return goal


@transaction.atomic
def team_goal_accept(*, goal: TeamGoal) -> bool:
    """Turns a proposal into an active goal; False when it was no longer a proposal."""
    # A conditional update, so two supervisors accepting at once do not both "win".
    accepted = TeamGoal.objects.filter(pk=goal.pk, status=TeamGoal.Status.PROPOSED).update(
        status=TeamGoal.Status.ACTIVE
    )
    if accepted:
        goal.status = TeamGoal.Status.ACTIVE
        fragments.changed(fragments.team(goal.team_id))
    return bool(accepted)


def _check_team_goal(owner: User, team_goal: TeamGoal | None) -> None:
    if (
        team_goal is not None
        and not Membership.objects.filter(team_id=team_goal.team_id, user=owner).exists()
    ):
        raise DirectionError("A personal goal links only to a goal of the owner's own team.")


@transaction.atomic
def personal_goal_create(
    *,
    owner: User,
    title: str,
    reason: str,
    challenge: int,
    visibility: str = PersonalGoal.Visibility.PRIVATE,
    team_goal: TeamGoal | None = None,
) -> PersonalGoal:
    _check_team_goal(owner, team_goal)
    goal = PersonalGoal.objects.create(
        owner=owner,
        team_goal=team_goal,
        title=title,
        reason=reason,
        challenge=challenge,
        visibility=visibility,
    )
    fragments.changed(*selectors.person_scopes(owner.pk))  # shown through each of their teams
    return goal


@transaction.atomic
def personal_goal_update(
    *,
    goal: PersonalGoal,
    title: str,
    reason: str,
    challenge: int,
    visibility: str,
    team_goal: TeamGoal | None,
    status: str,
) -> PersonalGoal:
    _check_team_goal(goal.owner, team_goal)
    goal.title = title
    goal.reason = reason
    goal.challenge = challenge
    goal.visibility = visibility
    goal.team_goal = team_goal
    goal.status = status
    goal.save(
        update_fields=[
            "title",
            "reason",
            "challenge",
            "visibility",
            "team_goal",
            "status",
            "updated_at",
        ]
    )
    fragments.changed(*selectors.person_scopes(goal.owner_id))
    return goal


@transaction.atomic
def checkin_create(
    *, goal: PersonalGoal, day: datetime.date, progress: int, note: str = ""
) -> CheckIn:
    if not 1 <= progress <= 5:
        raise DirectionError("Progress is from 1 to 5.")
    check_in = CheckIn.objects.create(goal=goal, day=day, progress=progress, note=note)
    fragments.changed(*selectors.person_scopes(goal.owner_id))
    return check_in
