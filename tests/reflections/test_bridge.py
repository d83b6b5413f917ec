"""The bridge to leadership: supervisors forward team questions to HR with a strategy theme,
HR answers as a role, the team sees the answer, askers are told without ever being linked to
an anonymous question."""

import logging

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from notifications.models import Notification
from privacy.models import AuditEvent
from reflections import answer_cookie, bridge_services, services
from reflections.models import ForwardedItem, Question
from teams import direction_services
from teams import services as team_services
from teams.models import Membership, OrgRole, User
from tests.conftest import PASSWORD, make_user
from tests.reflections.test_anonymity import snapshot, traces

QUEUE = reverse("reflections:forwarded_queue")


def questions_url(team):
    return reverse("reflections:team_questions", args=[team.pk])


def forward_url(team):
    return reverse("reflections:question_forward", args=[team.pk])


def answer_url(item):
    return reverse("reflections:forward_answer", args=[item.pk])


@pytest.fixture
def theme(acme):
    return direction_services.theme_create(organization=acme, title="Customer first")


@pytest.fixture
def asker(acme, team_a, supervisor):
    # An id no other number in a row is likely to equal (the trace scan looks for it).
    user = User.objects.create_user(
        id=434343,
        username="quiet-asker-7731",
        email="quiet.asker.7731@example.org",
        password=PASSWORD,
        first_name="Quentin",
        organization=acme,
        language="en",
    )
    team_services.membership_set(team=team_a, user=user, role=Membership.Role.MEMBER)
    return user


def ask(client, user, team, body, *, identity="anonymous", **extra):
    client.force_login(user)
    response = client.post(
        reverse("reflections:question_ask", args=[team.pk]),
        {"body": body, "identity": identity, **extra},
    )
    assert response.status_code == 302
    return Question.objects.get(body=body)


# Forwarding -----------------------------------------------------------------------------------


def test_a_supervisor_forwards_one_question_and_the_team_sees_it_went_up(
    client, supervisor, member, team_a, theme
):
    question = services.question_ask(team=team_a, body="Will we get the new tools?")
    client.force_login(supervisor)
    page = client.get(forward_url(team_a) + f"?question={question.pk}").content.decode()
    assert "Goes up anonymously." in page and "checked" in page

    response = client.post(
        forward_url(team_a), {"questions": [str(question.pk)], "theme": theme.pk}
    )
    assert response.status_code == 302
    item = ForwardedItem.objects.get()
    assert list(item.questions.all()) == [question] and item.theme == theme
    assert item.summary == "" and not item.is_answered

    client.force_login(member)
    page = client.get(questions_url(team_a)).content.decode()
    assert "Forwarded to HR on" in page and "Customer first" in page


def test_several_questions_need_the_supervisors_summary(client, supervisor, team_a, theme):
    first = services.question_ask(team=team_a, body="First")
    second = services.question_ask(team=team_a, body="Second")
    client.force_login(supervisor)
    data = {"questions": [str(first.pk), str(second.pk)], "theme": theme.pk}
    response = client.post(forward_url(team_a), data)
    assert response.status_code == 200
    assert "Write a summary: you chose several questions" in response.content.decode()
    assert not ForwardedItem.objects.exists()

    client.post(forward_url(team_a), {**data, "summary": "Two questions about tools."})
    item = ForwardedItem.objects.get()
    assert set(item.questions.all()) == {first, second}
    assert item.summary == "Two questions about tools."


