"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live
server, on the demo organisation (seed_demo) in a transactional database the server sees.

Chromium must be installed (`.ci/run` installs it): a missing browser fails the tests, it never
skips them. Playwright's own browser download is never used.
"""

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from reflections import services as reflection_services
from reflections.models import Session
from teams.demo import DEMO_PASSWORD
from teams.models import Team, User

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright waits this long (ms) for an element or a navigation before failing the step.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
            "(.ci/run does) or set CHROMIUM_PATH. Browser tests never skip.",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would
    # refuse ORM calls from the test itself; allowed for this module's tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """pytest-django's live server, with the HTTPS redirect off: SecurityMiddleware reads it
    once, when the server thread builds its handler, so per-test settings come too late."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _live_settings(settings):
    # The live server runs with DEBUG off; static files come from the finders through
    # pytest-django's StaticFilesHandler (the plain storage is set in tests/conftest.py).
    settings.DEBUG = False


@dataclass
class Demo:
    supervisor: User
    employee: User
    hr: User
    team: Team  # led by the supervisor; the employee is a member
    started: Session  # began a few minutes ago, not yet marked held
    password: str = DEMO_PASSWORD


@pytest.fixture
def demo(live_server) -> Demo:
    """The demo organisation, plus a session of the supervisor's first team that has just
    started, so it can be marked held."""
    call_command("seed_demo", "--force", stdout=io.StringIO())
    supervisor = User.objects.get(username="demo-supervisor")
    team = Team.objects.filter(memberships__user=supervisor).order_by("pk").first()
    started = reflection_services.session_add(
        team=team,
        title="Kick-off retro",
        starts_at=timezone.now() - timedelta(minutes=10),
        duration_minutes=30,
        time_zone=team.time_zone,
        prompt_keys=[],
    )
    return Demo(
        supervisor=supervisor,
        employee=User.objects.get(username="demo-employee"),
        hr=User.objects.get(username="demo-hr"),
        team=team,
        started=started,
    )


@pytest.fixture
def open_context(browser, live_server) -> Iterator:
    """Opens browser contexts (fresh cookies) on the live server; closes them afterwards."""
    contexts: list[BrowserContext] = []

    def open_(*, lang: str = "en", js: bool = True) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale={"fi": "fi-FI", "sv-fi": "sv-FI", "en": "en-GB"}[lang],
            java_script_enabled=js,
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    """Lists the pages axe scanned (with any violations below serious, which do not fail) and
    the keyboard walks."""
    from tests.browser.test_accessibility import SCANNED
    from tests.browser.test_keyboard import WALKS

    write = terminalreporter.write_line
    if SCANNED:
        terminalreporter.section("axe-core: pages scanned")
        for role, lang, path, violations in SCANNED:
            write(f"{role:<10} {lang}  {path}  {', '.join(violations) or 'no violations'}")
    if WALKS:
        terminalreporter.section("keyboard-only journeys")
        for role, stops, pages in WALKS:
            write(f"{role:<10} {stops} focus stops on {pages} pages")
