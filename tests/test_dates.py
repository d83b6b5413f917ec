"""learning_lead.dates.DateFormatter draws each date as Django's `date_format` does, for every
format the pages draw this way, in each language and in two time zones, around the year."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import formats, timezone, translation

from learning_lead.dates import DateFormatter

FORMATS = ["SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT", "DATE_FORMAT", "TIME_FORMAT", "D"]


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
def test_each_date_is_drawn_as_date_format_draws_it(language, zone):
    start = datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    moments = [start + timedelta(days=day, hours=day % 24, minutes=day) for day in range(0, 370, 7)]
    with translation.override(language), timezone.override(zone):
        for name in FORMATS:
            draw = DateFormatter(name)
            for moment in moments:
                local = timezone.localtime(moment)
                assert draw(local) == formats.date_format(local, name), (name, local)
