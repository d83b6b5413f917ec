"""The dashboard's reads say who may see what for its own case, cheaper to build than the
general rule (teams.selectors.memberships_of, reflections.selectors.upcoming_sessions_for):
for every persona, a member of two teams and someone whose membership is in another
organisation's team, they give what access.teams_for and reflections.access.sessions_for
allow."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from reflections import access as reflections_access
from reflections import selectors, services
from reflections.models import Session
from teams import access
from teams import selectors as team_selectors
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user


@pytest.fixture
def people(personas, acme, other_org, team_a, team_b, rhythm, member, foreigner):
    team_services.membership_set(team=team_b, user=member, role=Membership.Role.MEMBER)
    elsewhere = team_services.team_create(organization=other_org, name="Elsewhere")
    services.session_add(
        team=elsewhere,
        title="Theirs",
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=[],
    )
    services.session_add(
        team=team_b,
        title="B's",
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=[],
    )
    # Someone of acme whose membership is in another organisation's team: none of it shows.
    stray = make_user(acme, "stray")
    Membership.objects.create(team=elsewhere, user=stray, role=Membership.Role.MEMBER)
    Membership.objects.create(team=team_a, user=stray, role=Membership.Role.MEMBER)
    return [*(p for p in personas.values() if p is not None), stray, AnonymousUser()]


def test_the_dashboards_reads_give_what_the_general_rules_allow(people, team_a, team_b):
    for person in people:
        general = access.teams_for(person)
        memberships = list(team_selectors.memberships_of(person))
        expected = (
            Membership.objects.filter(user=person, team__in=general)
            .select_related("team")
            .order_by("team__name")
            if person.is_authenticated
            else []
        )
        assert memberships == list(expected), person
        upcoming = list(selectors.upcoming_sessions_for(person, limit=50))
        expected = (
            reflections_access.sessions_for(person)
            .filter(status=Session.Status.PLANNED, ends_at__gt=timezone.now())
            .order_by("starts_at")
        )
        assert upcoming == list(expected), person
    stray = next(p for p in people if getattr(p, "username", "") == "stray")
    assert [m.team for m in team_selectors.memberships_of(stray)] == [team_a]
    assert "Theirs" not in {s.title for s in selectors.upcoming_sessions_for(stray, limit=50)}
    member = next(p for p in people if getattr(p, "username", "") == "mia")
    assert [m.team for m in team_selectors.memberships_of(member)] == [team_a, team_b]
    teams = {s.team for s in selectors.upcoming_sessions_for(member, limit=50)}
    assert teams == {team_a, team_b}
