"""A question of a list is built in Python (reflections/question_html.py) with the markup of
templates/reflections/question_item.html, its readable reference: the two agree for every
kind of question, for a member and a supervisor, in English and Finnish."""

import re

import pytest
from django.template.loader import get_template
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils import translation

from learning_lead import fragments
from reflections import bridge_services, links, question_html, selectors, services
from teams import direction_services


@pytest.fixture
def questions(team_a, member, supervisor, hr, acme, past_session):
    theme = direction_services.theme_create(organization=acme, title="Customer <first>")
    plain = services.question_ask(team=team_a, body="Is it <b>fine</b>\nnot to know?")
    named = services.question_ask(
        team=team_a, body="Named & asked", named_author=member, name_upward=True
    )
    services.question_ask(team=team_a, body="Named, no consent", named_author=member)
    services.question_ask(team=team_a, body="About the session", session=past_session)
    hidden = services.question_ask(team=team_a, body="Rude")
    services.question_hide(question=hidden, reason="Off <topic>", moderator=supervisor)
    answered = services.question_ask(team=team_a, body="Answered one")
    services.question_answer(question=answered, author=supervisor, body="Yes.\nReally.")
    services.question_mark_answered(question=answered)
    reported = services.question_ask(team=team_a, body="Reported one")
    services.question_report(question=reported, reason="Mean & rude")
    services.question_report(question=reported, reason="Off topic")
    services.question_upvote(question=plain, user=member)
    services.question_upvote(question=named, user=supervisor)
    # Shortened for the buttons' hidden labels: plain text, and text with combining accents.
    services.question_ask(team=team_a, body="Why do we <always> meet on Mondays? " * 3)
    services.question_ask(team=team_a, body="Mitä ja\u0301 miksi opimme yhdessä tänä vuonna? " * 2)
    forwarded = services.question_ask(team=team_a, body="Forwarded one")
    item = bridge_services.questions_forward(
        team=team_a,
        questions=[forwarded],
        theme=theme,
        summary="Sum\nup",
        forwarded_by=supervisor,
    )
    bridge_services.forward_answer(item=item, body="From HR", answered_as="hr", answered_by=hr)
    return team_a


def _html(fragment: str, web, facts):
    """The fragment as the viewer gets it, each CSRF token (masked anew each time) alike."""
    filled = fragments.fill(fragment, web, facts)
    return parse_html(re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "csrf", filled))


@pytest.mark.parametrize("language", ["en", "fi"])
@pytest.mark.parametrize("persona", ["member", "supervisor"])
def test_each_question_is_built_as_the_template_draws_it(
    persona, language, request, questions, team_a
):
    viewer = request.getfixturevalue(persona)
    moderate = persona == "supervisor"
    page = selectors.questions_page(team_a, moderate=moderate, viewer=viewer)
    assert len(page.questions) == 10
    web = RequestFactory().get("/teams/1/questions/?x=<1>")
    web.user = viewer
    template = get_template("reflections/question_item.html")
    context = {
        "request": web,
        "is_supervisor": moderate,
        "links": links.question_links(),
        "next": web.get_full_path(),
        "csrf_token": fragments.CSRF,
        "_fragment": True,
    }
    voted = {str(q.pk) for q in page.questions if q.has_voted}
    with translation.override(language):
        for show_session in (True, False):
            for question in page.questions:
                drawn = template.render(
                    {**context, "question": question, "show_session": show_session}
                )
                built = question_html.render(
                    question,
                    question_html.Page(
                        is_supervisor=moderate,
                        show_session=show_session,
                        links=context["links"],
                        next_path=context["next"],
                    ),
                )
                for facts in ({"voted": voted}, {"voted": set()}):
                    assert _html(built, web, facts) == _html(drawn, web, facts), question.body


def test_a_question_outside_a_fragment_is_refused(db):
    from django.template import Template, TemplateSyntaxError
    from django.template.context import Context

    with pytest.raises(TemplateSyntaxError):
        Template("{% load question_links %}{% question_item q %}").render(Context({"q": None}))
