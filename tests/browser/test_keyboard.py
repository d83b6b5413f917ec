"""Each journey with the keyboard only: Tab and Shift+Tab to move, Enter and Space to act,
arrows in selects and radio groups, typing in fields. At every stop focus must be visible and
move in document order; on every page the first Tab reaches the skip link."""

import re

import pytest

from tests.browser import journeys
from tests.browser.ui import Keyboard

pytestmark = pytest.mark.django_db(transaction=True)

# Where each walk must have acted by keyboard, beyond signing in and the language switch: the
# team's questions (answering; asking anonymously and upvoting) and feed (posting, replying).
MUST_ACT_ON = {
    "supervisor": [r"/teams/\d+/questions/"],
    "employee": [r"/teams/\d+/thoughts/", r"/teams/\d+/questions/"],
    "hr": [r"/reports/"],
}

# Filled by the tests; conftest prints it at the end of the run.
WALKS: list[tuple[str, int, int]] = []


@pytest.mark.parametrize("role", ["supervisor", "employee", "hr"])
def test_journey_with_the_keyboard_only(open_context, demo, role):
    page = open_context(lang="en")
    keyboard = Keyboard(page)
    visit = journeys.Visit(page=page, lang="en", ui=keyboard, demo=demo)
    journeys.run(role, visit)
    pages = {url for url, _tag, _label in keyboard.stops}
    for path in MUST_ACT_ON[role]:
        assert any(re.search(path, url) for url in pages), f"the walk never reached {path}"
    WALKS.append((role, len(keyboard.stops), len(pages)))
