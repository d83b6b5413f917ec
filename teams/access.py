"""The one place that decides who may see and change what.

Every view fetches teams, people and invitations through these helpers. Objects outside the
user's organisation or reach raise Http404, so their existence is not revealed; pages that
belong to a role the user does not hold raise PermissionDenied (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from teams.models import Invitation, Membership, OrgRole, Team, User


def org_roles(user: User) -> frozenset[str]:
    """The user's organisation roles, memoised on the user object for the request."""
    if not user.is_authenticated or user.organization_id is None:
        return frozenset()
    cached = getattr(user, "_org_roles", None)
    if cached is None:
        cached = frozenset(
            OrgRole.objects.filter(user=user, organization_id=user.organization_id).values_list(
                "role", flat=True
            )
        )
        user._org_roles = cached
    return cached


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


def get_team_for(user: User, pk: int, *, manage: bool = False) -> Team:
    """A team the user belongs to (or may manage, with manage=True); 404 otherwise."""
    queryset = manageable_teams(user) if manage else teams_for(user)
    team = queryset.select_related("organization").filter(pk=pk).first()
    if team is None:
        raise Http404
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
    return is_admin(user) or teams_led_by(user).exists()


# Reflections: rhythms and sessions belong to a team; members see them, supervisors run them.


def sessions_for(user: User):
    from reflections.models import Session

    return Session.objects.filter(team__in=teams_for(user))


def get_session_for(user: User, pk: int, *, manage: bool = False):
    """A session of one of the user's teams (led by the user, with manage=True); 404 otherwise."""
    from reflections.models import Session

    teams = teams_led_by(user) if manage else teams_for(user)
    session = (
        Session.objects.filter(team__in=teams, pk=pk)
        .select_related("team", "rhythm", "team__organization")
        .first()
    )
    if session is None:
        raise Http404
    return session


def get_rhythm_for(user: User, pk: int):
    """A rhythm of a team the user leads; 404 otherwise."""
    from reflections.models import Rhythm

    rhythm = Rhythm.objects.filter(team__in=teams_led_by(user), pk=pk).select_related("team")
    rhythm = rhythm.first()
    if rhythm is None:
        raise Http404
    return rhythm


def is_supervisor_of(user: User, team: Team) -> bool:
    return teams_led_by(user).filter(pk=team.pk).exists()


def get_led_team_for(user: User, pk: int) -> Team:
    """A team the user leads as supervisor; 404 otherwise."""
    team = teams_led_by(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


# Place and atmosphere: members see their teams' thoughts and questions; supervisors moderate.
# HR and admins see nothing individual here: they are not members of the team.


def thoughts_for(user: User):
    from reflections.models import Thought

    return Thought.objects.filter(team__in=teams_for(user))


def get_thought_for(user: User, pk: int, *, own: bool = False):
    """A thought of one of the user's teams (written by the user, with own=True); 404 otherwise."""
    thoughts = thoughts_for(user)
    if own:
        thoughts = thoughts.filter(author=user)
    thought = thoughts.select_related("team", "session").filter(pk=pk).first()
    if thought is None:
        raise Http404
    return thought


def questions_for(user: User):
    from reflections.models import Question

    return Question.objects.filter(team__in=teams_for(user))


def get_question_for(user: User, pk, *, moderate: bool = False):
    """A question of one of the user's teams (of a team the user leads, with moderate=True);
    404 otherwise."""
    from reflections.models import Question

    teams = teams_led_by(user) if moderate else teams_for(user)
    question = (
        Question.objects.filter(team__in=teams, pk=pk).select_related("team", "session").first()
    )
    if question is None:
        raise Http404
    return question


def is_member_of(user: User, team: Team) -> bool:
    """A plain member (not a supervisor) of the team: the people who answer the pulse."""
    return Membership.objects.filter(
        team=team,
        user=user,
        role=Membership.Role.MEMBER,
        team__organization_id=user.organization_id,
    ).exists()
