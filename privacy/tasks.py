"""Celery tasks: once a day beat runs the retention sweep and deletes the accounts whose
grace period has passed. Both are idempotent, so a repeated message costs nothing."""

from celery import shared_task

from privacy import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def privacy_daily() -> dict:
    for user_id in services.account_deletions_due():
        execute_account_deletion.delay(user_id)
    return services.retention_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def execute_account_deletion(user_id: int) -> bool:
    return services.account_deletion_execute_due(user_id=user_id)
