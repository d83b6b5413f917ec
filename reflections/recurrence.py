"""Occurrences of a rhythm, computed with dateutil's rrule on local wall-clock time.

Recurrence is expanded on naive local datetimes and only then placed in the rhythm's time zone,
so a 09:00 session stays at 09:00 local time across daylight-saving changes.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}
MAX_OCCURRENCES = 200
# Bounds a person can mean: every 999th day, week, month or year at most, and at most a
# thousand sessions. Beyond them dateutil loops without end (INTERVAL=0) or fails mid-way.
MAX_INTERVAL = 999
MAX_COUNT = 1000


class RuleError(ValueError):
    """The rule cannot be used; the message says why, for the person who wrote it."""


@dataclass(frozen=True)
class Occurrence:
    local_date: date
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC


def parse_rule(rule: str, dtstart: datetime) -> rrule:
    """Parses an RRULE (without DTSTART) anchored at the naive local dtstart."""
    text = rule.strip().removeprefix("RRULE:")
    if not text:
        raise RuleError("empty")
    if "DTSTART" in text.upper() or "\n" in text:
        raise RuleError("dtstart")
    try:
        parsed = rrulestr(text, dtstart=dtstart, ignoretz=True)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise RuleError("syntax") from exc
    if not isinstance(parsed, rrule):
        raise RuleError("syntax")
    if parsed._freq not in ALLOWED_FREQUENCIES:
        raise RuleError("too-often")
    if not 1 <= parsed._interval <= MAX_INTERVAL:
        raise RuleError("interval")
    if parsed._count is not None and not 1 <= parsed._count <= MAX_COUNT:
        raise RuleError("count")
    return parsed


def local_to_utc(naive: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """Places a naive local time in the zone. A time skipped by the spring-forward change lands
    an hour later (03:30 becomes 04:30), as calendar programs do; in the repeated autumn hour
    the first of the two instants is taken."""
    return naive.replace(tzinfo=zone).astimezone(UTC)


def occurrences(
    *,
    rule: str,
    start_date: date,
    start_time: time,
    time_zone: str,
    duration_minutes: int,
    after: datetime,
    before: datetime,
    limit: int = MAX_OCCURRENCES,
) -> list[Occurrence]:
    """Occurrences that start within [after, before) (aware datetimes)."""
    zone = zoneinfo.ZoneInfo(time_zone)
    dtstart = datetime.combine(start_date, start_time)
    parsed = parse_rule(rule, dtstart)
    # Widen the naive window by a day on each side; the exact cut is made in UTC below.
    window_start = max(after.astimezone(zone).replace(tzinfo=None) - timedelta(days=1), dtstart)
    window_end = before.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    result = []
    try:
        for naive in parsed.xafter(window_start, inc=True):
            if naive >= window_end or len(result) >= limit:
                break
            starts_at = local_to_utc(naive, zone)
            if after <= starts_at < before:
                ends_at = starts_at + timedelta(minutes=duration_minutes)
                result.append(Occurrence(naive.date(), starts_at, ends_at))
    except (ValueError, OverflowError) as exc:
        # Some rules parse but fail while dates are computed (dates beyond year 9999).
        raise RuleError("syntax") from exc
    return result
