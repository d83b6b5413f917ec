"""The three journeys, one function per step, each step a few lines against `ui`.

A step takes a `Visit` (page, language, driver, demo data), acts as a person would, and checks
what the person should see; it leaves the browser where the next step starts. Journeys are
lists of steps, so a new step (a thought, a question) is one function and one list entry.
"""

import csv
import html
import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications.models import Notification
from reflections import services as reflection_services
from reflections.models import Attendance, Question, Rhythm, Session, Thought
from teams.models import CheckIn, PersonalGoal, TeamGoal, User
from tests.browser.conftest import TIMEOUT_MS, Demo
from tests.browser.ui import Keyboard, Pointer, t


@dataclass
class Visit:
    page: Page
    lang: str
    ui: Pointer | Keyboard
    demo: Demo
    js: bool = True

    def t(self, message: str, **values) -> str:
        return t(self.lang, message, **values)

    def loads(self, action, *args) -> None:
        """Does something that loads a new page, and waits for it."""
        with self.page.expect_navigation():
            action(*args)

    @contextmanager
    def in_place(self) -> Iterator[None]:
        """For a form htmx answers in place: with JavaScript the body must act and wait for the
        result without the page reloading; without JavaScript the form loads a new page."""
        if not self.js:
            with self.page.expect_navigation():
                yield
            return
        self.page.evaluate("() => { window.__samePage = true; }")
        yield
        assert self.page.evaluate("() => window.__samePage === true"), "the page reloaded"