def test_forwarding_is_refused_for_another_teams_question_or_another_orgs_theme(
    client, supervisor, team_a, team_b, theme, other_org
):
    foreign_theme = direction_services.theme_create(organization=other_org, title="Theirs")
    ours = services.question_ask(team=team_a, body="Ours")
    theirs = services.question_ask(team=team_b, body="Theirs")
    client.force_login(supervisor)
    response = client.post(forward_url(team_a), {"questions": [str(theirs.pk)], "theme": theme.pk})
    assert "can no longer be forwarded" in response.content.decode()
    response = client.post(
        forward_url(team_a), {"questions": [str(ours.pk)], "theme": foreign_theme.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["theme"]
    # A supervisor forwards only for the teams they lead.
    assert client.get(forward_url(team_b)).status_code == 404
    assert not ForwardedItem.objects.exists()


def test_a_question_goes_up_once_and_hidden_ones_not_at_all(supervisor, team_a, theme):
    question = services.question_ask(team=team_a, body="Once")
    hidden = services.question_ask(team=team_a, body="Hidden")
    services.question_hide(question=hidden, reason="Names a customer", moderator=supervisor)
    bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    for again in (question, hidden):
        with pytest.raises(bridge_services.ForwardRefused):
            bridge_services.questions_forward(
                team=team_a, questions=[again], theme=theme, forwarded_by=supervisor
            )
    assert ForwardedItem.objects.count() == 1


def test_without_themes_the_forward_page_says_what_to_do(client, supervisor, team_a):
    services.question_ask(team=team_a, body="Anything")
    client.force_login(supervisor)
    page = client.get(forward_url(team_a)).content.decode()
    assert "no current strategy themes yet" in page
    assert '<form method="post" novalidate>' not in page


# HR's queue and answer ------------------------------------------------------------------------


def test_hr_sees_the_queue_by_theme_and_team_and_answers_as_a_role(
    client, supervisor, member, hr, team_a, team_b, theme, acme
):
    other_theme = direction_services.theme_create(organization=acme, title="Safety")
    question = services.question_ask(team=team_a, body="Why the reorganisation?")
    other = services.question_ask(team=team_b, body="Team B wonders")
    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    bridge_services.questions_forward(
        team=team_b, questions=[other], theme=other_theme, forwarded_by=supervisor
    )
    client.force_login(hr)
    page = client.get(QUEUE).content.decode()
    assert "Why the reorganisation?" in page and "Team B wonders" in page
    assert page.index("Customer first") < page.index("Why the reorganisation?")
    filtered = client.get(QUEUE, {"theme": theme.pk}).content.decode()
    assert "Why the reorganisation?" in filtered and "Team B wonders" not in filtered
    filtered = client.get(QUEUE, {"team": team_b.pk}).content.decode()
    assert "Why the reorganisation?" not in filtered and "Team B wonders" in filtered
    assert "Nothing forwarded matches" in client.get(QUEUE, {"team": 999999}).content.decode()

    response = client.post(
        answer_url(item), {"body": "Because the work changed.", "answered_as": "leadership"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    waiting = client.get(QUEUE, {"show": "waiting"}).content.decode()
    assert "Why the reorganisation?" not in waiting and "Team B wonders" in waiting

    client.force_login(member)
    page = client.get(questions_url(team_a)).content.decode()
    assert "Leadership answered on" in page and "Because the work changed." in page
    assert hr.first_name not in page  # answered by the role, not by a person


def test_the_queue_filter_answers_htmx_with_the_list_only(client, supervisor, hr, team_a, theme):
    question = services.question_ask(team=team_a, body="Filtered in place")
    bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    client.force_login(hr)
    response = client.get(QUEUE, {"theme": theme.pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue"') and "Filtered in place" in body
    assert "<h1>" not in body


def test_a_bad_answer_is_refused_with_a_clear_message(client, hr, supervisor, team_a, theme):
    question = services.question_ask(team=team_a, body="Q")
    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    client.force_login(hr)
    response = client.post(answer_url(item), {"body": "", "answered_as": "ceo"}, follow=True)
    assert "Write the answer" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_answered


def test_hr_of_another_organisation_gets_404_and_sees_none_of_it(
    client, supervisor, team_a, theme, foreigner
):
    question = services.question_ask(team=team_a, body="Acme only")
    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    client.force_login(foreigner)
    assert "Acme only" not in client.get(QUEUE).content.decode()
    response = client.post(answer_url(item), {"body": "Ha", "answered_as": "hr"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert not item.is_answered


def test_employees_and_supervisors_cannot_open_the_queue(client, member, supervisor, admin):
    for person in (member, supervisor, admin):
        client.force_login(person)
        assert client.get(QUEUE).status_code == 403


# Names: only with the asker's consent ------------------------------------------------------------


def test_a_named_question_goes_up_with_the_name_only_with_consent(
    client, asker, supervisor, hr, team_a, theme
):
    with_consent = ask(
        client, asker, team_a, "Named and agreed", identity="named", name_upward="on"
    )
    without = ask(client, asker, team_a, "Named, no consent", identity="named")
    anonymous = ask(client, asker, team_a, "Anonymous, ticked anyway", name_upward="on")
    assert with_consent.name_upward and not without.name_upward
    assert anonymous.author_id is None and not anonymous.name_upward
    for question in (with_consent, without, anonymous):
        bridge_services.questions_forward(
            team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
        )
    client.force_login(hr)
    page = client.get(QUEUE).content.decode()
    assert page.count("Quentin") == 1
    assert "Asked by Quentin, who agreed to send their name" in page
    assert page.count("Asked without a name") == 2


def test_a_named_asker_can_give_or_withdraw_consent_even_after_forwarding(
    client, asker, member, supervisor, hr, team_a, theme
):
    question = ask(client, asker, team_a, "Change of heart", identity="named", name_upward="on")
    bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    consent = reverse("reflections:question_name_upward", args=[question.pk])
    client.force_login(hr)
    assert "Quentin" in client.get(QUEUE).content.decode()

    client.force_login(member)  # only the asker decides
    assert client.post(consent, {"allowed": "yes"}).status_code == 404
    client.force_login(asker)
    page = client.get(questions_url(team_a)).content.decode()
    assert "your name goes with it" in page
    client.post(consent, {"allowed": "no"})
    question.refresh_from_db()
    assert not question.name_upward
    client.force_login(hr)
    assert "Quentin" not in client.get(QUEUE).content.decode()


def test_a_question_action_with_a_bare_word_as_next_returns_to_the_team_list(
    client, member, team_a
):
    question = services.question_ask(team=team_a, body="Where to?")
    client.force_login(member)
    response = client.post(
        reverse("reflections:question_upvote", args=[question.pk]), {"next": "0"}
    )
    assert response.status_code == 302 and response["Location"] == questions_url(team_a)


def test_no_one_can_consent_for_an_anonymous_question(client, asker, team_a):
    question = ask(client, asker, team_a, "Nobody's")
    consent = reverse("reflections:question_name_upward", args=[question.pk])
    assert client.post(consent, {"allowed": "yes"}).status_code == 404
    question.refresh_from_db()
    assert not question.name_upward


# Telling the asker -----------------------------------------------------------------------------


def test_a_named_asker_who_asked_to_be_told_gets_a_notification(
    client, asker, supervisor, hr, team_a, theme
):
    told = ask(client, asker, team_a, "Tell me", identity="named", notify="on")
    quiet = ask(client, asker, team_a, "Do not tell me", identity="named")
    item = bridge_services.questions_forward(
        team=team_a, questions=[told, quiet], theme=theme, summary="S", forwarded_by=supervisor
    )
    bridge_services.forward_answer(item=item, body="Answer", answered_as="hr", answered_by=hr)
    bridge_services.forward_answer(
        item=item, body="Corrected answer", answered_as="hr", answered_by=hr
    )
    note = Notification.objects.exclude(kind=Notification.Kind.FORWARD).get()  # HR's: team only
    assert note.user == asker and note.question == told and note.session is None
    client.force_login(asker)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Your question in Team A got an answer" in page
    assert page.count('class="badge">1<') == 1  # the unread count in the navigation


def test_an_anonymous_asker_is_told_by_their_own_browser_only(
    client, asker, member, supervisor, hr, team_a, theme
):
    question = ask(client, asker, team_a, "Anonymous, tell me", notify="on")
    cookie = client.cookies[answer_cookie.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert question.pk.hex in cookie.value  # held by the browser, signed
    assert not Notification.objects.exists()
    inbox = reverse("notifications:inbox")
    assert "got an answer" not in client.get(inbox).content.decode()

    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    bridge_services.forward_answer(item=item, body="Yes.", answered_as="hr", answered_by=hr)
    # Only HR's notice that the team forwarded something: no question, no asker.
    assert [(n.user, n.question_id) for n in Notification.objects.all()] == [(hr, None)]
    page = client.get(inbox).content.decode()
    assert "Your anonymous question in Team A got an answer" in page
    assert "on the device you asked with" in page

    # The cookie is bound to the person: someone else on the same browser sees nothing.
    client.force_login(member)
    client.cookies[answer_cookie.COOKIE_NAME] = cookie.value
    assert "got an answer" not in client.get(inbox).content.decode()

    client.force_login(asker)
    client.cookies[answer_cookie.COOKIE_NAME] = cookie.value
    client.post(reverse("notifications:dismiss_answered"), {"question": str(question.pk)})
    assert "got an answer" not in client.get(inbox).content.decode()
    # A later answer by the supervisor is news again.
    services.question_answer(question=question, author=supervisor, body="And from me.")
    assert "got an answer" in client.get(inbox).content.decode()
    client.post(reverse("notifications:mark_all_read"))
    assert "got an answer" not in client.get(inbox).content.decode()


def test_an_anonymous_question_can_hold_no_wish_of_its_asker(team_a, supervisor):
    question = services.question_ask(
        team=team_a, body="Anonymous", name_upward=True, notify_author=True
    )
    assert not question.name_upward and not question.notify_author
    question.notify_author = True
    with pytest.raises(IntegrityError), transaction.atomic():
        question.save()
    services.question_answer(question=question, author=supervisor, body="A")
    assert not Notification.objects.exists()


def test_a_forged_cookie_shows_nothing(client, asker, team_a, supervisor):
    question = services.question_ask(team=team_a, body="Someone else's")
    services.question_answer(question=question, author=supervisor, body="A")
    client.force_login(asker)
    client.cookies[answer_cookie.COOKIE_NAME] = f"{question.pk.hex}:0"
    assert "got an answer" not in client.get(reverse("notifications:inbox")).content.decode()


def test_forwarding_and_answering_leave_no_trace_of_an_anonymous_asker(
    client, asker, supervisor, hr, team_a, theme, caplog
):
    caplog.set_level(logging.DEBUG)
    before = snapshot()
    question = ask(client, asker, team_a, "Is my job safe?", notify="on")
    asker_browser = client.cookies[answer_cookie.COOKIE_NAME].value
    client.force_login(supervisor)
    client.post(forward_url(team_a), {"questions": [str(question.pk)], "theme": theme.pk})
    client.force_login(hr)
    queue_page = client.get(QUEUE).content.decode()
    item = ForwardedItem.objects.get()
    client.post(answer_url(item), {"body": "Yes, it is.", "answered_as": "hr"})
    client.force_login(asker)
    client.cookies[answer_cookie.COOKIE_NAME] = asker_browser
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Your anonymous question in Team A got an answer" in inbox
    client.post(reverse("notifications:dismiss_answered"), {"question": str(question.pk)})

    assert "Is my job safe?" in queue_page
    assert traces(queue_page, asker) == []
    new_rows = {table: rows - before.get(table, set()) for table, rows in snapshot().items()}
    assert new_rows["reflections_forwardeditem"] and new_rows["privacy_auditevent"]
    for table, rows in new_rows.items():
        if table == "django_session":
            continue  # each person's own login
        for row in rows:
            if table == "teams_user" and row.startswith(f"({asker.pk},"):
                continue  # the asker's own account (signing in sets its last login)
            assert traces(row, asker) == [], (table, row)
    assert traces(caplog.text, asker) == []
    assert not Notification.objects.filter(user=asker).exists()
    question.refresh_from_db()
    assert question.author_id is None and not question.notify_author


def test_forwarding_and_answering_are_audited_without_the_asker(
    client, asker, supervisor, hr, team_a, theme
):
    question = ask(client, asker, team_a, "Audit me not")
    client.force_login(supervisor)
    client.post(forward_url(team_a), {"questions": [str(question.pk)], "theme": theme.pk})
    item = ForwardedItem.objects.get()
    client.force_login(hr)
    client.post(answer_url(item), {"body": "Answered", "answered_as": "hr"})
    events = {e.action: e for e in AuditEvent.objects.all()}
    forwarded = events[AuditEvent.Action.QUESTION_FORWARD]
    answered = events[AuditEvent.Action.FORWARD_ANSWER]
    assert forwarded.actor == supervisor and str(item.pk) in forwarded.target
    assert answered.actor == hr and str(item.pk) in answered.target
    for event in (forwarded, answered):
        assert event.subject is None
        assert traces(f"{event.target} {event.actor_label}", asker) == []


def test_hr_does_not_see_a_question_hidden_after_forwarding(client, supervisor, hr, team_a, theme):
    question = services.question_ask(team=team_a, body="Names a customer")
    bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    services.question_hide(question=question, reason="Names a customer", moderator=supervisor)
    client.force_login(hr)
    page = client.get(QUEUE).content.decode()
    assert "Names a customer" not in page and "no longer kept" in page


def test_retention_removes_old_forwarded_items_with_their_questions(supervisor, team_a, theme):
    import datetime as dt

    from privacy.services import retention_run

    question = services.question_ask(team=team_a, body="Old")
    item = bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    long_ago = item.forwarded_on - dt.timedelta(days=800)
    ForwardedItem.objects.filter(pk=item.pk).update(forwarded_on=long_ago)
    Question.objects.filter(pk=question.pk).update(asked_on=long_ago)
    result = retention_run(organization=team_a.organization)
    assert (result.questions, result.forwarded) == (1, 1)
    assert not ForwardedItem.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.RETENTION_RUN)
    assert "forwarded=1" in event.target


def test_my_data_shows_what_a_supervisor_forwarded_and_a_named_askers_wishes(
    client, asker, supervisor, team_a, theme
):
    from privacy.export import data_export

    question = ask(client, asker, team_a, "Mine", identity="named", name_upward="on", notify="on")
    bridge_services.questions_forward(
        team=team_a, questions=[question], theme=theme, forwarded_by=supervisor
    )
    (forwarded,) = data_export(user=supervisor)["forwarded_to_hr"]
    assert forwarded["questions"] == [str(question.pk)] and forwarded["theme"] == theme.title
    (mine,) = data_export(user=asker)["named_questions"]
    assert mine["name_may_go_to_hr"] and mine["notify_when_answered"]
    client.force_login(supervisor)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "You forwarded 1 question of Team A to HR (Customer first)" in page


# Query counts ---------------------------------------------------------------------------------


def fill_queue(acme, supervisor, count):
    for index in range(count):
        team = team_services.team_create(organization=acme, name=f"Team {index}")
        team_services.membership_set(team=team, user=supervisor, role=Membership.Role.SUPERVISOR)
        theme = direction_services.theme_create(organization=acme, title=f"Theme {index}")
        named = make_user(acme, f"named-{index}")
        questions = [
            services.question_ask(team=team, body=f"Q{index}a"),
            services.question_ask(
                team=team, body=f"Q{index}b", named_author=named, name_upward=True
            ),
        ]
        services.question_upvote(question=questions[0], user=supervisor)
        item = bridge_services.questions_forward(
            team=team, questions=questions, theme=theme, summary="S", forwarded_by=supervisor
        )
        if index % 2:
            bridge_services.forward_answer(
                item=item, body="A", answered_as="hr", answered_by=supervisor
            )


@pytest.mark.parametrize("count", [2, 12])
def test_queue_query_count_does_not_grow(
    client, acme, supervisor, hr, django_assert_num_queries, count
):
    fill_queue(acme, supervisor, count)
    client.force_login(hr)
    client.get(QUEUE)
    with django_assert_num_queries(5):
        response = client.get(QUEUE)
    assert response.content.decode().count('class="forwarded-item"') == count


def test_an_hr_person_who_is_also_admin_still_sees_the_queue(client, acme, hr):
    team_services.org_roles_set(user=hr, roles={OrgRole.Role.HR, OrgRole.Role.ADMIN})
    client.force_login(hr)
    assert "Nothing has been forwarded yet" in client.get(QUEUE).content.decode()


def test_hr_is_told_a_team_forwarded_questions_once_while_unread_naming_only_the_team(
    client, supervisor, member, hr, team_a, theme, foreigner
):
    first, second, third = (
        services.question_ask(team=team_a, body=body) for body in ("One?", "Two?", "Three?")
    )
    bridge_services.questions_forward(
        team=team_a, questions=[first], theme=theme, forwarded_by=supervisor
    )
    bridge_services.questions_forward(
        team=team_a, questions=[second], theme=theme, forwarded_by=supervisor
    )
    notices = Notification.objects.filter(kind=Notification.Kind.FORWARD)
    assert [(n.user, n.team, n.question_id, n.session_id) for n in notices] == [
        (hr, team_a, None, None)
    ]  # not the supervisor, the team or HR of another organisation; one while unread
    client.force_login(hr)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert f"{QUEUE}?team={team_a.pk}" in inbox and "Team A forwarded questions to HR" in inbox
    assert "One?" not in inbox and "Two?" not in inbox
    client.post(reverse("notifications:mark_read", args=[notices.get().pk]))
    bridge_services.questions_forward(
        team=team_a, questions=[third], theme=theme, forwarded_by=supervisor
    )
    assert notices.filter(read_at__isnull=True).count() == 1  # read, then a new one
