"""Celery task: once a day beat deletes the accounts whose grace period has passed and runs
retention. Both steps are idempotent, so a repeated message costs nothing."""

from celery import shared_task

from privacy import services


# Longer limits than the default minute: the first run on a large organisation may have much
# to remove. Each batch commits on its own, so a run cut short resumes the next day.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1860)
def privacy_daily() -> dict:
    return services.privacy_daily()
