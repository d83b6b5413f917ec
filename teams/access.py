"""The one place that decides who may see and change what.

Every view fetches teams, people, invitations, themes and goals through these helpers (and
the reflections app's rows through reflections/access.py, which builds on them).
Objects outside the user's organisation or reach raise Http404, so their existence is not
revealed; pages that belong to a role the user does not hold raise PermissionDenied (403).
"""

from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from learning_lead import compiled
from teams.models import (
    Invitation,
    Membership,
    Organization,
    OrgRole,
    PersonalGoal,
    StrategyTheme,
    Team,
    TeamGoal,
    User,
)


def _holds(role: str) -> str:
    return f"holds_{role}_role"


def with_roles(users: QuerySet[User]) -> QuerySet[User]:
    """Users loaded together with their organisation roles and whether they lead a team, so
    the signed-in person's every page needs no query of its own for them (see
    learning_lead/auth.py). The values hold for the request they were loaded in."""
    in_own_org = OrgRole.objects.filter(
        user_id=OuterRef("pk"), organization_id=OuterRef("organization_id")
    )
    return users.annotate(
        **{_holds(role): Exists(in_own_org.filter(role=role)) for role in OrgRole.Role},
        leads_a_team=Exists(
            Membership.objects.filter(
                user_id=OuterRef("pk"),
                role=Membership.Role.SUPERVISOR,
                team__organization_id=OuterRef("organization_id"),
            )
        ),
    )


def org_roles(user: User) -> frozenset[str]:
    """The user's organisation roles: read from what with_roles() loaded with the signed-in
    person (no query), asked from the database for anyone else."""
    if not user.is_authenticated or user.organization_id is None:
        return frozenset()
    if hasattr(user, "leads_a_team"):  # loaded through with_roles()
        return frozenset(role.value for role in OrgRole.Role if getattr(user, _holds(role)))
    return frozenset(
        OrgRole.objects.filter(user=user, organization_id=user.organization_id).values_list(
            "role", flat=True
        )
    )


def forget_roles(user: User) -> None:
    """Drops what with_roles() loaded, after the roles changed: the next check asks again."""
    for name in ("leads_a_team", *(_holds(role) for role in OrgRole.Role)):
        user.__dict__.pop(name, None)


def is_admin(user: User) -> bool:
    return OrgRole.Role.ADMIN in org_roles(user)


def is_hr(user: User) -> bool:
    return OrgRole.Role.HR in org_roles(user)


def require_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDenied


def teams_for(user: User) -> QuerySet[Team]:
    """Teams whose content the user may see: the ones they belong to."""
    if not user.is_authenticated or user.organization_id is None:
        return Team.objects.none()
    return Team.objects.filter(
        organization_id=user.organization_id, memberships__user=user
    ).distinct()


def team_ids_for(user: User) -> set[int]:
    """Ids of the teams of teams_for(user), for checking rows loaded without the user in their
    query (reflections/answer_cookie.py must not put a person and question ids together)."""
    return set(teams_for(user).values_list("pk", flat=True))


def teams_led_by(user: User) -> QuerySet[Team]:
    if not user.is_authenticated or user.organization_id is None:
        return Team.objects.none()
    return Team.objects.filter(
        organization_id=user.organization_id,
        memberships__user=user,
        memberships__role=Membership.Role.SUPERVISOR,
    ).distinct()


def manageable_teams(user: User) -> QuerySet[Team]:
    """Teams whose people the user may manage: all of the organisation for admins,
    the teams they lead for supervisors."""
    if is_admin(user):
        return Team.objects.filter(organization_id=user.organization_id)
    return teams_led_by(user)


def _leads(user: User, team_id) -> Exists:
    return Exists(
        Membership.objects.filter(team_id=team_id, user=user, role=Membership.Role.SUPERVISOR)
    )


def _memberships(user, team_id, organization_id) -> QuerySet[Membership]:
    """The user's membership of the team, if the team is of the user's organisation (at most
    one)."""
    return Membership.objects.filter(
        user=user, team_id=team_id, team__organization_id=organization_id
    ).order_by("pk")


