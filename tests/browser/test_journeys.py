"""The supervisor's, the employee's and HR's journeys in a real browser: in Finnish, English
and Swedish with JavaScript, and once more with JavaScript turned off."""

import pytest

from tests.browser import journeys
from tests.browser.ui import Pointer

pytestmark = pytest.mark.django_db(transaction=True)

VARIANTS = [
    pytest.param("fi", True, id="fi"),
    pytest.param("en", True, id="en"),
    pytest.param("sv-fi", True, id="sv"),
    pytest.param("fi", False, id="fi-no-js"),
]


@pytest.mark.parametrize(("lang", "js"), VARIANTS)
@pytest.mark.parametrize("role", ["supervisor", "employee", "hr"])
def test_journey(open_context, demo, role, lang, js):
    page = open_context(lang=lang, js=js)
    visit = journeys.Visit(page=page, lang=lang, ui=Pointer(page), demo=demo, js=js)
    journeys.run(role, visit)
