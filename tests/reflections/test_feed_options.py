"""The team feed's options and post form fields are built in Python
(reflections/templatetags/feed_options.py) with the markup of the loops in
templates/reflections/feed_options.html and of the partials at the end of
templates/reflections/feed_body.html, their readable references: the two agree, to the
character, for the filters (nothing, a kind, a session chosen) and the post form (unbound, a
session given, bound with values and with errors), in each language and in two time zones."""

import pytest
from django.template.loader import get_template
from django.utils import timezone, translation

from reflections import selectors
from reflections.forms import ThoughtForm
from reflections.models import Thought
from reflections.templatetags import feed_options
from teams import direction_services

REFERENCE = "reflections/feed_options.html"


@pytest.fixture
def sessions(team_a, supervisor, past_session, next_session):
    past_session.title = "Kick-off <one> & two"
    past_session.save(update_fields=["title"])
    for title in ("Listen <well>", "Speak & act"):
        direction_services.team_goal_create(
            team=team_a, author=supervisor, title=title, why="Why", themes=[]
        )
    return list(selectors.feed_sessions_for_filter(team_a))


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
def test_the_filters_options_are_built_as_the_template_draws_them(
    language, zone, sessions, past_session
):
    assert len(sessions) >= 2
    choices = [
        {"kind": "", "session": None},
        {"kind": "insight", "session": past_session.pk},
        {"kind": "bad", "session": 999999},
    ]
    with translation.override(language), timezone.override(zone):
        for filters in choices:
            context = {"kinds": Thought.Kind.choices, "sessions": sessions, "filters": filters}
            kinds = get_template(f"{REFERENCE}#kind_filter").render(context)
            built = feed_options.kind_filter_options(Thought.Kind.choices, filters["kind"])
            assert built == kinds
            drawn = get_template(f"{REFERENCE}#session_filter").render(context)
            built = feed_options.session_filter_options(sessions, filters["session"])
            assert built == drawn
            assert built.count("<option") == len(sessions)
            assert built.count(" selected") == (filters["session"] == past_session.pk)


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"kind": "insight", "body": "Half <done>", "session": "", "team_goal": ""},
        {"kind": "bad", "body": "", "session": "x", "team_goal": "999999"},
        {"kind": "tried", "body": "Yes", "session": "{session}", "team_goal": "{goal}"},
    ],
)
def test_the_post_forms_options_are_built_as_the_template_draws_them(
    data, language, zone, team_a, sessions, past_session
):
    goal = team_a.goals.order_by("title").first()
    if data is not None:
        data = {
            key: value.format(session=past_session.pk, goal=goal.pk) for key, value in data.items()
        }
    initial = {"session": past_session.pk} if data is None else {}
    with translation.override(language), timezone.override(zone):
        form = ThoughtForm(data, team=team_a, sessions=sessions, initial=initial)
        form.is_valid()
        drawn = get_template(f"{REFERENCE}#radio").render({"field": form["kind"]})
        assert feed_options.radio_options(form["kind"]) == drawn
        assert drawn.count("<input") == len(Thought.Kind.choices)
        for name in ("session", "team_goal"):
            drawn = get_template(f"{REFERENCE}#select").render({"field": form[name]})
            assert feed_options.select_options(form[name]) == drawn, name
        assert drawn.count("<option") == 3
        # The whole field groups, as the partials of the page (tests/reflections/
        # test_thoughts.py compares those with Django's own) draw them.
        groups = {
            "kind": ("radio_field", feed_options.radio_group),
            "body": ("text_field", feed_options.text_group),
            "session": ("select_field", feed_options.select_group),
            "team_goal": ("select_field", feed_options.select_group),
        }
        assert set(groups) == set(form.fields)
        for name, (partial, build) in groups.items():
            drawn = get_template(f"reflections/feed_body.html#{partial}").render(
                {"field": form[name]}
            )
            assert build(form[name]) == drawn, name
            assert ("errorlist" in drawn) is bool(form[name].errors)