# Every team page starts with this read: built once per process (learning_lead/compiled.py),
# as building the queryset cost more CPU than the rest of a small page's reads.
_MEMBERSHIP = compiled.Query(
    lambda user, team, organization: _memberships(user, team, organization).values_list(
        *compiled.columns(Membership),
        *compiled.columns(Team, "team__"),
        *compiled.columns(Organization, "team__organization__"),
    )[:1],
    user=compiled.number(1),
    team=compiled.number(2),
    organization=compiled.number(3),
)


def _membership_in(user: User, *, team_id: int) -> Membership | None:
    """The user's membership of the team, with the team and its organisation."""
    if not user.is_authenticated or user.organization_id is None:
        return None
    alias = router.db_for_read(Membership)
    if not compiled.available(alias):
        memberships = _memberships(user, team_id, user.organization_id)
        return memberships.select_related("team__organization").first()
    rows = _MEMBERSHIP.rows(alias, user=user.pk, team=team_id, organization=user.organization_id)
    if not rows:
        return None
    membership_end = len(compiled.columns(Membership))
    team_end = membership_end + len(compiled.columns(Team))
    membership = compiled.instance(Membership, alias, rows[0][:membership_end])
    team = compiled.instance(Team, alias, rows[0][membership_end:team_end])
    organization = compiled.instance(Organization, alias, rows[0][team_end:])
    Team.organization.field.set_cached_value(team, organization)
    Membership.team.field.set_cached_value(membership, team)
    return membership


def remember_leads(user: User, team: Team, leads: bool) -> None:
    """Notes on the fetched team whether this user leads it, for is_supervisor_of()."""
    team._led_by = (user.pk, leads)


def get_team_for(user: User, pk: int, *, manage: bool = False) -> Team:
    """A team the user belongs to (or may manage, with manage=True); 404 otherwise."""
    if not manage:
        # Every team page starts here: one plain join through the user's membership (a third
        # of the CPU of the general form below, whose subqueries cost more to build than to run).
        membership = _membership_in(user, team_id=pk)
        if membership is None:
            raise Http404
        remember_leads(user, membership.team, membership.role == Membership.Role.SUPERVISOR)
        return membership.team
    queryset = manageable_teams(user)
    team = (
        queryset.select_related("organization")
        .annotate(viewer_leads=_leads(user, OuterRef("pk")))
        .filter(pk=pk)
        .first()
    )
    if team is None:
        raise Http404
    remember_leads(user, team, team.viewer_leads)
    return team


def can_manage_team(user: User, team: Team) -> bool:
    return manageable_teams(user).filter(pk=team.pk).exists()


def people_for(user: User) -> QuerySet[User]:
    """People of the user's organisation, for admins only."""
    require_admin(user)
    return User.objects.filter(organization_id=user.organization_id)


