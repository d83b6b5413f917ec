"""Each journey with the keyboard only: Tab and Shift+Tab to move, Enter and Space to act,
arrows in selects and radio groups, typing in fields. At every stop focus must be visible and
move in document order; on every page the first Tab reaches the skip link."""

import pytest

from tests.browser import journeys
from tests.browser.ui import Keyboard

pytestmark = pytest.mark.django_db(transaction=True)

# Filled by the tests; conftest prints it at the end of the run.
WALKS: list[tuple[str, int, int]] = []


@pytest.mark.parametrize("role", ["supervisor", "employee", "hr"])
def test_journey_with_the_keyboard_only(open_context, demo, role):
    page = open_context(lang="en")
    keyboard = Keyboard(page)
    visit = journeys.Visit(page=page, lang="en", ui=keyboard, demo=demo)
    journeys.run(role, visit)
    pages = len({url for url, _tag, _label in keyboard.stops})
    WALKS.append((role, len(keyboard.stops), pages))
