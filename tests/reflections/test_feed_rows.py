"""The team feed's page read through SQL compiled once (reflections/feed_rows.py) is the page
selectors.feed_page reads through the ORM: the same thoughts in the same order, with the same
fields loaded, authors (a former member's none), sessions, goals and replies, for every filter
and page, ties on the time included; the sessions it lists are
selectors.feed_sessions_listed's, and the goals its post form offers selectors.thought_goals'."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from privacy import services as privacy_services
from reflections import feed_rows, links, selectors, services
from reflections.forms import ReplyForm, ThoughtForm
from reflections.models import Thought
from reflections.templatetags import feed_options
from teams import direction_services
from teams import services as team_services
from teams.models import Membership, TeamGoal
from tests.conftest import make_user


@pytest.fixture
def feed(team_a, team_b, member, supervisor, other_member, acme, past_session):
    goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Listen", why="Why not", themes=[]
    )
    gone = make_user(acme, "gus")
    team_services.membership_set(team=team_a, user=gone, role=Membership.Role.MEMBER)
    kinds = [value for value, _label in Thought.Kind.choices]
    for index in range(27):
        thought = services.thought_post(
            author=[member, supervisor, gone][index % 3],
            team=team_a,
            kind=kinds[index % len(kinds)],
            body=f"Thought {index}",
            session=past_session if index % 4 == 0 else None,
            team_goal=goal if index % 5 == 0 else None,
        )
        for reply in range(index % 3):
            services.thought_reply(author=[supervisor, gone][reply], parent=thought, body="Yes")
        if index % 7 == 0:
            services.thought_edit(thought=thought, body=f"Thought {index}, edited")
    # Pages break between thoughts of one moment: the id decides.
    Thought.objects.filter(team=team_a, body__in=["Thought 16", "Thought 17", "Thought 18"]).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    services.thought_post(author=other_member, team=team_b, kind="thinking", body="Elsewhere")
    privacy_services.account_deletion_execute(user=gone)
    return team_a


def _row(model) -> dict:
    return {key: value for key, value in vars(model).items() if not key.startswith("_")}


def _loaded(thought) -> dict:
    return {
        "thought": _row(thought),
        "deferred": thought.get_deferred_fields(),
        "author": thought.author and _row(thought.author),
        "author deferred": thought.author and thought.author.get_deferred_fields(),
    }


def _seen(page: selectors.FeedPage) -> list:
    shown = [
        {
            **_loaded(thought),
            "session": thought.session and _row(thought.session),
            "goal": thought.team_goal and _row(thought.team_goal),
            "replies": [_loaded(reply) for reply in thought.reply_list],
        }
        for thought in page.thoughts
    ]
    return [shown, page.next_cursor]


def test_the_compiled_page_is_the_orm_page(feed, past_session, django_assert_num_queries):
    first = selectors.feed_page(feed)
    second = selectors.feed_page(feed, cursor=first.next_cursor)
    assert len(first.thoughts) == 20 and first.next_cursor and second.thoughts
    for options in (
        {},
        {"cursor": first.next_cursor},
        {"cursor": selectors.encode_cursor(second.thoughts[0])},
        {"cursor": selectors.encode_cursor(Thought.objects.get(body="Thought 17"))},
        {"kind": "insight"},
        {"kind": "insight", "cursor": first.next_cursor},
        {"session_id": past_session.pk},
        {"session_id": past_session.pk, "size": 3},
        {"session_id": past_session.pk, "kind": "thinking", "size": 2},
        {"session_id": past_session.pk, "size": 3, "cursor": first.next_cursor},
        {"cursor": "not-a-cursor"},
    ):
        orm = selectors.feed_page(feed, **options)
        with django_assert_num_queries(2):
            compiled = feed_rows.page(feed, **options)
        assert compiled.thoughts, options
        assert _seen(compiled) == _seen(orm), options


def test_a_page_without_thoughts_asks_nothing_more(feed, team_b, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = feed_rows.page(feed, kind="insight", cursor="1-1")
    assert page.thoughts == [] and page.next_cursor == ""
    assert _seen(feed_rows.page(team_b))[0][0]["thought"]["body"] == "Elsewhere"


def test_the_listed_sessions_are_the_orm_ones(team_a, team_b, django_assert_num_queries):
    now = timezone.now()
    for team, days in [(team_a, -200), (team_a, -30), (team_a, -1), (team_a, 3), (team_a, 40)]:
        services.session_add(
            team=team,
            title=f"In {days} days",
            starts_at=now + timedelta(days=days),
            duration_minutes=30,
            time_zone="Europe/Helsinki",
        )
    services.session_add(
        team=team_b, title="Elsewhere", starts_at=now, duration_minutes=30, time_zone="UTC"
    )
    with django_assert_num_queries(1):
        compiled = feed_rows.sessions_listed(team_a)
    orm = selectors.feed_sessions_listed(team_a)
    assert [(_row(s), s.get_deferred_fields()) for s in compiled] == [
        (_row(s), s.get_deferred_fields()) for s in orm
    ]
    assert [session.title for session in orm] == ["In 3 days", "In -1 days", "In -30 days"]


def test_the_post_forms_goals_are_the_orm_ones(
    team_a, team_b, supervisor, other_member, django_assert_num_queries
):
    for team, author, title, status in [
        (team_a, supervisor, "Speak <up>", "active"),
        (team_a, supervisor, "Listen", "active"),
        (team_a, supervisor, "Done already", "done"),
        (team_b, other_member, "Elsewhere", "active"),
    ]:
        goal = direction_services.team_goal_create(
            team=team, author=author, title=title, why="Why", themes=[]
        )
        TeamGoal.objects.filter(pk=goal.pk).update(status=status)
    with django_assert_num_queries(1):
        compiled = feed_rows.goals(team_a)
    orm = list(selectors.thought_goals(team_a))
    assert [(goal.pk, goal.title) for goal in compiled] == [(goal.pk, goal.title) for goal in orm]
    assert [goal.title for goal in orm] == ["Listen", "Speak <up>"]
    listed = ThoughtForm(team=team_a, sessions=[], goals=compiled)["team_goal"]
    with django_assert_num_queries(0):
        drawn = feed_options.select_options(listed)
    assert drawn == feed_options.select_options(ThoughtForm(team=team_a)["team_goal"])
    assert "Speak &lt;up&gt;" in drawn and "Done already" not in drawn


def test_the_feeds_form_drawn_from_loaded_choices_is_the_form_drawn_from_its_querysets(
    team_a, supervisor, past_session, next_session, django_assert_num_queries
):
    direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Listen", why="Why", themes=[]
    )
    sessions, goals = feed_rows.sessions_listed(team_a), feed_rows.goals(team_a)
    initial = {"session": past_session.pk}
    with django_assert_num_queries(0):
        drawn = ThoughtForm(team=team_a, sessions=sessions, goals=goals, initial=initial)
        options = [feed_options.select_group(drawn[name]) for name in ("session", "team_goal")]
    queried = ThoughtForm(team=team_a, initial=initial)
    assert options == [
        feed_options.select_group(queried[name]) for name in ("session", "team_goal")
    ]
    assert "Listen" in options[1] and options[0].count(" selected") == 1
    # Posted, the same form checks its choices against the database.
    data = {"kind": "insight", "body": "Yes", "session": "999999", "team_goal": ""}
    posted = ThoughtForm(data, team=team_a, sessions=sessions, goals=goals)
    assert not posted.is_valid() and "session" in posted.errors


def test_the_feeds_thoughts_tag_draws_the_loop_of_thought_items(feed):
    """{% feed_thought_items %} is the loop it replaced in templates/reflections/feed_body.html,
    to the character, with the page's query and a reply with errors carried alike."""
    failed = ReplyForm({"body": ""})
    assert not failed.is_valid()
    page = feed_rows.page(feed)
    loop = Template(
        "{% load thought_items %}{% for thought in page.thoughts %}"
        "{% thought_item thought interactive=True show_session=True %}{% endfor %}"
    )
    tag = Template("{% load feed_thoughts %}{% feed_thought_items page.thoughts %}")
    for context in (
        {"page_query": ""},
        {"page_query": "kind=insight", "reply_to": page.thoughts[2].pk, "reply_form": failed},
    ):
        context = Context({**context, "page": page, "_fragment": True})
        drawn = loop.render(context)
        assert tag.render(context) == drawn
        assert drawn.count('<li class="thought') == 20


def test_the_feeds_paths_are_the_reversed_ones(team_a):
    paths = links.team_paths(links.feed_links(), team_a.pk)
    assert paths == {
        "team": reverse("teams:detail", args=[team_a.pk]),
        "questions": reverse("reflections:team_questions", args=[team_a.pk]),
        "feed": reverse("reflections:team_feed", args=[team_a.pk]),
        "post": reverse("reflections:thought_post", args=[team_a.pk]),
    }
