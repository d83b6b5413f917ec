"""The calendar feed's events written out as iCalendar text, line by line.

Serialising the events through icalendar's property objects was most of every feed request
(an object per property and parameter, and folding each line a character at a time), so the
VEVENTs are written here by hand; the calendar's own lines, the VTIMEZONEs, the TZID and
CONFERENCE parameters still come from icalendar. tests/reflections/test_ics_writer.py fuzzes
this against icalendar: the same bytes as icalendar writes for the same events, and parsed
back by icalendar to the same values.
"""

import functools
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

from icalendar import Calendar, Parameters, Timezone, vDatetime

# Lines of at most 75 octets, as icalendar folds them: 74 before the break, then a space and
# 74 more (RFC 5545 3.1).
LINE_OCTETS = 74
FOLD = b"\r\n "
CRLF = "\r\n"


class FeedEvent(NamedTuple):
    """What one VEVENT of the feed says, as plain values."""

    uid: str
    updated_at: datetime
    start: datetime  # aware, in the zone the event keeps (its TZID)
    end: datetime
    summary: str
    sequence: int
    status: str
    location: str
    video_url: str
    url: str
    description: str


def calendar(events: Iterable[FeedEvent], *, name: str, stamp: datetime, video_label: str) -> bytes:
    """The VCALENDAR of the events, with a VTIMEZONE for each zone they are in."""
    header = Calendar()
    header.add("prodid", "-//Learning Lead//Reflection sessions//EN")
    header.add("version", "2.0")
    header.add("calscale", "GREGORIAN")
    header.add("method", "PUBLISH")
    header.add("x-wr-calname", name)
    stamp_line = f"DTSTAMP:{_utc(stamp)}"
    conference = f"CONFERENCE;{_parameters(FEATURE='VIDEO', LABEL=video_label, VALUE='URI')}:"
    written, tzids = [], set()
    for event in events:
        zone = _zone(event.start.tzinfo)
        tzids.add(zone.tzid)
        written.append(_event(event, zone, stamp_line, conference))
    head = header.to_ical()[: -len(END)]
    zones = [_vtimezone(tzid) for tzid in sorted(tzids - {None})]
    return b"".join([head, *zones, *written, END])


END = b"END:VCALENDAR\r\n"


def _event(event: FeedEvent, zone: "_Zone", stamp_line: str, conference: str) -> bytes:
    # icalendar's order: its canonical VEVENT properties first, then the rest by name.
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DTSTART{zone.parameters}:{zone.format(event.start)}",
        f"DTEND{zone.parameters}:{zone.format(event.end)}",
        stamp_line,
        f"UID:{escape_text(event.uid)}",
        f"SEQUENCE:{event.sequence}",
    ]
    if event.video_url:
        lines.append(conference + event.video_url)
    lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines.append(f"LAST-MODIFIED:{_utc(event.updated_at)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    lines += [f"STATUS:{escape_text(event.status)}", f"URL:{event.url}", "END:VEVENT", ""]
    return b"\r\n".join(map(fold, lines))


def escape_text(value: str) -> str:
    """A TEXT value escaped as icalendar's vText escapes it (RFC 5545 3.3.11)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> bytes:
    """The line in UTF-8, folded as icalendar folds it: after at most 74 octets, never inside
    a character, and not right after a backslash or caret (so an escape stays whole)."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return data
    parts, start, size = [], 0, len(data)
    while start + LINE_OCTETS < size:
        end = start + LINE_OCTETS
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to its start
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return FOLD.join(parts)


def _utc(moment: datetime) -> str:
    return _datetime(moment.astimezone(UTC)) + "Z"


def _datetime(moment: datetime) -> str:
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )


def _parameters(**values: str) -> str:
    return Parameters(values).to_ical().decode()


class _Zone(NamedTuple):
    tzid: str | None  # None for UTC, which needs no VTIMEZONE
    parameters: str  # ";TZID=…", or nothing for UTC

    def format(self, moment: datetime) -> str:
        return _datetime(moment) + ("" if self.tzid else "Z")


@functools.lru_cache(maxsize=64)
def _zone(zone: tzinfo) -> _Zone:
    """How icalendar names the zone: its TZID parameter, or UTC's Z."""
    parameters = vDatetime(datetime(2000, 1, 1, tzinfo=zone)).params
    tzid = parameters.get("TZID")
    if tzid is None or tzid == "UTC":
        return _Zone(None, "")
    return _Zone(tzid, f";{parameters.to_ical().decode()}")


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> bytes:
    """The zone's VTIMEZONE as icalendar writes it, built once per process (from the zone's
    transitions, which do not change while it runs); nothing for a zone it does not know."""
    try:
        return Timezone.from_tzid(tzid).to_ical()
    except ValueError:
        return b""
