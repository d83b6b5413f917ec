"""Keeping the monthly rollups (reports/models.py) that the HR report reads, in three parts:
what a month is made of (sources.py), computing one month (computation.py) and which months
are due and sealing them (sealing.py). The public names are importable from here.

- `rollup_month_compute`: one month of one organisation, from the rows, in one transaction
  under the organisation's row lock (the lock retention and account deletion take too), so
  two runs at once take turns and each writes the same result: idempotent. Sealing a month
  computes it a last time and publishes it (reports/publication.py decides what HR sees).
- `rollups_refresh_recent`, `rollups_ensure`, `rollups_backfill`, `rollups_seal`: which
  months are due, and sealing them (sealing.py says each).
- `rollups_forget_person`: account deletion keeps the person's counts and marks but cuts
  every link to them (see reports/models.py).
"""

from reports.rollups.computation import rollup_month_compute, rollups_forget_person
from reports.rollups.sealing import (
    last_published,
    local_month,
    rollups_backfill,
    rollups_ensure,
    rollups_refresh_recent,
    rollups_seal,
)
from reports.rollups.sources import first_month

__all__ = [
    "first_month",
    "last_published",
    "local_month",
    "rollup_month_compute",
    "rollups_backfill",
    "rollups_ensure",
    "rollups_forget_person",
    "rollups_refresh_recent",
    "rollups_seal",
]
