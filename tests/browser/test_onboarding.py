"""A new organisation starts on its own, in a real browser, in Finnish and in English: sign-up,
the e-mail link, the set-up checklist (20 people invited by paste, two teams, a theme, the
privacy settings and page), then an invited supervisor plans a rhythm from a template. No
shell, no Django admin. The time from the sign-up page to a planned first session is printed."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from reflections.models import Rhythm
from teams.models import Invitation, User
from tests.browser.journeys import eventually
from tests.browser.ui import t

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-onboarding-password-42"
TIMINGS: list[tuple[str, float]] = []


def _link(address: str, pattern: str) -> str:
    for message in reversed(mail.outbox):
        if address in message.to:
            return re.search(rf"https?://[^/\s]+({pattern}\S+/)", message.body).group(1)
    raise AssertionError(f"no e-mail to {address}")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_new_organisation_gets_to_its_first_session_without_the_shell(
    open_context, live_server, lang
):
    def tr(message: str, **values) -> str:
        return t(lang, message, **values)

    page = open_context(lang=lang)
    main = page.locator("main")
    started = time.monotonic()

    # Sign up.
    page.goto("/signup/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.fill("#id_organization_name", f"Pioneer {lang}")
    page.select_option("#id_language", lang)
    page.fill("#id_first_name", "Paula")
    page.fill("#id_last_name", "Pioneer")
    page.fill("#id_email", f"paula-{lang}@pioneer.example")
    page.fill("#id_username", f"paula-{lang}")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    main.get_by_role("button", name=tr("Create the organisation")).click()
    expect(main.get_by_role("heading", name=tr("Check your e-mail"))).to_be_visible()

    # The e-mail's link, then one button: signed in as the admin, the checklist waits.
    eventually(page, lambda: _link(f"paula-{lang}@pioneer.example", "/signup/verify/"))
    page.goto(_link(f"paula-{lang}@pioneer.example", "/signup/verify/"))
    main.get_by_role("button", name=tr("Verify and sign in")).click()
    checklist = main.locator(".setup-checklist")
    expect(checklist).to_be_visible()

    # Two teams.
    checklist.get_by_role("link", name=tr("Create your teams")).click()
    for name in ("Alpha", "Beta"):
        if name == "Beta":
            page.goto("/teams/new/")
        page.fill("#id_name", name)
        main.get_by_role("button", name=tr("Save")).click()
        expect(main.get_by_role("heading", name=name)).to_be_visible()

    # Twenty people by paste: a supervisor for Alpha, HR, and eighteen members.
    page.goto("/")
    checklist.get_by_role("link", name=tr("Invite the supervisors")).click()
    many = tr("Invite many people at once (paste addresses or a CSV file)")
    main.get_by_role("link", name=many).click()
    lines = [f"sue-{lang}@pioneer.example, Sue Supervisor, Alpha, supervisor"]
    lines.append(f"hanna-{lang}@pioneer.example, Hanna HR, , hr")
    lines += [
        f"member{n}-{lang}@pioneer.example, , {'Alpha' if n % 2 else 'Beta'}" for n in range(18)
    ]
    page.fill("#id_lines", "\n".join(lines))
    main.get_by_role("button", name=tr("Check the lines")).click()
    send = main.locator('button[name="send"]')
    expect(send).to_contain_text("20")
    send.click()
    expect(page.locator(".messages")).to_contain_text("20")
    assert Invitation.objects.filter(organization__name=f"Pioneer {lang}").count() == 20

    # A theme.
    page.goto("/")
    checklist.get_by_role("link", name=tr("Add strategy themes")).click()
    main.get_by_role("link", name=tr("Add a theme")).click()
    page.fill("#id_title", "Quality" if lang == "en" else "Laatu")
    main.get_by_role("button", name=tr("Save")).click()

    # Retention and the minimum group size, then the privacy page.
    page.goto("/")
    checklist.get_by_role("link", name=tr("Set retention and the minimum group size")).click()
    page.fill("#id_min_group_size", "6")
    main.get_by_role("button", name=tr("Save")).click()
    page.goto("/")
    checklist.get_by_role("link", name=tr("Read the privacy page")).click()
    page.goto("/")
    expect(main.locator(".setup-checklist")).to_have_count(0)

    # The supervisor accepts the invitation in their own browser and plans from a template.
    other = open_context(lang=lang)
    other_main = other.locator("main")
    other.goto(_link(f"sue-{lang}@pioneer.example", "/invite/"))
    expect(other.locator("#id_first_name")).to_have_value("Sue")
    other.fill("#id_username", f"sue-{lang}")
    other.fill("#id_password1", PASSWORD)
    other.fill("#id_password2", PASSWORD)
    other_main.get_by_role("button", name=tr("Create my account")).click()
    other_main.get_by_role("link", name=tr("Sessions of %(team)s", team="Alpha")).click()
    other_main.get_by_role("link", name=tr("Weekly reflection")).click()  # the first click
    other_main.get_by_role("button", name=tr("Plan the sessions")).click()  # the second
    expect(other.locator(".messages")).to_contain_text(
        tr("Rhythm planned. The sessions are in the calendar.")
    )
    elapsed = time.monotonic() - started
    TIMINGS.append((lang, elapsed))
    print(f"\nonboarding {lang}: sign-up page to a planned first session in {elapsed:.1f} s")

    supervisor = User.objects.get(username=f"sue-{lang}")
    rhythm = Rhythm.objects.get(team__memberships__user=supervisor)
    assert (rhythm.frequency, rhythm.duration_minutes) == ("weekly", 30)
    assert rhythm.sessions.exists()
