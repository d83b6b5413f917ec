"""Every team page starts with the viewer's membership of the team (teams.access.get_team_for),
read through SQL compiled once (learning_lead/compiled.py): it is the ORM's read, with the same
membership, team and organisation, for everyone and every team, in one query."""

from teams import access
from teams.models import Team


def _rows(membership) -> list | None:
    if membership is None:
        return None
    return [
        {key: value for key, value in vars(row).items() if not key.startswith("_")}
        for row in (membership, membership.team, membership.team.organization)
    ]


def test_the_compiled_membership_is_the_orms(personas, team_a, team_b, django_assert_num_queries):
    found = 0
    for user in personas.values():
        if user is None:
            continue
        for team in Team.objects.all():
            orm = (
                access._memberships(user, team.pk, user.organization_id)
                .select_related("team__organization")
                .first()
            )
            with django_assert_num_queries(1):
                membership = access._membership_in(user, team_id=team.pk)
            assert _rows(membership) == _rows(orm), (user, team)
            found += membership is not None
    assert found >= 3  # the supervisor and member of team A, the member of team B, ...
