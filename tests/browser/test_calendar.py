"""A session with a room and a video link, in a real browser: the supervisor gives the next
session both on its "move" page, then takes the team's calendar link from the calendar page as
a person subscribing would, and the .ics it serves (parsed with icalendar) keeps the room in
LOCATION and the link in CONFERENCE and the description."""

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reflections.models import Session
from tests.browser import journeys
from tests.browser.journeys import at, main
from tests.browser.ui import Pointer

pytestmark = pytest.mark.django_db(transaction=True)

ROOM = "Meeting room Kaisla, 3rd floor"
LINK = "https://meet.example.com/kaisla-weekly"


def test_the_calendar_event_keeps_the_room_and_the_video_link(open_context, demo):
    session = (
        Session.objects.filter(team=demo.team, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    page = open_context(lang="en")
    v = journeys.Visit(page=page, lang="en", ui=Pointer(page), demo=demo)
    journeys.sign_in(v, demo.supervisor)
    journeys.choose_language(v)

    page.goto(f"/sessions/{session.pk}/move/")
    v.ui.fill(main(v).get_by_label(v.t("Place")), ROOM)
    v.ui.fill(main(v).get_by_label(v.t("Video link")), LINK)
    v.loads(v.ui.click, main(v).get_by_role("button", name=v.t("Move")))
    at(v, f"/sessions/{session.pk}/")

    page.goto("/calendar/")
    feed_url = main(v).get_by_label(demo.team.name, exact=True).input_value()
    response = page.request.get(feed_url)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    event = next(
        e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"{session.uid}@learning-lead"
    )
    assert str(event["LOCATION"]) == ROOM
    assert str(event["CONFERENCE"]) == LINK
    assert LINK in str(event["DESCRIPTION"])
    expect(main(v).get_by_role("heading", level=1)).to_have_text(
        v.t("Sessions in your own calendar")
    )
