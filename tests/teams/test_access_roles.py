"""Role checks read what was loaded with the signed-in person, and never keep a stale answer."""

import pytest

from teams import access, services
from teams.models import User

pytestmark = pytest.mark.django_db


def test_a_person_loaded_with_their_roles_is_checked_without_a_query(
    hr, supervisor, django_assert_num_queries
):
    loaded = access.with_roles(User.objects.filter(pk__in=[hr.pk, supervisor.pk])).in_bulk()
    with django_assert_num_queries(0):
        assert access.is_hr(loaded[hr.pk]) and not access.is_admin(loaded[hr.pk])
        assert access.leads_a_team(loaded[supervisor.pk])
        assert not access.leads_a_team(loaded[hr.pk])


def test_a_new_supervisor_leads_a_team_at_once(member, team_b):
    assert not access.leads_a_team(member)
    services.membership_set(team=team_b, user=member, role="supervisor")
    assert access.leads_a_team(member)


def test_a_new_role_counts_at_once(member):
    assert not access.is_hr(member)
    services.org_roles_set(user=member, roles={"hr"})
    assert access.is_hr(member)
