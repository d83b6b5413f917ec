"""axe-core in every main page under every role, in Finnish, Swedish and English: no serious or
critical violations; no page scrolls sideways at 390 px (a phone) or 1280 px wide; no English
words left on Finnish and Swedish pages.

axe-core comes from the npm registry (`make axe`, run by `.ci/run`) into .ci/node, which is not
committed and never served: the tests read it from disk and evaluate it in the page.
Pages are found by following the links each person sees, from the home page, one page per URL
pattern; a list of must-have pages guards against the crawl quietly missing one.
"""

import os
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils.text import Truncator

from reflections import services as reflection_services
from reflections.models import Session, Thought
from teams import services
from teams.models import Invitation
from tests.browser import journeys
from tests.browser.ui import Pointer

pytestmark = pytest.mark.django_db(transaction=True)

AXE_PATH = Path(
    os.environ.get("AXE_PATH", settings.BASE_DIR / ".ci/node/node_modules/axe-core/axe.min.js")
)
BLOCKING = {"serious", "critical"}
# Not pages: calendar feeds, the CSV download, one-click unsubscribe (the Django admin, too).
NOT_PAGES = ("reflections:feed", "reports:csv", "notifications:unsubscribe")

MUST_SCAN = {
    "anonymous": {
        "login",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "teams:invitation_accept",
        "teams:signup",
        "about",
        "privacy:page",
    },
    "supervisor": {
        "home",
        "teams:list",
        "teams:detail",
        "reflections:team_direction",
        "teams:team_goal_create",
        "teams:team_goal_edit",
        "teams:member_add",
        "teams:invitations",
        "teams:invitation_many",
        "reflections:my_learning",
        "teams:personal_goal",
        "teams:personal_goal_create",
        "teams:preferences",
        "reflections:team_sessions",
        "reflections:session",
        "reflections:session_add",
        "reflections:session_move",
        "reflections:rhythm_create",
        "reflections:rhythm_edit",
        "reflections:prompt_templates",
        "reflections:calendar",
        "reflections:team_feed",
        "reflections:team_questions",
        "reflections:question_forward",
        "reflections:anonymity",
        "notifications:inbox",
        "notifications:preferences",
        "reflections:health",
        "privacy:my_data",
        "privacy:page",
        "chat:destinations",
    },
    "employee": {
        "home",
        "teams:list",
        "teams:detail",
        "reflections:team_direction",
        "reflections:my_learning",
        "teams:personal_goal",
        "teams:personal_goal_create",
        "teams:personal_goal_edit",
        "teams:preferences",
        "reflections:team_sessions",
        "reflections:session",
        "reflections:calendar",
        "reflections:team_feed",
        "reflections:team_questions",
        "reflections:anonymity",
        "notifications:inbox",
        "notifications:preferences",
        "privacy:my_data",
        "privacy:page",
    },
    "hr": {
        "home",
        "teams:list",
        "teams:detail",
        "teams:create",
        "teams:themes",
        "teams:theme_create",
        "teams:theme_edit",
        "teams:people",
        "teams:person_edit",
        "teams:invitations",
        "reflections:my_learning",
        "teams:preferences",
        "reports:report",
        "reflections:forwarded_queue",
        "notifications:inbox",
        "notifications:preferences",
        "privacy:my_data",
        "privacy:page",
        "privacy:audit",
        "privacy:settings",
    },
}

WIDTHS = (390, 1280)  # a phone and a laptop
# Words of the interface's English that are no Finnish or Swedish word: one of them on a Finnish
# or Swedish page is a string left untranslated (people's own content is taken out first).
ENGLISH = set(
    re.split(
        r"\s+",
        """the and your you with this that these those not for from yet are was were has have
    what when where which who why how will would should can't don't isn't select option
    choose save cancel delete edit remove add send sign show hide back next previous more
    question questions thought thoughts session sessions goal goals answer answers reply
    week weeks day days month months minute minutes hour hours people members
    monday tuesday wednesday thursday friday saturday sunday january february march
    june july august october none unknown error required
    page pages please enter valid""",
    )
)
ENGLISH_OK = {
    "Learning Lead",
    "JSON",
    "CSV",
    "RRULE",
    "Outlook",
    "Google",
    # The name of Microsoft's workflow template, which Teams shows in English.
    "Post to a channel when a webhook request is received",
}

