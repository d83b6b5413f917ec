"""A question travels up and its answer comes back, in a real browser: an employee asks
anonymously and asks to be told, the supervisor forwards the question to HR with a strategy
theme, HR answers as leadership, and the team sees the answer; the asker's own browser shows
the notice. With JavaScript in English, and without it in Finnish."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from reflections.models import ForwardedItem, Question
from tests.browser import journeys
from tests.browser.journeys import at, main, open_nav, question_item
from tests.browser.ui import Pointer

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "Will the new on-call rules apply to part-time staff too?"
ANSWER = "Yes, from March, with the hours scaled to the contract."


def visit(open_context, demo, lang, js, user):
    page = open_context(lang=lang, js=js)
    v = journeys.Visit(page=page, lang=lang, ui=Pointer(page), demo=demo, js=js)
    journeys.sign_in(v, user)
    journeys.choose_language(v)
    return v


def ask_and_ask_to_be_told(v) -> None:
    team = v.demo.team
    v.page.goto(f"/teams/{team.pk}/questions/")
    v.ui.fill(main(v).locator("#id_body"), BODY)
    v.ui.check(main(v).locator("input[name=identity][value='anonymous']"))
    v.ui.check(main(v).get_by_role("checkbox", name=v.t("Tell me when it is answered")))
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Ask the question")))
    expect(v.page.locator(".messages")).to_contain_text(v.t("Your question is asked anonymously."))


def forward_to_hr(v) -> None:
    team = v.demo.team
    journeys.open_team_page(v, "Questions out loud")
    item = question_item(v, BODY)
    v.loads(v.ui.click, item.get_by_role("link", name=v.t("Forward to HR"), exact=False))
    at(v, f"/teams/{team.pk}/questions/forward/")
    choice = main(v).get_by_role("checkbox", name=BODY)
    expect(choice).to_be_checked()
    chosen = main(v).locator("li").filter(has=v.page.get_by_role("checkbox", name=BODY))
    expect(chosen).to_contain_text(v.t("Goes up anonymously."))
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Forward to HR")))
    at(v, f"/teams/{team.pk}/questions/")
    expect(v.page.locator(".messages")).to_contain_text(
        v.t("Forwarded to HR. The team sees that it went up.")
    )
    expect(question_item(v, BODY).locator(".forwarded")).to_be_visible()


def answer_as_leadership(v) -> None:
    open_nav(v, "Forwarded questions")
    expect(main(v).get_by_role("heading", level=1)).to_have_text(v.t("Questions forwarded to HR"))
    item = main(v).locator("li.forwarded-item").filter(has_text=BODY)
    expect(item).to_contain_text(v.t("Asked without a name"))
    expect(item).not_to_contain_text(str(v.demo.employee))
    v.ui.fill(item.locator("textarea[name=body]"), ANSWER)
    v.ui.check(item.get_by_role("radio", name=v.t("Leadership")))
    v.loads(v.ui.click, item.get_by_role("button", name=v.t("Publish the answer to the team")))
    expect(v.page.locator(".messages")).to_contain_text(
        v.t("Your answer is published to the team.")
    )
    item = main(v).locator("li.forwarded-item").filter(has_text=BODY)
    expect(item.locator(".answer")).to_contain_text(ANSWER)


def team_sees_the_answer(v) -> None:
    team = v.demo.team
    v.page.goto(f"/teams/{team.pk}/questions/")
    answer = question_item(v, BODY).locator(".forwarded .answer")
    expect(answer).to_contain_text(ANSWER)
    expect(answer).to_contain_text(v.t("Leadership"))
    expect(answer).not_to_contain_text(str(v.demo.hr))


def asker_is_told_on_this_device(v) -> None:
    open_nav(v, "Notifications")
    notice_text = v.t("Your anonymous question in %(team)s got an answer", team=v.demo.team.name)
    notice = main(v).get_by_role("link", name=notice_text)
    expect(notice).to_be_visible()
    with v.in_place():
        mark_read = (
            main(v)
            .locator("li.notification")
            .filter(has=v.page.get_by_role("link", name=notice_text))
        )
        v.ui.click(mark_read.get_by_role("button"))
    expect(notice).to_have_count(0)


@pytest.mark.parametrize(("lang", "js"), [("en", True), ("fi", False)], ids=["en", "fi-no-js"])
def test_a_supervisor_forwards_a_question_hr_answers_it_the_team_sees_the_answer(
    open_context, demo, lang, js
):
    employee = visit(open_context, demo, lang, js, demo.employee)
    ask_and_ask_to_be_told(employee)
    question = Question.objects.get(body=BODY)
    assert question.author_id is None

    forward_to_hr(visit(open_context, demo, lang, js, demo.supervisor))
    item = ForwardedItem.objects.get(questions=question)
    assert item.team == demo.team and item.forwarded_by == demo.supervisor

    answer_as_leadership(visit(open_context, demo, lang, js, demo.hr))
    item.refresh_from_db()
    assert (item.answer, item.answered_as) == (ANSWER, "leadership")

    team_sees_the_answer(employee)
    asker_is_told_on_this_device(employee)
    assert not Notification.objects.filter(question=question).exists()
