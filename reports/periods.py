"""Report periods: whole calendar months in the organisation's time zone."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Period:
    start: date  # first day of the first month
    end: date  # first day after the last month

    @property
    def months(self) -> list[date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month += relativedelta(months=1)
        return months

    def bounds(self, time_zone: str) -> tuple[datetime, datetime]:
        zone = zoneinfo.ZoneInfo(time_zone)
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end, time.min, zone),
        )


def month_start(day: date) -> date:
    return day.replace(day=1)


def period_for(kind: str, last: date, start: date | None = None, end: date | None = None):
    """The period ending with `last`, the latest published month (month, quarter = 3 months,
    year = 12 months), or a custom range rounded out to whole months, so no period is
    narrower than a month."""
    if kind == "custom" and start and end:
        return Period(month_start(start), month_start(end) + relativedelta(months=1))
    length = {"month": 1, "quarter": 3, "year": 12}.get(kind, 3)
    after = month_start(last) + relativedelta(months=1)
    return Period(after - relativedelta(months=length), after)