# Filled as pages are scanned; conftest prints it at the end of the run.
SCANNED: list[tuple[str, str, str, list[str]]] = []


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_PATH.is_file():
        pytest.fail(
            f"axe-core not found at {AXE_PATH}: run `make axe` (npm install into .ci/node, as "
            ".ci/run does) or set AXE_PATH.",
            pytrace=False,
        )
    return AXE_PATH.read_text("utf-8")


def route_of(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def axe(page, source: str) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)  # DevTools evaluation: the page's CSP still applies to the app
    return page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"]}).then(result =>
            result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            })))"""
    )


def people_wrote() -> list[str]:
    """Everything people (and the demo seed) wrote: team names, goals, thoughts, titles... It
    is in their language, not the interface's, so the English check leaves it out."""
    texts = set()
    for app in ("teams", "reflections"):
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
            for row in model.objects.values_list(*fields):
                own = [t for t in row if isinstance(t, str) and len(t) > 2]
                texts.update(own)
                # Buttons name their question for screen readers by its first 60 characters.
                texts.update(Truncator(t).chars(60) for t in own)
    return sorted(texts, key=len, reverse=True)


def english_words(page, written: list[str]) -> set[str]:
    text = page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll("code, script, style, .skip-link").forEach(el => el.remove());
            return copy.innerText + " " + [...document.querySelectorAll("[aria-label]")]
                .map(el => el.getAttribute("aria-label")).join(" ");
        }"""
    )
    for own in [*written, *ENGLISH_OK]:
        text = text.replace(own, " ")
    return {w for w in re.findall(r"[A-Za-z']+", text) if w.lower() in ENGLISH}


def layout(page, lang: str, blocking: dict, path: str) -> None:
    """No sideways scrolling at a phone's and a laptop's width; no English on fi/sv pages."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 800 else 800})
        wide = page.evaluate(
            """() => {
                // The innermost elements that stick out, to name in the failure.
                const over = el => !el.closest("details:not([open]) > :not(summary)")
                    && el.getBoundingClientRect().right > innerWidth + 1;
                const out = [...document.querySelectorAll("body *")]
                    .filter(el => over(el) && ![...el.children].some(over))
                    .slice(0, 3)
                    .map(el => `${el.tagName}.${el.className}: ${el.textContent.slice(0, 40)}`);
                return [document.documentElement.scrollWidth, innerWidth, out];
            }"""
        )
        if wide[0] > wide[1]:
            blocking.setdefault(path, []).append(
                {
                    "id": f"scrolls sideways at {width} px",
                    "impact": "serious",
                    "help": f"scrollWidth {wide[0]} > {wide[1]}",
                    "nodes": wide[2],
                }
            )
    if lang != "en" and (words := english_words(page, WRITTEN)):
        blocking.setdefault(path, []).append(
            {"id": "english", "impact": "serious", "help": "English words", "nodes": sorted(words)}
        )
    page.set_viewport_size({"width": WIDTHS[0], "height": 844})


WRITTEN: list[str] = []  # people_wrote(), refreshed by each test


def scan(page, source: str, role: str, lang: str, blocking: dict) -> None:
    """Runs axe on the page as it is, at a phone's width; notes every violation and keeps the
    blocking ones; then checks the layout and the language (layout())."""
    path = urlsplit(page.url).path
    layout(page, lang, blocking, path)
    violations = axe(page, source)
    SCANNED.append((role, lang, path, [f"{v['id']} ({v['impact']})" for v in violations]))
    bad = [v for v in violations if v["impact"] in BLOCKING]
    if bad:
        blocking.setdefault(path, []).extend(bad)


def crawl_and_scan(page, source: str, role: str, lang: str, start: list[str], blocking: dict):
    """Visits and scans one page per URL pattern reachable by links from `start`."""
    queue, seen = deque(start), set()
    while queue:
        href = queue.popleft()
        route = route_of(href)
        if route is None or route in seen or route.endswith(NOT_PAGES) or "admin" in route:
            continue
        response = page.goto(href)
        assert response.ok, f"{href} answered {response.status} to {role}"
        origin, final = urlsplit(page.url).netloc, route_of(page.url)
        redirected_to_seen = final in seen
        seen.update({route, final})
        if redirected_to_seen:
            continue
        scan(page, source, role, lang, blocking)
        links = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)")
        for link in links:
            parts = urlsplit(link)
            if parts.netloc == origin and route_of(link) not in seen:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    missing = MUST_SCAN[role] - seen
    assert not missing, f"the crawl as {role} never reached {sorted(missing)}"


def submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").first.click()


def follow(page, href: str) -> None:
    """Follows the page's link to `href`, so the page is reached as a person would."""
    with page.expect_navigation():
        page.locator(f'main a[href="{href}"]').first.click()


