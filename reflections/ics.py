"""iCalendar feeds of sessions, built with the icalendar package."""

import functools
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDatetime

from reflections.models import Session

STATUS = {
    Session.Status.PLANNED: "CONFIRMED",
    Session.Status.HELD: "CONFIRMED",
    Session.Status.SKIPPED: "CANCELLED",
}


def session_uid(session: Session) -> str:
    return f"{session.uid}@learning-lead"


def calendar_for(sessions: Iterable[Session], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Learning Lead//Reflection sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # One DTSTAMP for all the events, and one reverse(): the pages' URLs differ only in the pk.
    stamp = vDatetime(timezone.now().astimezone(timezone.UTC))
    before, after = reverse("reflections:session", args=[0]).rsplit("0", 1)
    page = settings.SITE_URL + before
    events, tzids = [], set()
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("last-modified", session.updated_at)
        # Local wall-clock time with its zone, so clients keep it right across DST changes.
        event.add("dtstart", session.local_start)
        event.add("dtend", session.ends_at.astimezone(session.zone))
        event.add("summary", f"{session.title} · {session.team.name}")
        event.add("sequence", session.sequence)
        event.add("status", STATUS[session.status])
        # The room goes in LOCATION; the video link in CONFERENCE (RFC 7986) and the
        # description, which every client shows. A link alone still fills LOCATION, where
        # clients that read nothing else show it.
        location = session.location or session.video_url
        if location:
            event.add("location", location)
        if session.video_url:
            event.add(
                "conference",
                session.video_url,
                parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": _("Video link")},
            )
        url = f"{page}{session.pk}{after}"
        event.add("url", url)
        lines = [f"– {prompt.text}" for prompt in session.prompts.all()]
        if session.video_url:
            lines += ["", _("Video link: %(url)s") % {"url": session.video_url}]
        lines += ["", url]
        event.add("description", "\n".join(lines).strip())
        tzids.add(event["DTSTART"].params.get("TZID"))
        events.append(event.to_ical())
    # Calendar.to_ical() is its own lines, then each component's to_ical(): written in parts,
    # so each zone's VTIMEZONE is serialised once per process, not on every request.
    head = calendar.to_ical()[: -len(END)]
    zones = [_vtimezone(tzid) for tzid in sorted(tzids - {None, "UTC"})]
    return b"".join([head, *zones, *events, END])


END = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> bytes:
    """The zone's VTIMEZONE as icalendar writes it (built from the zone's transitions, which
    do not change while the process runs); nothing for a zone icalendar does not know."""
    try:
        return Timezone.from_tzid(tzid).to_ical()
    except ValueError:
        return b""
