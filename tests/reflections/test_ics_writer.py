"""The hand-written feed writer against icalendar, the library it replaces: the same bytes as
icalendar writes for fuzzed events, parsed back by icalendar to the same values, and lines
folded at 75 octets without splitting a character."""

import functools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from reflections import ics_writer
from reflections.ics_writer import FeedEvent

ZONES = ["Europe/Helsinki", "Europe/Stockholm", "America/New_York", "Asia/Kolkata", "UTC"]
# What people type, and what the escaping and folding must get right: separators, escapes,
# line breaks, two- to four-byte characters.
TRICKY = [*",;:\\^\"'\n\r\t –·äöåÅ€😀", "\\N", "\\n", "\r\n", "\\,"]
text = st.lists(st.characters(codec="utf-8") | st.sampled_from(TRICKY), max_size=300).map("".join)
plain = st.text(
    alphabet=st.characters(
        codec="utf-8", blacklist_categories=["Cc", "Cs"], blacklist_characters="\\"
    )
    | st.sampled_from(",;:–·äöå€😀 \n"),
    max_size=300,
)
url = st.builds(
    "https://meet.example.com/{}".format,
    st.text(
        alphabet=st.characters(codec="ascii", whitelist_categories=["L", "N"])
        | st.sampled_from("-_,;/?=&%"),
        max_size=120,
    ),
)
# A team's name, one line (the calendar's name is written by icalendar either way).
one_line = text.map(lambda value: value.replace("\r", "").replace("\n", "")).filter(bool)
moment = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1))


@st.composite
def events(draw, text=text):
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    start = draw(moment).replace(tzinfo=UTC).astimezone(zone)
    video_url = draw(st.one_of(st.just(""), url))
    return FeedEvent(
        uid=draw(st.uuids()).hex + "@learning-lead",
        updated_at=draw(moment).replace(tzinfo=UTC),
        start=start,
        end=start + timedelta(minutes=draw(st.integers(1, 600))),
        summary=draw(text.filter(bool)),
        sequence=draw(st.integers(0, 10_000)),
        status=draw(st.sampled_from(["CONFIRMED", "CANCELLED"])),
        location=draw(st.one_of(st.just(video_url), text)),
        video_url=video_url,
        url=draw(url),
        description=draw(text.filter(bool)),
    )


def reference(feed: list[FeedEvent], *, name, stamp, video_label) -> bytes:
    """The feed as icalendar writes it (reflections/ics.py before the writer)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Learning Lead//Reflection sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in feed:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", item.updated_at)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.summary)
        event.add("sequence", item.sequence)
        event.add("status", item.status)
        if item.location:
            event.add("location", item.location)
        if item.video_url:
            event.add(
                "conference",
                item.video_url,
                parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": video_label},
            )
        event.add("url", item.url)
        event.add("description", item.description)
        calendar.add_component(event)
    for count, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        calendar.subcomponents.insert(count, _timezone(tzid))
    return calendar.to_ical()


@functools.cache
def _timezone(tzid: str) -> icalendar.Timezone:
    return icalendar.Timezone.from_tzid(tzid)


@settings(max_examples=300, deadline=None)
@given(
    feed=st.lists(events(), max_size=4),
    name=one_line,
    label=st.sampled_from(["Video link", "Videolinkki", "Videolänk"]) | text.filter(bool),
    stamp=moment,
)
def test_writer_writes_the_bytes_icalendar_writes(feed, name, label, stamp):
    stamp = stamp.replace(tzinfo=UTC)
    written = ics_writer.calendar(feed, name=name, stamp=stamp, video_label=label)
    assert written == reference(feed, name=name, stamp=stamp, video_label=label)


@settings(max_examples=200, deadline=None)
@given(feed=st.lists(events(text=plain), min_size=1, max_size=3))
def test_icalendar_reads_back_the_events_written(feed):
    stamp = datetime(2026, 12, 6, 12, tzinfo=UTC)
    written = ics_writer.calendar(
        feed, name="Team · Learning Lead", stamp=stamp, video_label="Video"
    )
    read = icalendar.Calendar.from_ical(written)
    assert str(read["X-WR-CALNAME"]) == "Team · Learning Lead"
    found = {str(event["UID"]): event for event in read.walk("VEVENT")}
    assert set(found) == {item.uid for item in feed}
    for item in feed:
        event = found[item.uid]
        assert str(event["SUMMARY"]) == item.summary
        assert str(event["DESCRIPTION"]) == item.description
        assert str(event.get("LOCATION", "")) == item.location
        assert str(event.get("CONFERENCE", "")) == item.video_url
        assert str(event["URL"]) == item.url
        # Seconds are the finest unit iCalendar has.
        assert event.decoded("DTSTART") == item.start.replace(microsecond=0)
        assert event.decoded("DTEND") == item.end.replace(microsecond=0)
        assert event.decoded("DTSTAMP") == stamp
        assert event.decoded("LAST-MODIFIED") == item.updated_at.replace(microsecond=0)
        assert event["SEQUENCE"] == item.sequence and str(event["STATUS"]) == item.status
        zone = item.start.tzinfo.key
        assert zone == "UTC" or event["DTSTART"].params["TZID"] == zone
    zones = {str(tz["TZID"]) for tz in read.walk("VTIMEZONE")}
    assert zones == {item.start.tzinfo.key for item in feed} - {"UTC"}


# Dense in what folding must watch for: escapes and multi-byte characters at every offset.
edges = st.text(alphabet=st.sampled_from("a\\^,äö€😀"), min_size=60, max_size=400)


@settings(max_examples=300)
@given(line=st.one_of(text.map(ics_writer.escape_text), edges))
def test_folded_lines_have_at_most_75_octets_and_whole_characters(line):
    folded = ics_writer.fold(line)
    assert folded == Contentline(line).to_ical()
    physical = folded.split(b"\r\n")
    assert all(len(part) <= 75 for part in physical)
    assert all(part.startswith(b" ") for part in physical[1:])
    for part in physical:
        part.decode()  # no UTF-8 sequence split across a fold
    assert b"".join(part.removeprefix(b" ") if i else part for i, part in enumerate(physical)) == (
        line.encode()
    )


@given(value=text)
def test_text_is_escaped_as_icalendar_escapes_it(value):
    assert ics_writer.escape_text(value).encode() == icalendar.vText(value).to_ical()
