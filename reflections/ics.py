"""iCalendar feeds of sessions, built with the icalendar package."""

import functools
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

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
    stamp = timezone.now()
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
        url = settings.SITE_URL + reverse("reflections:session", args=[session.pk])
        event.add("url", url)
        lines = [f"– {prompt.text}" for prompt in session.prompts.all()]
        if session.video_url:
            lines += ["", _("Video link: %(url)s") % {"url": session.video_url}]
        lines += ["", url]
        event.add("description", "\n".join(lines).strip())
        calendar.add_component(event)
    _add_missing_timezones(calendar)
    return calendar.to_ical()


@functools.lru_cache(maxsize=64)
def _timezone(tzid: str) -> Timezone | None:
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None


def _add_missing_timezones(calendar: Calendar) -> None:
    """Calendar.add_missing_timezones(), with each zone's VTIMEZONE built once per process
    (building it from the zone's transitions was a fifth of every feed request). The
    component is only read when the calendar is serialised, so calendars can share it."""
    count = len(calendar.timezones)
    for tzid in calendar.get_missing_tzids():
        zone = _timezone(tzid)
        if zone is not None:
            calendar.subcomponents.insert(count, zone)
            count += 1
