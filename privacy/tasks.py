"""Celery task: once a day beat deletes the accounts whose grace period has passed and runs
retention. Both steps are idempotent, so a repeated message costs nothing."""

from celery import shared_task

from privacy import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def privacy_daily() -> dict:
    return services.privacy_daily()