def get_person_for(user: User, pk: int) -> User:
    person = people_for(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def invitations_for(user: User) -> QuerySet[Invitation]:
    """Invitations the user may see and revoke: all of the organisation for admins,
    those to the teams they lead for supervisors."""
    if is_admin(user):
        return Invitation.objects.filter(organization_id=user.organization_id)
    return Invitation.objects.filter(
        organization_id=user.organization_id, team__in=teams_led_by(user)
    )


def get_invitation_for(user: User, pk: int) -> Invitation:
    invitation = invitations_for(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def can_invite(user: User) -> bool:
    return is_admin(user) or leads_a_team(user)


def leads_a_team(user: User) -> bool:
    """Whether the user supervises any team (loaded by with_roles() at sign-in)."""
    loaded = getattr(user, "leads_a_team", None)
    return bool(loaded) if loaded is not None else teams_led_by(user).exists()


def require_supervisor(user: User) -> None:
    """The supervisor's own cross-team pages: 403 for someone who leads no team."""
    if not leads_a_team(user):
        raise PermissionDenied


def is_supervisor_of(user: User, team: Team) -> bool:
    known = getattr(team, "_led_by", None)
    if known is not None and known[0] == user.pk:  # fetched for this user just now
        return known[1]
    return teams_led_by(user).filter(pk=team.pk).exists()


def get_led_team_for(user: User, pk: int) -> Team:
    """A team the user leads as supervisor; 404 otherwise."""
    team = teams_led_by(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def require_planner(user: User) -> None:
    """The organisation's prompt templates: admins and supervisors keep them (403 otherwise)."""
    if not (is_admin(user) or leads_a_team(user)):
        raise PermissionDenied


def require_report_reader(user: User, team_ids: set[int]) -> None:
    """The HR report: HR only (403); the teams it is narrowed to must be the organisation's
    (404 otherwise), checked with a count so a page need not load the organisation's teams."""
    if not is_hr(user):
        raise PermissionDenied
    own = Team.objects.filter(organization_id=user.organization_id, pk__in=team_ids)
    if team_ids and len(team_ids) != own.count():
        raise Http404


def can_manage_themes(user: User) -> bool:
    return is_hr(user) or is_admin(user)


def require_theme_manager(user: User) -> None:
    if not can_manage_themes(user):
        raise PermissionDenied


def themes_for(user: User) -> QuerySet[StrategyTheme]:
    """The organisation's strategy themes: everyone in it may read them, to link goals."""
    if not user.is_authenticated or user.organization_id is None:
        return StrategyTheme.objects.none()
    return StrategyTheme.objects.filter(organization_id=user.organization_id)


def get_theme_for(user: User, pk: int) -> StrategyTheme:
    """A theme to edit: HR and admins of its organisation only."""
    require_theme_manager(user)
    theme = themes_for(user).filter(pk=pk).first()
    if theme is None:
        raise Http404
    return theme


def team_goals_for(user: User) -> QuerySet[TeamGoal]:
    """Goals of the teams the user belongs to; team goals are shared with the whole team."""
    return TeamGoal.objects.filter(team__in=teams_for(user))


def get_team_goal_for(user: User, pk: int, *, manage: bool = False) -> TeamGoal:
    """A goal of the user's team (or of a team they lead, with manage=True); 404 otherwise."""
    teams = teams_led_by(user) if manage else teams_for(user)
    goal = TeamGoal.objects.filter(team__in=teams, pk=pk).select_related("team").first()
    if goal is None:
        raise Http404
    return goal


def personal_goals_visible_to(user: User) -> QuerySet[PersonalGoal]:
    """Personal goals the user may see, by each owner's own choice of visibility.

    A goal is seen through a team both the owner and the viewer are in: the team of its team
    goal, or for a free goal any team of the owner. "supervisor" lets that team's supervisors
    see it, "team" everyone in that team, "private" nobody but the owner. Organisation roles
    (HR, admin) add nothing here: HR sees personal goals only in aggregate reports.
    """
    if not user.is_authenticated or user.organization_id is None:
        return PersonalGoal.objects.none()
    viewer_teams = Membership.objects.filter(
        user=user, team__organization_id=user.organization_id
    ).values("team_id")
    led_teams = viewer_teams.filter(role=Membership.Role.SUPERVISOR)
    # The owner must still be in the team: leaving a team ends what it could see.
    owner_in = Membership.objects.filter(user_id=OuterRef("owner_id"))
    owner_in_goal_team = Exists(owner_in.filter(team_id=OuterRef("team_goal__team_id")))

    def seen_through(teams) -> Q:
        linked = Q(team_goal__team_id__in=teams) & owner_in_goal_team
        free = Q(team_goal__isnull=True) & Exists(owner_in.filter(team_id__in=teams))
        return linked | free

    # Supervisors are members of their team too, so "team" reaches them as well.
    to_supervisors = Q(visibility=PersonalGoal.Visibility.SUPERVISOR) & seen_through(led_teams)
    to_team = Q(visibility=PersonalGoal.Visibility.TEAM) & seen_through(viewer_teams)
    return PersonalGoal.objects.filter(
        Q(owner=user) | to_supervisors | to_team,
        owner__organization_id=user.organization_id,
    )


def get_personal_goal_for(user: User, pk: int, *, edit: bool = False) -> PersonalGoal:
    """A goal the user may see (or, with edit=True, their own); 404 otherwise."""
    goals = PersonalGoal.objects.filter(owner=user) if edit else personal_goals_visible_to(user)
    goal = goals.select_related("owner", "team_goal__team").filter(pk=pk).first()
    if goal is None:
        raise Http404
    return goal


def is_member_of(user: User, team: Team) -> bool:
    """A plain member (not a supervisor) of the team: the people who answer the pulse."""
    return Membership.objects.filter(
        team=team,
        user=user,
        role=Membership.Role.MEMBER,
        team__organization_id=user.organization_id,
    ).exists()
