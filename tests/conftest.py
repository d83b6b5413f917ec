"""Personas shared by all tests, built through services like real data.

Organisation "Acme": supervisor Sue and member Mia in team A; Bob in team B only; Hanna is HR;
Adam is the organisation admin. Organisation "Other": Olga, who holds every role there.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

import tests.examples  # noqa: F401 - loads the Hypothesis profile (all, or fewer in test-fast)
from teams import services
from teams.models import Membership, Organization, OrgRole, User
from tests.personas import PASSWORD, holding, make_foreigner, make_user, member_of
from tests.world import world, world_once

__all__ = ["PASSWORD", "make_user", "world", "world_once"]

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
    return member_of(team_a, "sue", Membership.Role.SUPERVISOR)


@pytest.fixture
def member(acme, team_a, supervisor) -> User:
    return member_of(team_a, "mia")


@pytest.fixture
def other_member(acme, team_b) -> User:
    return member_of(team_b, "bob")


@pytest.fixture
def hr(acme) -> User:
    return holding(acme, "hanna", OrgRole.Role.HR)


@pytest.fixture
def admin(acme) -> User:
    return holding(acme, "adam", OrgRole.Role.ADMIN)


@pytest.fixture
def foreigner(other_org) -> User:
    """Holds every role in another organisation, and none in Acme."""
    return make_foreigner(other_org)


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