def eventually(page: Page, check, timeout: float = TIMEOUT_MS / 1000) -> None:
    """Retries a check until it passes, for what the page updates on its own (htmx)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(100)


def at(v: Visit, path: str) -> None:
    """The page is `path` (a fragment such as the skip link's #main may follow it)."""
    expect(v.page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}([?#].*)?$"))


def main(v: Visit):
    return v.page.locator("main")


# Shared steps -----------------------------------------------------------------------------


def sign_in(v: Visit, user: User) -> None:
    v.page.goto("/accounts/login/")
    expect(v.page.locator("html")).to_have_attribute("lang", v.lang)
    v.ui.fill(v.page.locator("#id_username"), user.username)
    v.ui.fill(v.page.locator("#id_password"), v.demo.password)
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Sign in")))
    at(v, "/")
    expect(v.page.locator(".site-header nav")).to_be_visible()
    # The stylesheet and htmx load from the live server's static files.
    paper = v.page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    assert paper == "rgb(251, 250, 247)", "the stylesheet did not load"
    htmx = v.page.evaluate("() => typeof window.htmx")
    assert htmx == ("object" if v.js else "undefined"), f"htmx is {htmx} with js={v.js}"


def choose_language(v: Visit) -> None:
    """The header's language switch; the demo people start in Finnish."""
    v.ui.select(v.page.locator("#language-select"), v.lang)
    v.loads(v.ui.click, v.page.locator(".language-switch button[type=submit]"))
    expect(v.page.locator("html")).to_have_attribute("lang", v.lang)


def open_nav(v: Visit, label: str) -> None:
    v.loads(v.ui.click, v.page.locator(".site-header nav").get_by_role("link", name=v.t(label)))


def open_team_page(v: Visit, label: str) -> None:
    """From the header's Teams to the demo team, then to one of its pages (`label`)."""
    team = v.demo.team
    open_nav(v, "Teams")
    v.loads(v.ui.click, main(v).locator(f'a[href="/teams/{team.pk}/"]'))
    links = main(v).locator(".team-links")
    v.loads(v.ui.click, links.get_by_role("link", name=v.t(label), exact=True))


def question_item(v: Visit, body: str):
    """The question in the list whose text is `body`."""
    return (
        main(v).locator("li.question").filter(has=v.page.locator(".question-body", has_text=body))
    )


# Supervisor -------------------------------------------------------------------------------

RHYTHM_TITLE = "Thursday learning moment"
THURSDAY = 3


def plan_weekly_rhythm(v: Visit) -> None:
    team = v.demo.team
    v.loads(
        v.ui.click, main(v).get_by_role("link", name=v.t("Sessions of %(team)s", team=team.name))
    )
    v.loads(v.ui.click, main(v).get_by_role("link", name=v.t("Plan a rhythm"), exact=True))
    expect(main(v).get_by_role("heading", level=1)).to_have_text(v.t("Plan a reflection rhythm"))
    v.ui.fill(v.page.locator("#id_title"), RHYTHM_TITLE)
    v.ui.select(v.page.locator("#id_frequency"), "weekly")
    v.ui.select(v.page.locator("#id_weekday"), str(THURSDAY))
    if not v.js:  # without htmx the preview comes from its own button
        v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Preview dates")))

    def preview_shows_thursdays():
        days = v.page.locator("#preview time").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime').slice(0, 10))"
        )
        assert len(days) == 6, days
        assert {date.fromisoformat(day).weekday() for day in days} == {THURSDAY}, days

    eventually(v.page, preview_shows_thursdays)  # htmx updates the preview as fields change
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Plan the sessions")))
    at(v, f"/teams/{team.pk}/sessions/")
    expect(v.page.locator(".messages")).to_contain_text(
        v.t("Rhythm planned. The sessions are in the calendar.")
    )
    expect(main(v).locator(".cards").get_by_text(RHYTHM_TITLE, exact=True)).to_be_visible()
    rhythm = Rhythm.objects.get(team=team, title=RHYTHM_TITLE)
    assert rhythm.frequency == "weekly" and rhythm.weekday == THURSDAY
    assert rhythm.sessions.filter(starts_at__gt=timezone.now()).count() >= 6


def open_started_session(v: Visit) -> None:
    session = v.demo.started
    v.loads(v.ui.click, main(v).locator(f'a[href="/sessions/{session.pk}/"]'))
    expect(main(v).get_by_role("heading", level=1)).to_have_text(session.title)
    expect(main(v).get_by_role("heading", name=v.t("Run the session"))).to_be_visible()


def mark_held_with_attendance(v: Visit) -> None:
    session = v.demo.started
    present = list(session.team.members.exclude(pk=v.demo.supervisor.pk).order_by("username")[:3])
    for person in present:
        v.ui.check(main(v).get_by_role("checkbox", name=str(person), exact=True))
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Mark held")))
    expect(main(v).locator(".page-head .badge")).to_have_text(v.t("Held"))
    expect(main(v).get_by_role("button", name=v.t("Save who took part"))).to_be_visible()
    for person in present:
        expect(main(v).get_by_role("checkbox", name=str(person), exact=True)).to_be_checked()
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert set(Attendance.objects.filter(session=session).values_list("user", flat=True)) == {
        person.pk for person in present
    }


ANSWER_BODY = "Yes: pick one thing and we look at it together next Thursday."


def answer_question(v: Visit) -> None:
    team = v.demo.team
    question = (
        Question.objects.filter(team=team, status=Question.Status.OPEN, is_hidden=False)
        .order_by("asked_on", "id")
        .first()
    ) or reflection_services.question_ask(team=team, body="Where do we keep the notes?")
    open_team_page(v, "Questions out loud")
    at(v, f"/teams/{team.pk}/questions/")
    item = question_item(v, question.body)
    expect(item.locator(".question-meta .badge").first).to_have_text(v.t("Open"))
    v.ui.click(item.locator("details summary").filter(has_text=v.t("Answer")))
    v.ui.fill(item.locator(f"#answer-{question.pk}"), ANSWER_BODY)
    v.loads(v.ui.click, item.get_by_role("button", name=v.t("Post the answer")))
    at(v, f"/teams/{team.pk}/questions/")
    expect(v.page.locator(".messages")).to_contain_text(v.t("Your answer is posted."))
    item = question_item(v, question.body)
    expect(item.locator(".answer")).to_contain_text(ANSWER_BODY)
    expect(item.locator(".answer .meta")).to_contain_text(str(v.demo.supervisor))
    expect(item.locator(".question-meta .badge").first).to_have_text(v.t("Answered"))
    expect(item.get_by_role("button", name=v.t("Mark answered"))).to_have_count(0)
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert list(question.answers.values_list("author", "body")) == [
        (v.demo.supervisor.pk, ANSWER_BODY)
    ]


# Employee ---------------------------------------------------------------------------------

GOAL_TITLE = "Explain my reasoning out loud"
GOAL_REASON = "Others learn from how I got there, not only from the answer."
CHECKIN_NOTE = "Talked through one decision in the team session."


def see_upcoming_sessions(v: Visit) -> None:
    section = main(v).locator("section", has=v.page.locator("#upcoming-heading"))
    expect(section.get_by_role("heading")).to_have_text(v.t("My upcoming sessions"))
    next_one = (
        Session.objects.filter(
            team__memberships__user=v.demo.employee,
            ends_at__gt=timezone.now(),
            status=Session.Status.PLANNED,
        )
        .order_by("starts_at")
        .first()
    )
    rows = section.locator(".session-row")
    expect(rows.first).to_contain_text(next_one.title)
    expect(rows.first.locator("a")).to_have_attribute("href", f"/sessions/{next_one.pk}/")


def add_personal_goal(v: Visit) -> None:
    open_nav(v, "My learning")
    v.loads(v.ui.click, main(v).get_by_role("link", name=v.t("Set a new goal")))
    team_goal = TeamGoal.objects.filter(team=v.demo.team, status="active").order_by("pk").first()
    v.ui.fill(v.page.locator("#id_title"), GOAL_TITLE)
    v.ui.fill(v.page.locator("#id_reason"), GOAL_REASON)
    v.ui.select(v.page.locator("#id_team_goal"), str(team_goal.pk))
    v.ui.check(v.page.locator("input[name=challenge][value='2']"))
    v.ui.check(v.page.locator("input[name=visibility][value='team']"))
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Save")))
    goal = PersonalGoal.objects.get(owner=v.demo.employee, title=GOAL_TITLE)
    at(v, f"/learning/goals/{goal.pk}/")
    expect(main(v).get_by_role("heading", level=1)).to_have_text(GOAL_TITLE)
    expect(main(v).locator("dl.facts")).to_contain_text(GOAL_REASON)
    assert (goal.team_goal, goal.challenge, goal.visibility) == (team_goal, 2, "team")


def check_in_on_goal(v: Visit) -> None:
    goal = PersonalGoal.objects.get(owner=v.demo.employee, title=GOAL_TITLE)
    v.ui.check(v.page.locator("input[name=progress][value='3']"))
    v.ui.fill(v.page.locator("#id_note"), CHECKIN_NOTE)
    saved = main(v).get_by_role("status").filter(has_text=v.t("Check-in saved."))
    with v.in_place():
        v.ui.click(main(v).get_by_role("button", name=v.t("Save check-in")))
        expect(saved).to_be_visible()
    expect(main(v).locator("table.checkins tbody tr").first).to_contain_text(CHECKIN_NOTE)
    checkin = CheckIn.objects.get(goal=goal)
    assert (checkin.progress, checkin.day) == (3, timezone.localdate())


def read_notification(v: Visit) -> None:
    unread = Notification.objects.filter(user=v.demo.employee, read_at__isnull=True)
    before = unread.count()
    assert before > 0, "the demo gives the employee unread notifications"
    expect(v.page.locator(".site-header nav .badge")).to_contain_text(str(before))
    open_nav(v, "Notifications")
    items = main(v).locator(".notification.unread")
    expect(items).to_have_count(before)
    first = items.first
    mark = first.get_by_role("button", name=re.compile("^" + re.escape(v.t("Mark read"))))
    with v.in_place():
        v.ui.click(mark)
        expect(main(v).locator(".notification.unread")).to_have_count(before - 1)
    assert unread.count() == before - 1


THOUGHT_BODY = "Half-way idea: we could pair up for the first hour of a new tool."
REPLY_BODY = "I would join that; the second hour is where I get stuck."
QUESTION_BODY = "Is it fine to say I did not follow the new review process?"


def post_thought(v: Visit) -> None:
    team = v.demo.team
    open_team_page(v, "Thoughts")
    at(v, f"/teams/{team.pk}/thoughts/")
    v.ui.check(main(v).locator("input[name=kind][value='insight']"))
    v.ui.fill(main(v).locator("#id_body"), THOUGHT_BODY)
    posted = main(v).locator(".message-success").filter(has_text=v.t("Your thought is posted."))
    with v.in_place():
        v.ui.click(main(v).get_by_role("button", name=v.t("Post the thought")))
        expect(posted.first).to_be_visible()
    at(v, f"/teams/{team.pk}/thoughts/")
    first = main(v).locator("ol.thoughts > li").first
    expect(first.locator(".thought-body").first).to_have_text(THOUGHT_BODY)
    expect(first.locator(".thought-meta").first).to_contain_text(str(v.demo.employee))
    thought = Thought.objects.get(author=v.demo.employee, body=THOUGHT_BODY)
    assert (thought.team, thought.kind, thought.parent) == (team, Thought.Kind.INSIGHT, None)


def reply_to_thought(v: Visit) -> None:
    team = v.demo.team
    parent = (
        Thought.objects.filter(team=team, parent=None)
        .exclude(author=v.demo.employee)
        .order_by("-created_at", "-id")
        .first()
    )
    item = main(v).locator(f"#thought-{parent.pk}")
    v.ui.click(item.locator("details.reply > summary"))
    v.ui.fill(item.locator(f"#reply-{parent.pk}"), REPLY_BODY)
    posted = main(v).locator(".message-success").filter(has_text=v.t("Your reply is posted."))
    with v.in_place():
        v.ui.click(item.get_by_role("button", name=v.t("Post the reply")))
        expect(posted.first).to_be_visible()
    expect(main(v).locator(f"#thought-{parent.pk} .replies")).to_contain_text(REPLY_BODY)
    reply = Thought.objects.get(author=v.demo.employee, body=REPLY_BODY)
    assert (reply.parent, reply.team) == (parent, team)


def ask_anonymously(v: Visit) -> None:
    team = v.demo.team
    # The feed's head links to the team's questions.
    v.loads(v.ui.click, main(v).get_by_role("link", name=v.t("Questions out loud"), exact=True))
    at(v, f"/teams/{team.pk}/questions/")
    v.ui.fill(main(v).locator("#id_body"), QUESTION_BODY)
    v.ui.check(main(v).locator("input[name=identity][value='anonymous']"))
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Ask the question")))
    at(v, f"/teams/{team.pk}/questions/")
    expect(v.page.locator(".messages")).to_contain_text(v.t("Your question is asked anonymously."))
    item = question_item(v, QUESTION_BODY)
    expect(item.locator(".question-meta strong")).to_have_text(v.t("Anonymous"))
    expect(item).not_to_contain_text(str(v.demo.employee))
    question = Question.objects.get(team=team, body=QUESTION_BODY)
    assert question.author is None and not question.author_left
    assert question.asked_on is not None


def upvote_question(v: Visit) -> None:
    team = v.demo.team
    unvoted = Question.objects.filter(team=team, is_hidden=False).exclude(
        votes__user=v.demo.employee
    )
    question = (
        unvoted.exclude(body=QUESTION_BODY).order_by("id").first() or unvoted.order_by("id").first()
    )
    before = question.votes.count()
    item = question_item(v, question.body)
    votes = re.compile(rf"^\s*{before + 1}\D")
    v.loads(v.ui.click, item.get_by_role("button", name=v.t("I want to know too")))
    at(v, f"/teams/{team.pk}/questions/")
    item = question_item(v, question.body)
    expect(item.locator(".votes")).to_have_text(votes)
    expect(item).to_contain_text(v.t("You want to know too"))
    expect(item.get_by_role("button", name=v.t("I want to know too"))).to_have_count(0)
    assert question.votes.count() == before + 1
    # A second upvote (a resent form, another tab) is refused and not counted.
    token = main(v).locator("input[name=csrfmiddlewaretoken]").first.input_value()
    again = v.page.request.post(
        f"/questions/{question.pk}/upvote/",
        form={"csrfmiddlewaretoken": token, "next": f"/teams/{team.pk}/questions/"},
    )
    assert again.ok
    assert html.escape(v.t("You have already upvoted this question.")) in again.text()
    assert question.votes.count() == before + 1
    v.page.reload()
    expect(question_item(v, question.body).locator(".votes")).to_have_text(votes)
    # Taken back: the count falls and the button is there again.
    item = question_item(v, question.body)
    v.loads(v.ui.click, item.get_by_role("button", name=v.t("Take it back")))
    expect(v.page.locator(".messages")).to_contain_text(v.t("Your upvote is taken back."))
    item = question_item(v, question.body)
    expect(item.locator(".votes")).to_have_text(re.compile(rf"^\s*{before}\D"))
    expect(item.get_by_role("button", name=v.t("I want to know too"))).to_have_count(1)
    assert question.votes.count() == before


# HR ---------------------------------------------------------------------------------------


def open_report(v: Visit) -> None:
    open_nav(v, "Reports")
    expect(main(v).get_by_role("heading", level=1)).to_have_text(
        v.t("Learning across the organisation")
    )
    expect(main(v).locator("table.report-table").first).to_be_visible()


def change_period(v: Visit) -> None:
    v.ui.select(v.page.locator("#id_period"), "year")
    v.loads(v.ui.click, main(v).locator(".report-filter").get_by_role("button", name=v.t("Show")))
    expect(v.page).to_have_url(re.compile(r"[?&]period=year"))
    expect(v.page.locator("#id_period")).to_have_value("year")


def download_csv(v: Visit) -> None:
    with v.page.expect_download() as download:
        v.ui.click(main(v).get_by_role("link", name=v.t("Download CSV")))
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8"))))
    # The year ends with the last published month (reports/rollups/sealing.py: last_published).
    published = timezone.localdate() - timedelta(days=settings.REPORT_PUBLISH_AFTER_DAYS)
    after = published.replace(day=1)
    start, end = after - relativedelta(months=12), after
    assert rows[0] == [v.t("Period"), start.isoformat(), end.isoformat()]
    on_page, in_csv = _page_tables(v), _csv_tables(rows[1:])
    assert [table[0] for table in in_csv] == [table[0] for table in on_page]
    for csv_table, page_table in zip(in_csv, on_page, strict=True):
        assert csv_table == page_table, f"the CSV differs from the page in {page_table[0]}"


def _csv_tables(rows: list[list[str]]) -> list[list[list[str]]]:
    tables, current = [], None
    for row in rows:
        if not row:
            current = []
            tables.append(current)
        else:
            current.append(row)
    return tables


def _page_tables(v: Visit) -> list[list[list[str]]]:
    return (
        main(v)
        .locator("section:has(table.report-table)")
        .evaluate_all(
            """sections => sections.map(section => [
            [section.querySelector("h2").textContent.trim()],
            ...[...section.querySelectorAll("table.report-table tr")]
                .filter(tr => !tr.querySelector("td.empty"))
                .map(tr => [...tr.children].map(cell => cell.textContent.trim())),
            ...[...section.querySelectorAll("p.table-note")].map(p => [p.textContent.trim()]),
        ])"""
        )
    )


JOURNEYS = {
    "supervisor": [
        plan_weekly_rhythm,
        open_started_session,
        mark_held_with_attendance,
        answer_question,
    ],
    "employee": [
        see_upcoming_sessions,
        add_personal_goal,
        check_in_on_goal,
        read_notification,
        post_thought,
        reply_to_thought,
        ask_anonymously,
        upvote_question,
    ],
    "hr": [open_report, change_period, download_csv],
}


def run(role: str, v: Visit) -> None:
    user = {"supervisor": v.demo.supervisor, "employee": v.demo.employee, "hr": v.demo.hr}[role]
    sign_in(v, user)
    choose_language(v)
    user.refresh_from_db()
    assert user.language == v.lang
    for step in JOURNEYS[role]:
        step(v)
