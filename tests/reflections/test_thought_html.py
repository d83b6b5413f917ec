"""A thought of a list is built in Python (reflections/thought_html.py) with the markup of
templates/reflections/thought_item.html, its readable reference: the two agree for every kind
of thought (named, by a former member, with replies, edited, on a session, on a team goal),
on the feed (interactive, with the session shown, a reply with errors) and the session page,
for its author, another member and the supervisor, in each language and in two time zones."""

import re

import pytest
from django.template import Template, TemplateSyntaxError
from django.template.context import Context
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import timezone, translation

from learning_lead import fragments
from privacy import services as privacy_services
from reflections import links, selectors, services, thought_html
from reflections.forms import ReplyForm
from teams import direction_services
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user


@pytest.fixture
def thoughts(team_a, member, supervisor, acme, past_session):
    goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Speak <up> & listen", why="Why not", themes=[]
    )
    past_session.title = "Kick-off <one> & two"
    past_session.save(update_fields=["title"])
    plain = services.thought_post(
        author=member, team=team_a, kind="thinking", body="Half <b>done</b>\nstill\r\nthinking"
    )
    services.thought_reply(author=supervisor, parent=plain, body="Go on & on")
    mine = services.thought_reply(author=member, parent=plain, body="I will")
    services.thought_edit(thought=mine, body="I will, <really>")
    on_session = services.thought_post(
        author=supervisor, team=team_a, kind="insight", body="We learned", session=past_session
    )
    services.thought_reply(author=member, parent=on_session, body="Agreed")
    on_goal = services.thought_post(
        author=member, team=team_a, kind="tried", body="Tried it", team_goal=goal
    )
    services.thought_edit(thought=on_goal, body="Tried it twice", kind="insight")
    services.thought_reply(author=supervisor, parent=on_goal, body="On the goal too")
    services.thought_post(
        author=member,
        team=team_a,
        kind="tried",
        body="Both",
        session=past_session,
        team_goal=goal,
    )
    gone = make_user(acme, "gus")
    team_services.membership_set(team=team_a, user=gone, role=Membership.Role.MEMBER)
    left = services.thought_post(author=gone, team=team_a, kind="thinking", body="Bye")
    services.thought_reply(author=member, parent=left, body="Farewell")
    services.thought_reply(author=gone, parent=on_session, body="Gone soon")
    privacy_services.account_deletion_execute(user=gone)
    return team_a


def _html(fragment: str, web):
    """The fragment as the viewer gets it, each CSRF token (masked anew each time) alike."""
    filled = fragments.fill(fragment, web, {})
    return re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "csrf", filled)


PAGES = [
    # the feed: interactive, the session shown, the filters kept in the reply's action
    {"interactive": True, "show_session": True, "page_query": "kind=insight&after=1-2"},
    {"interactive": True, "show_session": True, "page_query": ""},
    # the session page
    {"interactive": False, "show_session": False, "page_query": ""},
    {"interactive": False, "show_session": True, "page_query": ""},
]


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
@pytest.mark.parametrize("persona", ["member", "other", "supervisor"])
def test_each_thought_is_built_as_the_template_draws_it(
    persona, language, zone, request, thoughts, team_a, acme
):
    if persona == "other":
        viewer = make_user(acme, "olli")
        team_services.membership_set(team=team_a, user=viewer, role=Membership.Role.MEMBER)
    else:
        viewer = request.getfixturevalue(persona)
    listed = selectors.feed_page(team_a).thoughts
    assert len(listed) == 5
    assert any(thought.author_id is None for thought in listed)
    web = RequestFactory().get("/teams/1/thoughts/?kind=insight&after=1-2")
    web.user = viewer
    template = get_template("reflections/thought_item.html")
    failed = ReplyForm({"body": "x <y> " * 400})
    assert not failed.is_valid()
    with translation.override(language), timezone.override(zone):
        for options in PAGES:
            for reply_to, reply_form in ((None, None), (listed[1].pk, failed)):
                page = thought_html.Page(
                    links=links.thought_links(),
                    reply_to=reply_to,
                    reply_form=reply_form,
                    **options,
                )
                for thought in listed:
                    drawn = template.render(
                        {
                            "request": web,
                            "csrf_token": fragments.CSRF,
                            "_fragment": True,
                            "thought": thought,
                            "reply_to": reply_to,
                            "reply_form": reply_form,
                            **options,
                        }
                    )
                    built = thought_html.render(thought, page)
                    mine = f'id="thought-{thought.pk}"'
                    # The same string, to the whitespace, as the viewer gets it.
                    assert _html(built, web) == _html(drawn, web), thought.body
                    assert mine in built


def test_the_markup_says_what_each_viewer_may_do(thoughts, team_a, member, supervisor):
    """The builder's output itself: a member's own thoughts carry her edit and delete links,
    others' do not; a former member's are named so; texts are escaped."""
    listed = selectors.feed_page(team_a).thoughts
    page = thought_html.Page(links=links.thought_links(), interactive=True, show_session=True)
    web = RequestFactory().get("/")
    web.user = member
    html = "".join(_html(thought_html.render(thought, page), web) for thought in listed)
    own = [t for t in listed if t.author_id == member.pk]
    others = [t for t in listed if t.author_id != member.pk]
    for thought in own:
        assert f"/thoughts/{thought.pk}/edit/" in html
    for thought in others:
        assert f"/thoughts/{thought.pk}/edit/" not in html
    assert "former member" in html
    assert "Half &lt;b&gt;done&lt;/b&gt;<br>still<br>thinking" in html
    assert "Goal: Speak &lt;up&gt; &amp; listen" in html
    assert "Kick-off &lt;one&gt; &amp; two" in html
    assert "<b>" not in html


def test_a_thought_outside_a_fragment_is_refused(db):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load thought_items %}{% thought_item t %}").render(Context({"t": None}))
