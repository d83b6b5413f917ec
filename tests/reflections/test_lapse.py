"""When a team's rhythm has lapsed: two not-held sessions in a row, or nothing planned ahead;
skipped sessions never count."""

from datetime import time, timedelta

from django.utils import timezone

from reflections import lapse, services
from teams.models import Team
from tests.support.rhythm import history, session_at


def lapse_of(team):
    return lapse.lapsed_teams(Team.objects.filter(pk=team.pk)).get(team.pk)


def test_exactly_two_missed_sessions_in_a_row_is_a_lapse(team_a):
    sessions = history(team_a, "HMM")
    found = lapse_of(team_a)
    assert found is not None and found.is_missed
    assert found.missed == 2
    assert found.key == f"missed-{sessions[1].pk}"  # the first of the row names the lapse


def test_one_missed_session_is_not_a_lapse(team_a):
    history(team_a, "HHM")
    assert lapse_of(team_a) is None


def test_a_skipped_session_is_not_a_missed_one(team_a, team_b):
    history(team_a, "HSM")
    history(team_b, "MS")
    assert lapse_of(team_a) is None
    assert lapse_of(team_b) is None


def test_a_skipped_session_between_two_missed_ones_neither_counts_nor_breaks_the_row(team_a):
    sessions = history(team_a, "HMSM")
    found = lapse_of(team_a)
    assert found.missed == 2 and found.key == f"missed-{sessions[1].pk}"


def test_a_session_is_missed_only_a_day_after_its_end(team_a):
    """Supervisors often mark a session held afterwards: give them a day."""
    session_at(team_a, days=-7)
    session_at(team_a, days=-0.5)  # ended half a day ago, not marked held yet
    session_at(team_a, days=7)
    assert lapse_of(team_a) is None
    later = timezone.now() + timedelta(days=1)
    assert lapse.lapsed_teams(Team.objects.filter(pk=team_a.pk), now=later)[team_a.pk].missed == 2


def test_the_row_grows_under_the_same_key_until_a_session_is_held(team_a):
    history(team_a, "HMM")
    first = lapse_of(team_a)
    third = session_at(team_a, days=-2)  # another one not held
    grown = lapse_of(team_a)
    assert grown.missed == 3 and grown.key == first.key
    services.session_hold(session=third, attendees=[])
    assert lapse_of(team_a) is None  # recovered: a session was held, one is planned ahead


def test_nothing_planned_ahead_is_a_lapse(team_a):
    sessions = history(team_a, "HH", ahead=False)
    found = lapse_of(team_a)
    assert found is not None and not found.is_missed
    assert found.key == f"unplanned-{sessions[-1].pk}"


def test_a_paused_rhythm_with_nothing_ahead_is_a_lapse(team_a):
    rhythm = services.rhythm_create(
        team=team_a,
        title="Weekly",
        frequency="weekly",
        weekday=0,
        start_date=timezone.localdate(),
        start_time=time(9, 0),
        time_zone="Europe/Helsinki",
    )
    assert lapse_of(team_a) is None
    services.rhythm_update(rhythm=rhythm, is_active=False)
    found = lapse_of(team_a)
    assert found is not None and found.key == "unplanned-0"


def test_only_a_skipped_session_ahead_is_nothing_planned(team_a):
    history(team_a, "H", ahead=False)
    session_at(team_a, days=7, status="skipped")
    assert not lapse_of(team_a).is_missed


def test_nothing_ahead_counts_a_day_after_the_last_session_ended(team_a, supervisor):
    held = session_at(team_a, days=-0.5, status="held", attendees=[supervisor])
    assert lapse_of(team_a) is None
    then = timezone.now() + timedelta(days=1)
    found = lapse.lapsed_teams(Team.objects.filter(pk=team_a.pk), now=then)[team_a.pk]
    assert found.key == f"unplanned-{held.pk}"


def test_a_team_that_never_planned_anything_has_not_lapsed(team_a, team_b):
    assert lapse_of(team_a) is None and lapse_of(team_b) is None


def test_missed_row_wins_over_nothing_ahead_so_pausing_keeps_the_same_lapse(team_a):
    sessions = history(team_a, "HMM", ahead=False)
    assert lapse_of(team_a).key == f"missed-{sessions[1].pk}"


def test_a_new_row_after_a_held_session_is_a_new_lapse(team_a):
    history(team_a, "MM")
    first = lapse_of(team_a).key
    services.session_hold(session=session_at(team_a, days=-0.1), attendees=[])
    assert lapse_of(team_a) is None
    # Two weeks later, two more were not held.
    session_at(team_a, days=1)
    session_at(team_a, days=2)
    then = timezone.now() + timedelta(days=4)
    found = lapse.lapsed_teams(Team.objects.filter(pk=team_a.pk), now=then)[team_a.pk]
    assert found.is_missed and found.key != first


def test_lapses_of_many_teams_take_one_query(acme, django_assert_num_queries):
    teams = [Team.objects.create(organization=acme, name=f"T{i}") for i in range(5)]
    for team in teams:
        history(team, "HMM")
    with django_assert_num_queries(1):
        found = lapse.lapsed_teams()
    assert set(found) == {team.pk for team in teams}
