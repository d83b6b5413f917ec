"""Querysets compiled once per process (learning_lead/compiled.py) answer as the queryset does."""

import pytest
from django.db.models import Count, F

from learning_lead.compiled import Compiled
from teams import services
from teams.models import Membership, Team, User
from tests.conftest import make_user


def _members(team_id: int, role_id: int):
    del role_id  # not used: the query must still run
    return (
        Membership.objects.filter(team_id=team_id)
        .select_related("user", "team__organization")
        .annotate(team_name=F("team__name"))
        .order_by("user__username")
    )


def _rows(memberships) -> list[tuple]:
    return [
        (m.pk, m.user.username, m.team.organization.name, m.team_name, m.role) for m in memberships
    ]


def test_each_call_answers_for_its_own_ids_with_related_rows_loaded(
    team_a, team_b, member, other_member, django_assert_num_queries
):
    compiled = Compiled(lambda team_id: _members(team_id, 0))
    for team in (team_a, team_b, team_a):
        with django_assert_num_queries(1):
            rows = _rows(compiled(team_id=team.pk))  # related rows came along
        assert rows == _rows(_members(team.pk, 0))
        assert rows
    assert compiled(team_id=team_b.pk + 1000) == []


def test_prefetches_and_values_run_as_for_the_queryset(acme, team_a, team_b, member):
    make_user(acme, "zoe")
    teams = Compiled(
        lambda organization_id: (
            Team.objects.filter(organization_id=organization_id)
            .annotate(people=Count("memberships"))
            .prefetch_related("memberships__user")
            .order_by("name")
        )
    )
    found = teams(organization_id=acme.pk)
    assert [(team.name, team.people) for team in found] == [("Team A", 2), ("Team B", 0)]
    assert {m.user.username for m in found[0].memberships.all()} == {"sue", "mia"}
    names = Compiled(
        lambda team_id: (
            User.objects.filter(memberships__team_id=team_id)
            .order_by("username")
            .values_list("username", flat=True)
        )
    )
    assert names(team_id=team_a.pk) == ["mia", "sue"]
    services.membership_set(team=team_b, user=member, role=Membership.Role.MEMBER)
    assert names(team_id=team_b.pk) == ["mia"]


@pytest.mark.parametrize("value", ["1", 1.0, True, None])
def test_ids_are_whole_numbers_only(team_a, value):
    compiled = Compiled(lambda team_id: _members(team_id, 0))
    with pytest.raises(TypeError):
        compiled(team_id=value)


def test_the_same_ids_every_call(team_a):
    compiled = Compiled(lambda team_id, role_id=0: _members(team_id, role_id))
    compiled(team_id=team_a.pk)
    with pytest.raises(TypeError):
        compiled(team_id=team_a.pk, role_id=1)


def test_an_id_that_shapes_the_query_is_refused(team_a):
    """An id that is not a compared value (here a limit) would be kept in the SQL text."""
    compiled = Compiled(lambda team_id, limit: _members(team_id, 0)[:limit])
    with pytest.raises(ValueError):
        compiled(team_id=team_a.pk, limit=5)
    unused = Compiled(lambda team_id, role_id: _members(team_id, role_id))
    with pytest.raises(ValueError):
        unused(team_id=team_a.pk, role_id=1)