def more_states(page, demo, role: str) -> Iterator[None]:
    """Pages in states the crawl does not meet (one per URL pattern): form errors, a session
    page that can be marked held, a held one and a skipped one, the safety pulse (answering
    and results) and editing one's own thought."""
    if role == "anonymous":
        page.goto("/accounts/login/")
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "not-the-password")
        submit(page, "main form")
        yield
    elif role == "employee":
        page.goto("/learning/goals/new/")
        submit(page, "main form")
        yield
        # The safety pulse of a held session not yet answered, reached from the session page.
        held = Session.objects.filter(team=demo.team, status=Session.Status.HELD)
        session = held.exclude(pulse_answered__user=demo.employee).last()
        page.goto(f"/sessions/{session.pk}/")
        follow(page, f"/sessions/{session.pk}/pulse/")
        yield
        # Editing one's own thought.
        thought = reflection_services.thought_post(
            author=demo.employee, team=demo.team, kind=Thought.Kind.THINKING, body="Half a thought"
        )
        page.goto(f"/teams/{demo.team.pk}/thoughts/")
        follow(page, f"/thoughts/{thought.pk}/edit/")
        yield
    elif role == "supervisor":
        sessions = Session.objects.filter(team=demo.team)
        held = sessions.filter(status=Session.Status.HELD).last()
        for session in (
            demo.started,
            held,
            sessions.filter(status=Session.Status.SKIPPED).last(),
        ):
            page.goto(f"/sessions/{session.pk}/")
            yield
        # The safety pulse's results, reached from the held session's page.
        page.goto(f"/sessions/{held.pk}/")
        follow(page, f"/sessions/{held.pk}/pulse/results/")
        yield
        page.goto(f"/teams/{demo.team.pk}/rhythms/new/")
        page.fill("#id_title", "")
        page.select_option("#id_frequency", "custom")
        submit(page, "main form")
        yield
        # Forwarding questions to HR with nothing chosen: the errors.
        page.goto(f"/teams/{demo.team.pk}/questions/")
        follow(page, f"/teams/{demo.team.pk}/questions/forward/")
        submit(page, "main form")
        yield
        # Connecting a chat channel with nothing filled in: the form's errors.
        with override_settings(CHAT_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
            page.goto(f"/teams/{demo.team.pk}/chat/")
            submit(page, "main form")
            yield


@pytest.mark.parametrize("lang", ["fi", "sv-fi", "en"])
@pytest.mark.parametrize("role", ["anonymous", "supervisor", "employee", "hr"])
def test_no_serious_or_critical_axe_violations(open_context, demo, axe_source, role, lang):
    page = open_context(lang=lang)
    WRITTEN[:] = people_wrote()
    if role == "anonymous":
        invitation = Invitation.objects.create(
            organization=demo.team.organization,
            team=demo.team,
            email="new.colleague@demo.example",
            invited_by=demo.supervisor,
            language=lang,  # the invitation page speaks the invitation's language
        )
        start = [
            "/accounts/login/",
            "/accounts/password_reset/done/",
            "/accounts/reset/MQ/not-a-valid-token/",
            reverse("teams:invitation_accept", args=[services.invitation_token(invitation)]),
        ]
    else:
        user = {"supervisor": demo.supervisor, "employee": demo.employee, "hr": demo.hr}[role]
        visit = journeys.Visit(page=page, lang=lang, ui=Pointer(page), demo=demo)
        journeys.sign_in(visit, user)
        journeys.choose_language(visit)
        start = ["/"]
    blocking = {}
    crawl_and_scan(page, axe_source, role, lang, start, blocking)
    for _ in more_states(page, demo, role):
        WRITTEN[:] = people_wrote()  # the states may have added some
        scan(page, axe_source, role, lang, blocking)
    assert not blocking, "\n".join(
        f"{path}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for path, violations in blocking.items()
        for v in violations
    )


def test_axe_reports_what_it_should_in_these_pages(open_context, live_server, axe_source):
    """Guards the guard: injected into a real page, axe finds a planted image without a text
    alternative and text too faint to read."""
    page = open_context()
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<img src="/static/favicon.svg">');
            const faint = document.createElement("p");
            faint.textContent = "Faint";
            faint.style.color = "#ccc";  // through the CSSOM: the CSP refuses style attributes
            main.append(faint);
        }"""
    )
    found = {v["id"]: v["impact"] for v in axe(page, axe_source)}
    assert found.get("image-alt") == "critical"
    assert found.get("color-contrast") == "serious"
