"""The questions list's page read through SQL compiled once (reflections/question_rows.py) is
the page selectors.questions_page reads through the ORM: the same questions in the same order,
with the same fields, vote counts, votes, sessions, authors, answers, forwards and reports,
for every viewer, filter and page; and the ask form's sessions are
selectors.feed_sessions_for_filter's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reflections import bridge_services, feed_rows, question_rows, selectors, services
from teams import direction_services
from teams import services as team_services
from tests.conftest import make_user


@pytest.fixture
def questions(team_a, member, supervisor, hr, acme, past_session):
    theme = direction_services.theme_create(organization=acme, title="Customers")
    voters = [make_user(acme, f"voter{index}") for index in range(3)]
    for voter in voters:
        team_services.membership_set(team=team_a, user=voter, role="member")
    for index in range(23):
        question = services.question_ask(
            team=team_a,
            body=f"Question {index}?",
            named_author=member if index % 3 == 0 else None,
            name_upward=index % 6 == 0,
            session=past_session if index % 4 == 0 else None,
        )
        for voter in voters[: index % 4]:
            services.question_upvote(question=question, user=voter)
        if index % 5 == 0:
            services.question_answer(question=question, author=supervisor, body=f"Yes {index}.")
            services.question_answer(question=question, author=supervisor, body="And more.")
            services.question_mark_answered(question=question)
        if index % 7 == 0:
            services.question_report(question=question, reason="Mean")
            services.question_report(question=question, reason="Off topic")
        if index == 8:
            services.question_hide(question=question, reason="Rude", moderator=supervisor)
        if index in (2, 9):
            item = bridge_services.questions_forward(
                team=team_a,
                questions=[question],
                theme=theme,
                summary="Sum up" if index == 2 else "",
                forwarded_by=supervisor,
            )
            if index == 2:
                bridge_services.forward_answer(
                    item=item, body="From HR", answered_as="hr", answered_by=hr
                )
    services.question_upvote(question=question, user=member)
    return team_a


def _row(model) -> dict:
    return {key: value for key, value in vars(model).items() if not key.startswith("_")}


def _seen(page: selectors.QuestionPage, moderate: bool) -> list:
    shown = []
    for question in page.questions:
        item = {
            "question": _row(question),
            "session": question.session and _row(question.session),
            "author": question.author and _row(question.author),
            "answers": [(_row(a), a.author and _row(a.author)) for a in question.answer_list],
            "forwards": [(_row(f), _row(f.theme)) for f in question.forward_list],
        }
        if moderate:
            item["reports"] = [_row(report) for report in question.report_list]
        shown.append(item)
    return [shown, page.next_cursor]


@pytest.mark.parametrize("moderate", [False, True])
@pytest.mark.parametrize("persona", ["member", "supervisor", None])
def test_the_compiled_page_is_the_orm_page(
    questions, past_session, request, moderate, persona, django_assert_num_queries
):
    viewer = request.getfixturevalue(persona) if persona else None
    first = selectors.questions_page(questions, moderate=moderate, viewer=viewer)
    assert len(first.questions) == 20 and first.next_cursor
    for options in (
        {},
        {"cursor": first.next_cursor},
        {"session_id": past_session.pk},
        {"session_id": past_session.pk, "size": 3},
        {"session_id": past_session.pk, "size": 3, "cursor": first.next_cursor},
    ):
        orm = selectors.questions_page(questions, moderate=moderate, viewer=viewer, **options)
        with django_assert_num_queries(4 if moderate else 3):
            compiled = question_rows.page(questions, moderate=moderate, viewer=viewer, **options)
        assert compiled.questions, options
        assert _seen(compiled, moderate) == _seen(orm, moderate), options


def test_a_page_without_questions_asks_nothing_more(team_a, member, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = question_rows.page(team_a, moderate=True, viewer=member)
    assert page.questions == [] and page.next_cursor == ""


def test_the_ask_forms_sessions_are_the_orm_ones(team_a, team_b, django_assert_num_queries):
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
    # The ask form offers the feed's listed sessions (reflections/feed_rows.py): each choice's
    # value and label as the ORM's sessions give them.
    with django_assert_num_queries(1):
        compiled = [(s.pk, str(s)) for s in feed_rows.sessions_listed(team_a)]
    orm = [(s.pk, str(s)) for s in selectors.feed_sessions_for_filter(team_a)]
    assert compiled == orm and [label.rsplit(" ", 1)[0] for _pk, label in orm] == [
        "In 3 days",
        "In -1 days",
        "In -30 days",
    ]
