"""The team feed: posting and replying with and without htmx, editing and deleting one's own,
filters, keyset paging, bad input and query counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reflections import selectors, services
from reflections.models import ForwardedItem, PulseAnswered, PulseValue, Question, Thought, Vote


def feed_url(team, query=""):
    return reverse("reflections:team_feed", args=[team.pk]) + query


def post_url(team, query=""):
    return reverse("reflections:thought_post", args=[team.pk]) + query


def make_thoughts(team, author, count, **fields):
    base = timezone.now() - timedelta(hours=1)
    return [
        Thought.objects.create(
            team=team, author=author, body=f"thought {i}", created_at=base, **fields
        )
        for i in range(count)
    ]


def test_member_posts_a_thought_without_javascript_and_sees_it_in_the_feed(client, member, team_a):
    client.force_login(member)
    response = client.post(post_url(team_a), {"kind": "insight", "body": "  Tests first helps  "})
    assert response.status_code == 302
    assert response["Location"] == feed_url(team_a)
    thought = Thought.objects.get()
    assert (thought.author, thought.kind, thought.body) == (member, "insight", "Tests first helps")
    body = client.get(feed_url(team_a)).content.decode()
    assert "Tests first helps" in body and "Insight" in body and "Your thought is posted." in body


def test_posting_with_htmx_swaps_only_the_list_region(client, member, team_a):
    client.force_login(member)
    response = client.post(
        post_url(team_a), {"kind": "tried", "body": "Pairing on reviews"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'hx-swap-oob="innerHTML">Your thought is posted.' in body
    assert "Pairing on reviews" in body and 'hx-target="#thoughts-region"' in body
    page = client.get(feed_url(team_a)).content.decode()
    assert '<div id="thoughts-region">' in page and 'aria-live="polite"' in page


def test_the_post_form_keeps_action_and_method_for_browsers_without_javascript(
    client, member, team_a
):
    client.force_login(member)
    body = client.get(feed_url(team_a)).content.decode()
    assert f'method="post" action="{post_url(team_a)}"' in body


def test_reply_builds_on_a_thought_with_and_without_htmx(client, member, supervisor, team_a):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Why CI?")
    client.force_login(supervisor)
    url = reverse("reflections:thought_reply", args=[thought.pk])
    assert client.post(url, {"body": "Because it is fast"}).status_code == 302
    response = client.post(url, {"body": "And safe"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    replies = list(thought.replies.order_by("created_at"))
    assert [reply.body for reply in replies] == ["Because it is fast", "And safe"]
    assert all(r.team == team_a and r.kind == "thinking" for r in replies)
    answer = services.thought_reply(author=member, parent=replies[0], body="Nested")
    assert answer.parent == thought  # threads stay one level deep
    body = client.get(feed_url(team_a)).content.decode()
    assert body.index("Why CI?") < body.index("Because it is fast") < body.index("And safe")


def test_author_edits_and_deletes_their_own_thought(client, member, team_a):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Draft")
    client.force_login(member)
    edit = reverse("reflections:thought_edit", args=[thought.pk])
    assert 'value="insight"' in client.get(edit).content.decode()
    client.post(edit, {"kind": "insight", "body": "Second draft"})
    thought.refresh_from_db()
    assert (thought.body, thought.kind) == ("Second draft", "insight")
    assert thought.edited_at is not None
    assert "(edited)" in client.get(feed_url(team_a)).content.decode()
    client.post(reverse("reflections:thought_delete", args=[thought.pk]))
    assert not Thought.objects.exists()


def test_deleting_asks_first_on_a_page_that_works_without_javascript(client, member, team_a):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Half-way")
    services.thought_reply(author=member, parent=thought, body="Building on it")
    client.force_login(member)
    url = reverse("reflections:thought_delete", args=[thought.pk])
    feed = client.get(feed_url(team_a)).content.decode()
    assert f'href="{url}"' in feed  # a plain link: the page below asks before anything goes

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Delete your post?" in body and "Half-way" in body
    assert "Its 1 reply is deleted with it." in body
    assert f'<form method="post" action="{url}">' in body
    assert Thought.objects.filter(pk=thought.pk).exists()  # asking deleted nothing

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == feed_url(team_a)
    assert not Thought.objects.exists()
    assert "Your thought is deleted." in client.get(feed_url(team_a)).content.decode()


def test_deleting_with_htmx_confirms_in_the_browser_and_swaps_the_list(client, member, team_a):
    kept = services.thought_post(author=member, team=team_a, kind="insight", body="Keep me")
    gone = services.thought_post(author=member, team=team_a, kind="thinking", body="Drop me")
    client.force_login(member)
    url = reverse("reflections:thought_delete", args=[gone.pk])
    feed = client.get(feed_url(team_a)).content.decode()
    assert f'hx-post="{url}" hx-confirm="Delete this post for good?"' in feed

    response = client.post(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Your thought is deleted." in body
    assert "Keep me" in body and "Drop me" not in body
    assert list(Thought.objects.values_list("pk", flat=True)) == [kept.pk]


def test_nobody_else_sees_the_delete_page_of_a_thought(
    client, member, supervisor, other_member, foreigner, team_a
):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Mine")
    url = reverse("reflections:thought_delete", args=[thought.pk])
    for person in (supervisor, other_member, foreigner):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_someone_elses_thought_cannot_be_edited_or_deleted(client, member, supervisor, team_a):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Mine")
    client.force_login(supervisor)
    assert client.get(reverse("reflections:thought_edit", args=[thought.pk])).status_code == 404
    response = client.post(reverse("reflections:thought_delete", args=[thought.pk]))
    assert response.status_code == 404
    assert Thought.objects.filter(pk=thought.pk).exists()


def test_a_user_of_another_team_or_organisation_gets_404(
    client, member, other_member, foreigner, team_a
):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Ours")
    for outsider in (other_member, foreigner):
        client.force_login(outsider)
        assert client.get(feed_url(team_a)).status_code == 404
        response = client.post(post_url(team_a), {"kind": "insight", "body": "x"})
        assert response.status_code == 404
        reply = reverse("reflections:thought_reply", args=[thought.pk])
        assert client.post(reply, {"body": "x"}).status_code == 404
    assert Thought.objects.count() == 1


def test_empty_thought_is_refused_with_a_clear_error(client, member, team_a):
    client.force_login(member)
    response = client.post(post_url(team_a), {"kind": "insight", "body": "   "})
    body = response.content.decode()
    assert "Write your thought first; unfinished is fine, empty is not." in body
    assert not Thought.objects.exists()


def test_over_long_thought_is_refused_and_kept_escaped(client, member, team_a):
    client.force_login(member)
    text = "<b>bold</b>" + "x" * 2000
    response = client.post(post_url(team_a), {"kind": "insight", "body": text})
    body = response.content.decode()
    assert "Keep it to 2000 characters; this has 2011." in body
    assert "&lt;b&gt;bold&lt;/b&gt;xxx" in body and "<b>bold</b>" not in body
    assert not Thought.objects.exists()


def test_markup_in_a_thought_is_shown_escaped(client, member, team_a):
    client.force_login(member)
    client.post(post_url(team_a), {"kind": "insight", "body": '<script>alert("x")</script>\nok'})
    body = client.get(feed_url(team_a)).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>ok" in body


def test_empty_reply_with_htmx_shows_the_error_at_that_thought(client, member, team_a):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Hmm")
    client.force_login(member)
    response = client.post(
        reverse("reflections:thought_reply", args=[thought.pk]),
        {"body": ""},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert f'id="reply-{thought.pk}-error"' in body and "Write your reply first." in body
    assert 'aria-invalid="true"' in body


def test_a_session_of_another_team_cannot_be_chosen(client, member, team_b, team_a):
    other = services.session_add(
        team=team_b,
        title="Theirs",
        starts_at=timezone.now(),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    client.force_login(member)
    response = client.post(post_url(team_a), {"kind": "insight", "body": "x", "session": other.pk})
    assert "Select a valid choice" in response.content.decode()
    assert not Thought.objects.exists()


def test_feed_filters_by_kind_and_by_session(client, member, team_a, past_session):
    services.thought_post(author=member, team=team_a, kind="insight", body="An insight")
    services.thought_post(
        author=member, team=team_a, kind="tried", body="Tried it", session=past_session
    )
    client.force_login(member)
    body = client.get(feed_url(team_a, "?kind=insight")).content.decode()
    assert "An insight" in body and "Tried it" not in body
    body = client.get(feed_url(team_a, f"?session={past_session.pk}")).content.decode()
    assert "Tried it" in body and "An insight" not in body
    body = client.get(feed_url(team_a, "?kind=nonsense&session=abc")).content.decode()
    assert "Tried it" in body and "An insight" in body


def test_keyset_pages_cover_every_thought_once_even_with_equal_times(member, team_a):
    make_thoughts(team_a, member, 45)  # all share one timestamp: the id breaks the tie
    seen, cursor, pages = [], "", 0
    while True:
        page = selectors.feed_page(team_a, cursor=cursor)
        seen += [thought.pk for thought in page.thoughts]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert len(seen) == len(set(seen)) == 45
    assert seen == sorted(seen, reverse=True)


def test_older_link_pages_the_feed_and_keeps_the_filter(client, member, team_a):
    make_thoughts(team_a, member, 25, kind="insight")
    client.force_login(member)
    body = client.get(feed_url(team_a, "?kind=insight")).content.decode()
    assert body.count('class="thought kind-insight"') == 20
    page = selectors.feed_page(team_a, kind="insight")
    assert f"?kind=insight&amp;after={page.next_cursor}" in body
    body = client.get(feed_url(team_a, f"?kind=insight&after={page.next_cursor}")).content.decode()
    assert body.count('class="thought kind-insight"') == 5
    assert "Newest thoughts" in body


def test_a_malformed_cursor_shows_the_first_page(client, member, team_a):
    make_thoughts(team_a, member, 3)
    client.force_login(member)
    response = client.get(feed_url(team_a, "?after=99999999999999999999-x"))
    assert response.status_code == 200
    assert response.content.decode().count('class="thought kind-') == 3


def test_session_page_gathers_prompts_thoughts_and_questions(
    client, member, supervisor, team_a, past_session
):
    services.thought_post(
        author=member, team=team_a, kind="insight", body="Session insight", session=past_session
    )
    services.thought_post(author=member, team=team_a, kind="insight", body="Team-wide")
    services.question_ask(team=team_a, body="Session question?", session=past_session)
    client.force_login(member)
    body = client.get(reverse("reflections:session", args=[past_session.pk])).content.decode()
    assert "What did we learn?" in body
    assert "Session insight" in body and "Session question?" in body
    assert "Team-wide" not in body
    assert f"?session={past_session.pk}" in body


def test_seed_demo_adds_place_content_once(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")

    def counts():
        models = (Thought, Question, Vote, PulseAnswered, PulseValue, ForwardedItem)
        return [model.objects.count() for model in models]

    first = counts()
    assert all(first)
    assert Question.objects.filter(author__isnull=True).exists()
    assert ForwardedItem.objects.exclude(answer="").exists()  # HR's queue has an answer
    assert ForwardedItem.objects.filter(answer="").exists()  # and one waiting
    call_command("seed_demo")
    assert counts() == first


def test_editing_a_thought_to_empty_is_refused_and_keeps_the_old_text(client, member, team_a):
    thought = services.thought_post(author=member, team=team_a, kind="thinking", body="Keep me")
    client.force_login(member)
    edit = reverse("reflections:thought_edit", args=[thought.pk])
    body = client.post(edit, {"kind": "insight", "body": ""}).content.decode()
    assert "Write your thought first" in body
    thought.refresh_from_db()
    assert thought.body == "Keep me" and thought.edited_at is None


def test_replying_on_an_older_page_returns_to_that_page_and_thread(client, member, team_a):
    thoughts = make_thoughts(team_a, member, 25)
    oldest = thoughts[0]
    cursor = selectors.feed_page(team_a).next_cursor
    client.force_login(member)
    url = reverse("reflections:thought_reply", args=[oldest.pk]) + f"?after={cursor}"
    response = client.post(url, {"body": "Late reply"})
    assert response["Location"] == feed_url(team_a, f"?after={cursor}#thought-{oldest.pk}")
    body = client.post(url, {"body": "Another"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Late reply" in body and "Another" in body


def test_a_reply_is_edited_without_a_kind_and_keeps_its_thread(client, member, supervisor, team_a):
    thought = services.thought_post(author=supervisor, team=team_a, kind="insight", body="Root")
    reply = services.thought_reply(author=member, parent=thought, body="First try")
    client.force_login(member)
    edit = reverse("reflections:thought_edit", args=[reply.pk])
    assert 'name="kind"' not in client.get(edit).content.decode()
    client.post(edit, {"body": "Second try"})
    reply.refresh_from_db()
    assert (reply.body, reply.kind, reply.parent_id) == ("Second try", "insight", thought.pk)


def test_deleting_a_thought_removes_its_replies_but_not_other_thoughts(member, team_a):
    thought = services.thought_post(author=member, team=team_a, kind="insight", body="Root")
    services.thought_reply(author=member, parent=thought, body="Reply")
    other = services.thought_post(author=member, team=team_a, kind="insight", body="Other")
    services.thought_delete(thought=thought)
    assert list(Thought.objects.all()) == [other]


def test_on_the_session_page_delete_opens_the_page_that_asks(client, member, team_a, past_session):
    thought = services.thought_post(
        author=member, team=team_a, kind="thinking", body="On the session", session=past_session
    )
    client.force_login(member)
    body = client.get(reverse("reflections:session", args=[past_session.pk])).content.decode()
    url = reverse("reflections:thought_delete", args=[thought.pk])
    assert f'href="{url}"' in body
    assert f'hx-post="{url}"' not in body  # that page has no list to swap


def test_own_post_links_name_the_post_in_finnish_grammar(client, member, team_a):
    services.thought_post(author=member, team=team_a, kind="thinking", body="Draft")
    member.language = "fi"
    member.save(update_fields=["language"])
    client.force_login(member)
    feed = client.get(feed_url(team_a)).content.decode()
    assert 'aria-label="Muokkaa kirjoitustasi"' in feed
    assert 'aria-label="Poista kirjoituksesi"' in feed
    assert "Muokkaa kirjoituksesi" not in feed


@pytest.mark.parametrize("language", ["en", "fi"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"kind": "insight", "body": "Half <done>", "session": "", "team_goal": ""},
        {"kind": "bad", "body": "", "session": "x", "team_goal": "999999"},
    ],
)
def test_the_written_out_post_form_is_djangos_field_for_field(
    data, language, team_a, supervisor, past_session
):
    """The feed's post form is written out in its template (Django's form templates cost more
    than the rest of the feed): the same labels, help texts, errors, aria attributes, choices
    and values as Django's own field groups, unbound (a session chosen by the filter) and
    with errors."""
    from django.template.loader import get_template
    from django.test.html import parse_html
    from django.utils import translation

    from reflections.forms import ThoughtForm
    from teams import direction_services

    direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Listen <well>", why="Why", themes=[]
    )
    sessions = list(selectors.feed_sessions_for_filter(team_a))
    initial = {"session": past_session.pk} if data is None else {}
    with translation.override(language):
        form = ThoughtForm(data, team=team_a, sessions=sessions, initial=initial)
        assert form.is_valid() is (data is not None and data["kind"] == "insight")
        page = "reflections/feed_body.html"
        written = {
            "kind": get_template(f"{page}#radio_field").render({"field": form["kind"]}),
            "body": get_template(f"{page}#text_field").render({"field": form["body"]}),
            "session": get_template(f"{page}#select_field").render({"field": form["session"]}),
            "team_goal": get_template(f"{page}#select_field").render({"field": form["team_goal"]}),
        }
        assert set(written) == set(form.fields)
        for name, html in written.items():
            assert parse_html(html) == parse_html(form[name].as_field_group()), name
