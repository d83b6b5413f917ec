"""Ask-out-loud questions: asking named or anonymously, upvoting once, answering, marking
answered, reporting, hiding with a reason, the per-team daily limit, order and query counts."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services
from reflections.models import Answer, Question, Report, Vote
from teams import services as team_services
from tests.conftest import make_user
from tests.reflections.test_anonymity import snapshot


def list_url(team, query=""):
    return reverse("reflections:team_questions", args=[team.pk]) + query


def ask_url(team):
    return reverse("reflections:question_ask", args=[team.pk])


def action(name, question):
    return reverse(f"reflections:{name}", args=[question.pk])


def test_member_asks_anonymously_and_the_question_shows_no_name(client, member, team_a):
    client.force_login(member)
    response = client.post(
        ask_url(team_a), {"body": "Is it OK not to know?", "identity": "anonymous"}
    )
    assert response["Location"] == list_url(team_a)
    question = Question.objects.get()
    assert question.author is None and question.asked_on == timezone.localdate()
    body = client.get(list_url(team_a)).content.decode()
    assert "Is it OK not to know?" in body and "Anonymous" in body
    assert "Your question is asked anonymously." in body
    assert member.first_name not in body.split('id="questions-heading"')[1]


def test_member_asks_with_their_name(client, member, team_a):
    client.force_login(member)
    client.post(ask_url(team_a), {"body": "How do we pick topics?", "identity": "named"})
    assert Question.objects.get().author == member
    body = client.get(list_url(team_a)).content.decode()
    assert "Mia" in body.split('id="questions-heading"')[1]


def test_the_ask_form_explains_anonymity_next_to_the_choice(client, member, team_a):
    client.force_login(member)
    body = client.get(list_url(team_a)).content.decode()
    choice = body.index('value="anonymous"')
    note = body.index('class="anonymity-note"')
    assert 0 < note - choice < 1000
    assert reverse("reflections:anonymity") in body[note:]
    assert re.search(r'value="anonymous"[^>]*checked', body)  # anonymous unless you choose


def test_anonymity_page_explains_what_is_and_is_not_protected(client, db):
    body = client.get(reverse("reflections:anonymity")).content.decode()
    assert "What is protected" in body and "What is not protected" in body
    assert "Your wording" in body


def test_question_about_a_session_is_listed_there(client, member, team_a, past_session):
    client.force_login(member)
    client.post(
        ask_url(team_a), {"body": "About kick-off", "identity": "named", "session": past_session.pk}
    )
    assert Question.objects.get().session == past_session
    body = client.get(list_url(team_a, f"?session={past_session.pk}")).content.decode()
    assert "About kick-off" in body and "Showing the questions about one session" in body


def test_upvote_counts_once_and_a_second_upvote_is_refused(client, member, supervisor, team_a):
    question = services.question_ask(team=team_a, body="Why?")
    client.force_login(member)
    client.post(action("question_upvote", question))
    response = client.post(action("question_upvote", question), follow=True)
    assert "You have already upvoted this question." in response.content.decode()
    assert Vote.objects.filter(question=question).count() == 1
    with pytest.raises(services.AlreadyVoted):
        services.question_upvote(question=question, user=member)
    services.question_upvote(question=question, user=supervisor)
    body = client.get(list_url(team_a)).content.decode()
    assert "2 want to know" in body and "You want to know too" in body


def test_an_upvote_on_an_anonymous_question_can_be_taken_back_leaving_no_trace(
    client, member, supervisor, team_a
):
    question = services.question_ask(team=team_a, body="Why?")
    services.question_upvote(question=question, user=supervisor)
    client.force_login(member)
    client.post(action("question_upvote", question))
    body = client.get(list_url(team_a)).content.decode()
    assert "2 want to know" in body and "Take it back" in body
    before = snapshot()
    response = client.post(action("question_upvote_withdraw", question), follow=True)
    body = response.content.decode()
    assert "Your upvote is taken back." in body
    assert "1 wants to know" in body and "I want to know too" in body
    # Only the vote row went: nothing was written in its place (no audit, no time, no mark).
    after = snapshot()
    assert {
        table: rows - after[table] for table, rows in before.items() if rows - after[table]
    } == {
        "reflections_vote": {r for r in before["reflections_vote"] if r.endswith(f", {member.pk})")}
    }
    assert all(after[table] <= before[table] for table in after)
    # The supervisor's vote stays; the member may want to know again.
    assert list(Vote.objects.values_list("user", flat=True)) == [supervisor.pk]
    client.post(action("question_upvote", question))
    assert Vote.objects.filter(question=question).count() == 2


def test_taking_back_an_upvote_one_never_gave_changes_nothing(client, member, supervisor, team_a):
    question = services.question_ask(team=team_a, body="Why?")
    services.question_upvote(question=question, user=supervisor)
    client.force_login(member)
    response = client.post(action("question_upvote_withdraw", question), follow=True)
    assert "Your upvote is taken back." not in response.content.decode()
    assert Vote.objects.filter(question=question, user=supervisor).exists()
    assert services.question_upvote_withdraw(question=question, user=member) is False


def test_votes_are_counted_never_listed_by_name(client, member, supervisor, team_a):
    question = services.question_ask(team=team_a, body="Why?")
    services.question_upvote(question=question, user=member)
    client.force_login(supervisor)
    body = client.get(list_url(team_a)).content.decode()
    listing = body.split('id="questions-heading"')[1]
    assert "1 wants to know" in listing and "Mia" not in listing


def test_list_orders_by_votes_not_by_when_asked(member, supervisor, team_a):
    first = services.question_ask(team=team_a, body="first")
    second = services.question_ask(team=team_a, body="second")
    services.question_upvote(question=second, user=member)
    from reflections import selectors

    listed = list(selectors.questions_list(team_a))
    assert listed[0] == second and listed[1] == first
    # Equal votes on the same day: ordered by the random id, not by creation.
    third = services.question_ask(team=team_a, body="third")
    listed = [q.pk for q in selectors.questions_list(team_a)]
    assert listed[1:] == sorted([first.pk, third.pk])


def test_supervisor_answers_and_the_question_is_answered(client, supervisor, member, team_a):
    question = services.question_ask(team=team_a, body="When is the next retro?")
    client.force_login(supervisor)
    client.post(action("question_answer", question), {"body": "On <Tuesday>"})
    question.refresh_from_db()
    assert question.status == "answered"
    assert Answer.objects.get().author == supervisor
    client.force_login(member)
    body = client.get(list_url(team_a)).content.decode()
    assert "Sue answered" in body and "On &lt;Tuesday&gt;" in body


def test_empty_answer_is_refused_clearly(client, supervisor, team_a):
    question = services.question_ask(team=team_a, body="Q")
    client.force_login(supervisor)
    response = client.post(action("question_answer", question), {"body": " "}, follow=True)
    assert "Write the answer first" in response.content.decode()
    assert not Answer.objects.exists()


def test_supervisor_marks_a_question_answered(client, supervisor, team_a):
    question = services.question_ask(team=team_a, body="Q")
    client.force_login(supervisor)
    client.post(action("question_mark_answered", question))
    question.refresh_from_db()
    assert question.status == "answered"


def test_members_cannot_answer_hide_or_mark_answered(client, member, team_a):
    question = services.question_ask(team=team_a, body="Q")
    client.force_login(member)
    assert client.post(action("question_answer", question), {"body": "x"}).status_code == 404
    assert client.post(action("question_mark_answered", question)).status_code == 404
    assert client.post(action("question_hide", question), {"reason": "x"}).status_code == 404
    question.refresh_from_db()
    assert question.status == "open" and not question.is_hidden


def test_member_reports_and_the_supervisor_sees_the_reason_without_a_reporter(
    client, member, supervisor, team_a
):
    question = services.question_ask(team=team_a, body="Rude words")
    client.force_login(member)
    response = client.post(action("question_report", question), {"reason": "Rude"}, follow=True)
    assert "A supervisor of the team will take a look" in response.content.decode()
    report = Report.objects.get()
    assert report.reason == "Rude" and report.reported_on == timezone.localdate()
    client.force_login(supervisor)
    body = client.get(list_url(team_a)).content.decode()
    assert "Reported once:" in body and "<li>Rude</li>" in body


def test_reports_beyond_the_cap_add_nothing(member, team_a):
    question = services.question_ask(team=team_a, body="Q")
    for _ in range(services.REPORTS_PER_QUESTION + 3):
        services.question_report(question=question, reason="again")
    assert question.reports.count() == services.REPORTS_PER_QUESTION


def test_supervisor_hides_with_a_reason_the_team_sees_instead_of_the_question(
    client, supervisor, member, team_a
):
    question = services.question_ask(team=team_a, body="Names a customer")
    client.force_login(supervisor)
    response = client.post(action("question_hide", question), {"reason": ""}, follow=True)
    assert "give a reason the team can read" in response.content.decode()
    client.post(action("question_hide", question), {"reason": "Customer names stay out"})
    question.refresh_from_db()
    assert question.is_hidden and question.hide_reason == "Customer names stay out"
    assert "Names a customer" in client.get(list_url(team_a)).content.decode()
    client.force_login(member)
    body = client.get(list_url(team_a)).content.decode()
    assert "Names a customer" not in body
    assert "A supervisor hid this question. Reason: Customer names stay out" in body
    client.post(action("question_upvote", question))
    assert not Vote.objects.exists()
    client.force_login(supervisor)
    client.post(action("question_unhide", question))
    question.refresh_from_db()
    assert not question.is_hidden and question.hide_reason == ""


def test_empty_question_is_refused_and_over_long_one_is_kept_escaped(client, member, team_a):
    client.force_login(member)
    body = client.post(ask_url(team_a), {"body": "", "identity": "anonymous"}).content.decode()
    assert "Write your question first." in body
    long_text = "<i>" + "y" * 500
    body = client.post(ask_url(team_a), {"body": long_text, "identity": "named"}).content.decode()
    assert "Keep it to 500 characters; this has 503." in body
    assert "&lt;i&gt;yyy" in body and "<i>yyy" not in body
    assert not Question.objects.exists()


def test_markup_in_a_question_is_shown_escaped(client, member, team_a):
    client.force_login(member)
    client.post(ask_url(team_a), {"body": "<img src=x onerror=alert(1)>", "identity": "anonymous"})
    body = client.get(list_url(team_a)).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


def test_the_team_limit_on_anonymous_questions_a_day_is_per_team_not_per_person(
    client, member, supervisor, team_a, monkeypatch
):
    monkeypatch.setattr(services, "ANONYMOUS_QUESTIONS_PER_TEAM_PER_DAY", 2)
    services.question_ask(team=team_a, body="one")
    services.question_ask(team=team_a, body="two")
    client.force_login(member)
    body = client.post(ask_url(team_a), {"body": "three", "identity": "anonymous"}).content.decode()
    assert "The team has asked many anonymous questions today" in body
    assert "three</textarea>" in body
    client.post(ask_url(team_a), {"body": "named three", "identity": "named"})
    assert Question.objects.count() == 3


def test_a_foreign_user_gets_404_for_every_question_action(client, foreigner, other_member, team_a):
    question = services.question_ask(team=team_a, body="Ours")
    for outsider in (foreigner, other_member):
        client.force_login(outsider)
        assert client.get(list_url(team_a)).status_code == 404
        for name in (
            "question_upvote",
            "question_upvote_withdraw",
            "question_report",
            "question_answer",
            "question_hide",
        ):
            assert (
                client.post(action(name, question), {"reason": "x", "body": "x"}).status_code == 404
            )
    assert not Vote.objects.exists() and not Report.objects.exists()


def test_acting_on_a_question_returns_to_the_page_it_was_taken_on(
    client, member, team_a, past_session
):
    question = services.question_ask(team=team_a, body="Q", session=past_session)
    client.force_login(member)
    session_page = reverse("reflections:session", args=[past_session.pk])
    assert f'name="next" value="{session_page}"' in client.get(session_page).content.decode()
    response = client.post(action("question_upvote", question), {"next": session_page})
    assert response["Location"] == session_page
    response = client.post(
        action("question_report", question), {"reason": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == list_url(team_a)


@pytest.mark.parametrize("persona", ["member", "supervisor"])
def test_busy_pages_have_unique_element_ids_for_their_labels(
    client, request, member, supervisor, team_a, past_session, persona
):
    from collections import Counter

    thought = services.thought_post(
        author=member, team=team_a, kind="insight", body="T", session=past_session
    )
    services.thought_reply(author=supervisor, parent=thought, body="R")
    for index in range(3):
        services.question_ask(team=team_a, body=f"Q{index}", session=past_session)
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("reflections:team_feed", args=[team_a.pk]),
        list_url(team_a),
        reverse("reflections:session", args=[past_session.pk]),
    ):
        body = client.get(url).content.decode()
        ids = Counter(re.findall(r'\sid="([^"]+)"', body))
        assert [name for name, count in ids.items() if count > 1] == [], url
        for target in re.findall(r'<label for="([^"]+)"', body):
            assert ids[target] == 1, (url, target)


def test_the_list_pages_by_keyset_in_list_order_without_repeating(client, team_a, member):
    from reflections import selectors

    voters = []
    for index in range(3):
        voter = make_user(team_a.organization, f"voter{index}")
        team_services.membership_set(team=team_a, user=voter, role="member")
        voters.append(voter)
    asked = []
    for index in range(25):
        question = services.question_ask(team=team_a, body=f"Paged {index}?", named_author=member)
        for voter in voters[: index % 4]:
            services.question_upvote(question=question, user=voter)
        if index % 5 == 0:
            services.question_mark_answered(question=question)
        asked.append(question)
    expected = [q.pk for q in selectors.questions_list(team_a)]
    client.force_login(member)
    first = client.get(list_url(team_a)).content.decode()
    assert first.count('class="question status-') == 20
    cursor = selectors.questions_page(team_a).next_cursor
    assert f"?after={cursor}" in first
    second = client.get(list_url(team_a, f"?after={cursor}")).content.decode()
    assert second.count('class="question status-') == 5
    assert "More questions" not in second and "Most wanted questions" in second
    shown = [
        q.pk
        for q in selectors.questions_page(team_a).questions
        + selectors.questions_page(team_a, cursor=cursor).questions
    ]
    assert shown == expected and len(set(shown)) == 25


def test_a_malformed_question_cursor_shows_the_first_page(client, team_a, member):
    services.question_ask(team=team_a, body="Only one?", named_author=member)
    client.force_login(member)
    for cursor in ("x", "1-2-3", "0-1-20260101-nothex", "0-1-20261399-" + "a" * 32):
        response = client.get(list_url(team_a, f"?after={cursor}"))
        assert response.status_code == 200
        assert response.content.decode().count('class="question status-') == 1


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"body": "<b>Why?</b>", "identity": "named", "notify": "on", "name_upward": "on"},
        {"body": "", "identity": "nobody", "session": "999999"},
    ],
)
def test_the_written_out_ask_form_is_djangos_field_for_field(data, team_a, past_session):
    """The ask form's fields are built in Python (reflections/question_form_html.py; the page
    is rendered on every request, and Django's form templates cost more than the rest of the
    form): the same labels, errors, aria attributes, help text and values as Django's own field
    groups."""
    from django.test.html import parse_html

    from reflections import question_form_html as built
    from reflections.forms import QuestionForm

    initial = {"session": past_session.pk} if data is None else {}
    form = QuestionForm(data, team=team_a, initial=initial)
    form.is_valid()
    written = {
        "body": built.textarea(form["body"]),
        "identity": built.radios(form["identity"]),
        "session": built.select(form["session"]),
        "notify": built.checkbox(form["notify"]),
        "name_upward": built.checkbox(form["name_upward"]),
    }
    assert set(written) == set(form.fields)
    for name, html in written.items():
        assert parse_html(html) == parse_html(form[name].as_field_group()), name


@pytest.mark.parametrize("persona", ["member", "supervisor"])
def test_every_action_on_a_question_goes_to_that_question(
    persona, client, request, team_a, supervisor, past_session
):
    """The actions' paths are reversed once per page (reflections/links.py)."""
    from django.urls import resolve

    question = services.question_ask(team=team_a, body="Why?", session=past_session)
    hidden = services.question_ask(team=team_a, body="Rude", session=past_session)
    services.question_hide(question=hidden, reason="Off topic", moderator=supervisor)
    client.force_login(request.getfixturevalue(persona))
    expected = {
        "member": {"question_upvote", "question_report"},
        "supervisor": {
            "question_upvote",
            "question_answer",
            "question_mark_answered",
            "question_hide",
            "question_unhide",
        },
    }[persona]
    for url in (list_url(team_a), reverse("reflections:session", args=[past_session.pk])):
        body = client.get(url).content.decode()
        found = set()
        for path in re.findall(r'action="(/questions/[^"]*)"', body):
            match = resolve(path)
            assert match.kwargs["pk"] in (question.pk, hidden.pk)
            found.add(match.url_name)
        assert expected <= found, url
    session_link = reverse("reflections:session", args=[past_session.pk])
    assert f'href="{session_link}"' in client.get(list_url(team_a)).content.decode()
