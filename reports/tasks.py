"""Celery task: beat brings the report rollups up to date every ROLLUP_REFRESH_SECONDS.
Each month is computed in one transaction under the organisation's lock, so a repeated or
concurrent message only computes the same figures again."""

from celery import shared_task

from reports import rollups


# A full-size organisation's two recent months take a few seconds; the limits leave room.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def refresh_rollups() -> int:
    return rollups.rollups_refresh_recent()
