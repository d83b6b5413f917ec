"""The personas' accounts (tests/conftest.py has them as fixtures), as plain functions, so a
world built once per module (tests/world.py) makes the same people."""

from teams import services
from teams.models import Membership, Organization, OrgRole, Team, User

PASSWORD = "a-long-test-password-42"


def make_user(org: Organization | None, username: str, *, language: str = "en") -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        first_name=username.capitalize(),
        organization=org,
        language=language,
    )
    return user


def member_of(team, username: str, role: str = Membership.Role.MEMBER) -> User:
    user = make_user(team.organization, username)
    services.membership_set(team=team, user=user, role=role)
    return user


def holding(org: Organization, username: str, *roles: str) -> User:
    user = make_user(org, username)
    services.org_roles_set(user=user, roles=set(roles))
    return user


def make_foreigner(other_org: Organization) -> User:
    user = holding(other_org, "olga", OrgRole.Role.HR, OrgRole.Role.ADMIN)
    team = services.team_create(organization=other_org, name="Team X")
    services.membership_set(team=team, user=user, role=Membership.Role.SUPERVISOR)
    return user


def build_personas(acme: Organization, other_org: Organization) -> tuple[dict, Team]:
    """The personas (below) outside a test's fixtures, for a world built once per module;
    returns them with team A."""
    team_a = services.team_create(organization=acme, name="Team A")
    team_b = services.team_create(organization=acme, name="Team B")
    personas = {
        "anonymous": None,
        "supervisor": member_of(team_a, "sue", Membership.Role.SUPERVISOR),
        "member": member_of(team_a, "mia"),
        "other_member": member_of(team_b, "bob"),
        "hr": holding(acme, "hanna", OrgRole.Role.HR),
        "admin": holding(acme, "adam", OrgRole.Role.ADMIN),
        "foreigner": make_foreigner(other_org),
    }
    return personas, team_a
