"""Sealing: which months of the rollups are due, and sealing them.

- `rollups_refresh_recent`: what Celery beat runs every few minutes: seals every month of
  every organisation that ended `REPORT_PUBLISH_AFTER_DAYS` ago or more. A month is published
  once and never changes: figures that moved with every edit would let HR subtract one
  day's report from the next and see what one person did.
- `rollups_ensure`: the same for the months of a report's period, when it is asked for
  (a new organisation, SQLite without a running loop).
- `rollups_backfill`: every month with data (`manage.py rollups_backfill`).
- `rollups_seal`: retention seals a month before deleting rows from it; a sealed month is
  never recomputed, so its figures outlive the rows.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from reports.models import RollupMonth
from reports.periods import month_start
from reports.rollups.computation import rollup_month_compute
from reports.rollups.sources import first_month, months_from
from teams.models import Organization


def local_month(organization: Organization, now: dt.datetime) -> dt.date:
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    return month_start(timezone.localdate(now, timezone=zone))


def last_published(organization: Organization, now: dt.datetime | None = None) -> dt.date:
    """The latest month that is due to be published: it ended at least
    `REPORT_PUBLISH_AFTER_DAYS` ago in the organisation's time zone."""
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    today = timezone.localdate(now or timezone.now(), timezone=zone)
    return month_start(today - dt.timedelta(days=settings.REPORT_PUBLISH_AFTER_DAYS)) - (
        relativedelta(months=1)
    )


def rollups_ensure(
    *, organization: Organization, months: list[dt.date], now: dt.datetime | None = None
) -> dict:
    """The published months among `months` with their sealing times, sealing first any that
    is due and not sealed yet (a new organisation, SQLite without a running loop)."""
    due = [month for month in months if month <= last_published(organization, now)]
    state = dict(
        RollupMonth.objects.filter(
            organization=organization, month__in=due, sealed=True, min_group_size__isnull=False
        ).values_list("month", "computed_at")
    )
    for month in due:
        if month not in state:
            rollup_month_compute(organization=organization, month=month, now=now, seal=True)
            state[month] = RollupMonth.objects.get(organization=organization, month=month)
    return {month: getattr(value, "computed_at", value) for month, value in state.items()}


def rollups_refresh_recent(*, now: dt.datetime | None = None) -> int:
    """Seals and publishes every due month of every organisation from its first month with
    data (in practice the month that has just become due)."""
    now = now or timezone.now()
    sealed = 0
    for organization in Organization.objects.order_by("pk"):
        first = first_month(organization)
        last = last_published(organization, now)
        if first is None or first > last:
            continue
        done = set(
            RollupMonth.objects.filter(
                organization=organization, sealed=True, min_group_size__isnull=False
            ).values_list("month", flat=True)
        )
        for month in months_from(first, last):
            if month not in done:
                sealed += rollup_month_compute(
                    organization=organization, month=month, now=now, seal=True
                )
    return sealed


def rollups_backfill(*, organization: Organization, now: dt.datetime | None = None) -> int:
    """Every month from the first with data to the current one: the due ones sealed and
    published, the rest computed (sealed months stay)."""
    now = now or timezone.now()
    first = first_month(organization)
    if first is None:
        return 0
    last = last_published(organization, now)
    return sum(
        rollup_month_compute(organization=organization, month=month, now=now, seal=month <= last)
        for month in months_from(first, local_month(organization, now))
    )


def rollups_seal(*, organization: Organization, before: dt.date) -> int:
    """Computes and seals every month that has rows dated before `before` (the retention
    cutoff), so deleting those rows changes no figure."""
    first = first_month(organization)
    if first is None or first >= before:
        return 0
    return sum(
        rollup_month_compute(organization=organization, month=month, seal=True)
        for month in months_from(first, before - dt.timedelta(days=1))
    )
