"""A live session in real browsers at once: the supervisor facilitates in Finnish, the employee
follows in English on their own device. Phases and the revealed cards reach the other browser
without a reload within a few seconds, an anonymous card shows no writer, the timer survives a
reload, and facilitation is handed over."""

import re

import pytest
from playwright.sync_api import expect

from reflections.models import LiveCard
from tests.browser import journeys
from tests.browser.journeys import main
from tests.browser.test_accessibility import (  # noqa: F401 - axe_source is a fixture
    BLOCKING,
    axe,
    axe_source,
)
from tests.browser.ui import Pointer

pytestmark = pytest.mark.django_db(transaction=True)

CARD = "I was unsure whom to ask about the new rota."
FOLLOWS_MS = 5_000  # polling every 2 s; a loaded test machine gets some slack


def visit(open_context, demo, lang, user):
    page = open_context(lang=lang)
    v = journeys.Visit(page=page, lang=lang, ui=Pointer(page), demo=demo)
    journeys.sign_in(v, user)
    journeys.choose_language(v)
    v.page.goto(f"/sessions/{demo.started.pk}/")
    return v


def live(v):
    return main(v).locator("#live")


def now_phase(v, phase):
    return v.t("Now: %(phase)s", phase=v.t(phase))


def no_blocking_axe_violations(v, source) -> None:
    bad = [found for found in axe(v.page, source) if found["impact"] in BLOCKING]
    assert bad == [], bad


def test_a_live_session_followed_on_two_devices(open_context, demo, axe_source):  # noqa: F811
    lead = visit(open_context, demo, "fi", demo.supervisor)
    member = visit(open_context, demo, "en", demo.employee)
    expect(live(member)).to_contain_text(
        member.t("The live session has not started."), timeout=FOLLOWS_MS
    )

    lead.loads(
        lead.ui.click, live(lead).get_by_role("button", name=lead.t("Start the live session"))
    )
    expect(live(member)).to_contain_text(now_phase(member, "Check-in"), timeout=FOLLOWS_MS)

    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Next phase")))
    expect(live(member)).to_contain_text(now_phase(member, "Reflect"), timeout=FOLLOWS_MS)

    # The timer is drawn from the server's deadline: a reload shows the same time left.
    timer = live(member).get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^[67]:\d\d$"))
    member.page.reload()
    expect(live(member).get_by_role("timer")).to_have_text(re.compile(r"^[67]:\d\d$"))

    member.ui.fill(live(member).locator("#live-card-body"), CARD)
    member.loads(member.ui.click, live(member).get_by_role("button", name=member.t("Add the card")))
    expect(member.page.locator(".messages")).to_contain_text(
        member.t("Card saved. It stays hidden until the reveal.")
    )
    assert LiveCard.objects.get().author_id is None
    expect(live(lead)).not_to_contain_text(CARD)

    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Reveal the cards")))
    card = live(member).locator("li.live-card").filter(has_text=CARD)
    expect(card).to_contain_text(member.t("Anonymous"), timeout=FOLLOWS_MS)
    expect(card).not_to_contain_text(demo.employee.first_name)
    no_blocking_axe_violations(member, axe_source)
    no_blocking_axe_violations(lead, axe_source)

    hand_over = live(lead).get_by_label(lead.t("Hand over to"))
    hand_over.select_option(label=str(demo.employee))
    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Hand over")))
    expect(live(member).get_by_role("button", name=member.t("Next phase"))).to_be_visible(
        timeout=FOLLOWS_MS
    )
    expect(live(lead).get_by_role("button", name=lead.t("Next phase"))).to_have_count(0)


def test_votes_groups_discussion_and_close_on_two_devices(open_context, demo, axe_source):  # noqa: F811
    """The facilitator (Finnish) gives one vote each, groups the card, times its discussion and
    posts its next step to the team feed; the member (English) follows, votes for the group and
    answers "was it safe to speak today?" in the close."""
    lead = visit(open_context, demo, "fi", demo.supervisor)
    member = visit(open_context, demo, "en", demo.employee)
    lead.ui.fill(live(lead).get_by_label(lead.t("Votes per person")), "1")
    lead.loads(
        lead.ui.click, live(lead).get_by_role("button", name=lead.t("Start the live session"))
    )
    expect(live(member)).to_contain_text(
        "In the vote phase everyone has 1 vote.", timeout=FOLLOWS_MS
    )
    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Next phase")))
    expect(live(member)).to_contain_text(now_phase(member, "Reflect"), timeout=FOLLOWS_MS)
    member.ui.fill(live(member).locator("#live-card-body"), CARD)
    member.loads(member.ui.click, live(member).get_by_role("button", name=member.t("Add the card")))

    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Next phase")))
    lead.ui.fill(live(lead).get_by_label(lead.t("New group")), "Vuorot")
    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Make the group")))
    group_id = str(demo.started.live.groups.get().pk)
    lead.ui.select(live(lead).get_by_label(lead.t("Move to group")), group_id)
    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Move the card")))
    group = live(member).locator("li.live-group").filter(has_text="Vuorot")
    expect(group).to_contain_text(CARD, timeout=FOLLOWS_MS)

    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Next phase")))
    vote = live(member).get_by_role("button", name=member.t("Vote for this group"))
    expect(vote).to_be_visible(timeout=FOLLOWS_MS)
    member.loads(member.ui.click, vote)
    expect(live(member).get_by_role("status")).to_have_text("You have 0 votes left.")
    expect(live(member).get_by_role("button", name=member.t("Take my vote back"))).to_be_visible()

    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Next phase")))
    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Discuss this now")))
    lead.ui.fill(live(lead).get_by_label(lead.t("Next step")), "Rota a week ahead")
    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Save the next step")))
    lead.loads(
        lead.ui.click, live(lead).get_by_role("button", name=lead.t("Post it to the team feed"))
    )
    expect(group).to_contain_text(member.t("Discussing now"), timeout=FOLLOWS_MS)
    expect(group).to_contain_text("Rota a week ahead", timeout=FOLLOWS_MS)
    expect(group.get_by_role("timer")).to_have_text(re.compile(r"^[45]:\d\d$"))
    expect(group).to_contain_text("1 vote")
    for v in (lead, member):  # every control fits a phone's width
        v.page.set_viewport_size({"width": 390, "height": 844})
        width = v.page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], width

    lead.loads(lead.ui.click, live(lead).get_by_role("button", name=lead.t("Next phase")))
    answer = live(member).get_by_role("radio", name=member.t("Yes"))
    expect(answer).to_be_visible(timeout=FOLLOWS_MS)
    member.ui.check(answer)
    member.loads(
        member.ui.click, live(member).get_by_role("button", name=member.t("Send my answer"))
    )
    expect(live(member)).to_contain_text(member.t("You have answered. Thank you."))
    expect(live(member)).to_contain_text("once 5 people have answered")
    no_blocking_axe_violations(member, axe_source)
    no_blocking_axe_violations(lead, axe_source)
