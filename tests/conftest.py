"""Personas shared by all tests, built through services like real data.

Organisation "Acme": supervisor Sue and member Mia in team A; Bob in team B only; Hanna is HR;
Adam is the organisation admin. Organisation "Other": Olga, who holds every role there.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from teams import services
from teams.models import Membership, Organization, OrgRole, User

PASSWORD = "a-long-test-password-42"
BROWSER_TESTS = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(config, items):
    """Marks the browser journeys, so `make test-fast` can leave them out (-m "not browser")."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True, scope="session")
def _require_postgresql(django_db_setup, django_db_blocker):
    """The suite runs on PostgreSQL; SQLite hides too much (locking, constraints, JSON)."""
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "postgresql" and os.environ.get("LL_TESTS_ALLOW_SQLITE") != "1":
        pytest.exit(
            f"Tests must run on PostgreSQL, not {vendor}: set DATABASE_URL (see README).",
            returncode=3,
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (password reset limits live there)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP


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


@pytest.fixture
def acme(db) -> Organization:
    return Organization.objects.create(name="Acme", slug="acme")


@pytest.fixture
def other_org(db) -> Organization:
    return Organization.objects.create(name="Other", slug="other")


@pytest.fixture
def team_a(acme):
    return services.team_create(organization=acme, name="Team A")


@pytest.fixture
def team_b(acme):
    return services.team_create(organization=acme, name="Team B")


@pytest.fixture
def supervisor(acme, team_a) -> User:
    user = make_user(acme, "sue")
    services.membership_set(team=team_a, user=user, role=Membership.Role.SUPERVISOR)
    return user


@pytest.fixture
def member(acme, team_a, supervisor) -> User:
    user = make_user(acme, "mia")
    services.membership_set(team=team_a, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def other_member(acme, team_b) -> User:
    user = make_user(acme, "bob")
    services.membership_set(team=team_b, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def hr(acme) -> User:
    user = make_user(acme, "hanna")
    services.org_roles_set(user=user, roles={OrgRole.Role.HR})
    return user


@pytest.fixture
def admin(acme) -> User:
    user = make_user(acme, "adam")
    services.org_roles_set(user=user, roles={OrgRole.Role.ADMIN})
    return user


@pytest.fixture
def foreigner(other_org) -> User:
    """Holds every role in another organisation, and none in Acme."""
    user = make_user(other_org, "olga")
    services.org_roles_set(user=user, roles={OrgRole.Role.HR, OrgRole.Role.ADMIN})
    team = services.team_create(organization=other_org, name="Team X")
    services.membership_set(team=team, user=user, role=Membership.Role.SUPERVISOR)
    return user


@pytest.fixture
def personas(supervisor, member, other_member, hr, admin, foreigner) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "supervisor": supervisor,
        "member": member,
        "other_member": other_member,
        "hr": hr,
        "admin": admin,
        "foreigner": foreigner,
    }
