"""The dashboard's upcoming sessions are built in Python (reflections/session_row_html.py) with
the markup of templates/reflections/session_row.html, its readable reference: the two agree,
to the character, for a planned, a moved, a held and a skipped session with a title and a
team name that need escaping, in each language and in two time zones; and the dashboard
shows them through the builder."""

import pytest
from django.template.loader import get_template
from django.utils import timezone, translation

from reflections import selectors, session_row_html
from reflections.models import Session


@pytest.fixture
def sessions(team_a, rhythm, past_session):
    team_a.name = "Team <A> & co"
    team_a.save(update_fields=["name"])
    listed = list(rhythm.sessions.order_by("starts_at")[:3]) + [past_session]
    listed[0].status = Session.Status.SKIPPED
    listed[1].is_moved = True
    listed[2].title = "Plan <b>this</b> & that"
    past_session.status = Session.Status.HELD
    for session in listed:
        session.save()
    return list(Session.objects.filter(pk__in=[s.pk for s in listed]).select_related("team"))


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
def test_each_session_row_is_built_as_the_template_draws_it(language, zone, sessions):
    template = get_template("reflections/session_row.html")
    assert {s.status for s in sessions} == set(Session.Status.values)
    assert any(s.is_moved for s in sessions)
    with translation.override(language), timezone.override(zone):
        words = session_row_html.Words()
        for session in sessions:
            drawn = template.render({"session": session, "show_team": True})
            built = session_row_html.render(session, words)
            assert built == drawn, session.title
            assert "Team &lt;A&gt; &amp; co" in built


def test_the_dashboard_lists_the_upcoming_sessions_through_the_builder(client, member, sessions):
    client.force_login(member)
    html = client.get("/").content.decode()
    upcoming = list(selectors.upcoming_sessions_for(member))
    assert upcoming
    words = session_row_html.Words()
    for session in upcoming:
        assert session_row_html.render(session, words) in html
