"""A queryset compiled once (learning_lead/compiled.py) runs with each call's values in its
stand-ins' places, and selects what the queryset built with those values selects."""

import pytest
from django.db.models import Value

from learning_lead import compiled
from teams.models import Membership, User

NAMES = compiled.Query(
    lambda organization, ids: (
        User.objects.filter(organization_id=organization, pk__in=ids)
        .annotate(answer=Value(42))
        .order_by("username")
        .values_list("username", "answer")
    ),
    organization=compiled.number(1),
    ids=[compiled.number(2 + index) for index in range(3)],
)


def test_the_values_take_the_stand_ins_places(acme, member, supervisor, foreigner):
    everyone = [member.pk, supervisor.pk, foreigner.pk]
    assert NAMES.rows("default", organization=acme.pk, ids=everyone) == [
        ("mia", 42),
        ("sue", 42),
    ]
    # A shorter list is padded with its last item; one too long is refused.
    assert NAMES.rows("default", organization=acme.pk, ids=[supervisor.pk]) == [("sue", 42)]
    with pytest.raises(ValueError):
        NAMES.rows("default", organization=acme.pk, ids=[*everyone, member.pk])


def test_a_stand_in_the_sql_does_not_hold_is_refused(db):
    unused = compiled.Query(
        lambda team, role: Membership.objects.filter(team_id=team), team=1, role=compiled.number(9)
    )
    with pytest.raises(ValueError, match="role"):
        unused.rows("default", team=1, role="member")
