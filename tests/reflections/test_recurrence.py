"""Occurrences from presets and RRULEs, across daylight-saving changes and time zones."""

from datetime import UTC, date, datetime, time

import pytest

from reflections.models import Rhythm
from reflections.recurrence import RuleError, occurrences


def local_times(rhythm: Rhythm, after: datetime, before: datetime) -> list[str]:
    found = occurrences(
        rule=rhythm.rule(),
        start_date=rhythm.start_date,
        start_time=rhythm.start_time,
        time_zone=rhythm.time_zone,
        duration_minutes=rhythm.duration_minutes,
        after=after,
        before=before,
    )
    return [o.starts_at.astimezone(rhythm.zone).strftime("%Y-%m-%d %H:%M %a") for o in found]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_weekly_session_keeps_local_time_across_spring_dst_in_helsinki():
    # Clocks go forward on the last Sunday of March (29 March 2026).
    rhythm = Rhythm(
        frequency="weekly",
        weekday=0,
        start_date=date(2026, 3, 1),
        start_time=time(9, 0),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
    )
    found = occurrences(
        rule=rhythm.rule(),
        start_date=rhythm.start_date,
        start_time=rhythm.start_time,
        time_zone=rhythm.time_zone,
        duration_minutes=30,
        after=utc(2026, 3, 20),
        before=utc(2026, 4, 8),
    )
    assert [o.starts_at for o in found] == [
        utc(2026, 3, 23, 7),
        utc(2026, 3, 30, 6),
        utc(2026, 4, 6, 6),
    ]
    assert local_times(rhythm, utc(2026, 3, 20), utc(2026, 4, 8)) == [
        "2026-03-23 09:00 Mon",
        "2026-03-30 09:00 Mon",
        "2026-04-06 09:00 Mon",
    ]


def test_weekly_session_keeps_local_time_across_autumn_dst_in_helsinki():
    # Clocks go back on the last Sunday of October (25 October 2026).
    rhythm = Rhythm(
        frequency="weekly",
        weekday=6,
        start_date=date(2026, 10, 1),
        start_time=time(14, 15),
        time_zone="Europe/Helsinki",
        duration_minutes=45,
    )
    found = occurrences(
        rule=rhythm.rule(),
        start_date=rhythm.start_date,
        start_time=rhythm.start_time,
        time_zone=rhythm.time_zone,
        duration_minutes=45,
        after=utc(2026, 10, 17),
        before=utc(2026, 11, 2),
    )
    assert [o.starts_at for o in found] == [
        utc(2026, 10, 18, 11, 15),
        utc(2026, 10, 25, 12, 15),
        utc(2026, 11, 1, 12, 15),
    ]
    assert all((o.ends_at - o.starts_at).total_seconds() == 45 * 60 for o in found)


def test_team_in_new_york_follows_its_own_dst_dates():
    # The US moves clocks on 8 March 2026, three weeks before Europe.
    rhythm = Rhythm(
        frequency="weekly",
        weekday=2,
        start_date=date(2026, 2, 1),
        start_time=time(9, 0),
        time_zone="America/New_York",
        duration_minutes=30,
    )
    assert local_times(rhythm, utc(2026, 3, 1), utc(2026, 3, 14)) == [
        "2026-03-04 09:00 Wed",
        "2026-03-11 09:00 Wed",
    ]
    found = occurrences(
        rule=rhythm.rule(),
        start_date=rhythm.start_date,
        start_time=rhythm.start_time,
        time_zone=rhythm.time_zone,
        duration_minutes=30,
        after=utc(2026, 3, 1),
        before=utc(2026, 3, 14),
    )
    assert [o.starts_at.hour for o in found] == [14, 13]


def test_every_two_weeks_skips_alternate_weeks():
    rhythm = Rhythm(
        frequency="biweekly",
        weekday=3,
        start_date=date(2026, 1, 1),
        start_time=time(10, 0),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
    )
    assert local_times(rhythm, utc(2026, 1, 1), utc(2026, 2, 1)) == [
        "2026-01-01 10:00 Thu",
        "2026-01-15 10:00 Thu",
        "2026-01-29 10:00 Thu",
    ]


def test_monthly_first_tuesday_and_last_friday():
    first_tuesday = Rhythm(
        frequency="monthly",
        weekday=1,
        week_of_month=1,
        start_date=date(2026, 1, 1),
        start_time=time(13, 0),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
    )
    assert local_times(first_tuesday, utc(2026, 1, 1), utc(2026, 4, 1)) == [
        "2026-01-06 13:00 Tue",
        "2026-02-03 13:00 Tue",
        "2026-03-03 13:00 Tue",
    ]
    last_friday = Rhythm(
        frequency="monthly",
        weekday=4,
        week_of_month=-1,
        start_date=date(2026, 1, 1),
        start_time=time(13, 0),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
    )
    assert local_times(last_friday, utc(2026, 1, 1), utc(2026, 3, 1)) == [
        "2026-01-30 13:00 Fri",
        "2026-02-27 13:00 Fri",
    ]


def test_custom_rrule_every_third_thursday_with_a_count():
    rhythm = Rhythm(
        frequency="custom",
        custom_rule="RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=TH;COUNT=3",
        start_date=date(2026, 1, 1),
        start_time=time(8, 30),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
    )
    assert local_times(rhythm, utc(2025, 12, 1), utc(2027, 1, 1)) == [
        "2026-01-01 08:30 Thu",
        "2026-01-22 08:30 Thu",
        "2026-02-12 08:30 Thu",
    ]


def test_session_at_a_time_skipped_by_spring_forward_moves_an_hour_later():
    rhythm = Rhythm(
        frequency="custom",
        custom_rule="FREQ=DAILY",
        start_date=date(2026, 3, 28),
        start_time=time(3, 30),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
    )
    assert local_times(rhythm, utc(2026, 3, 27), utc(2026, 3, 30)) == [
        "2026-03-28 03:30 Sat",
        "2026-03-29 04:30 Sun",
    ]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("", "empty"),
        ("FREQ=SOMETIMES", "syntax"),
        ("BYDAY=MO", "syntax"),
        ("FREQ=WEEKLY;BYDAY=XX", "syntax"),
        ("FREQ=MINUTELY", "too-often"),
        ("FREQ=HOURLY;INTERVAL=1", "too-often"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=WEEKLY", "dtstart"),
    ],
)
def test_unusable_rules_are_refused_with_a_reason(rule, reason):
    with pytest.raises(RuleError) as error:
        occurrences(
            rule=rule,
            start_date=date(2026, 1, 1),
            start_time=time(9, 0),
            time_zone="Europe/Helsinki",
            duration_minutes=30,
            after=utc(2026, 1, 1),
            before=utc(2026, 2, 1),
        )
    assert str(error.value) == reason
