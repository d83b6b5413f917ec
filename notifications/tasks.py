"""Celery tasks: beat calls the sweep every minute, which claims due reminders and hands each
batch to a delivery task, so workers send in parallel. The database decides what is due and
what has been sent, so a lost or repeated task message costs nothing (an orphaned claim is
claimed again when its lease expires)."""

from celery import shared_task
from django.utils import timezone

from notifications import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_reminders() -> dict:
    result = services.reminders_sweep(
        dispatch=lambda token, ids: deliver_reminders.delay(token, ids)
    )
    return result.__dict__


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_reminders(token: str, ids: list[int]) -> int:
    return services.reminders_deliver(token=token, ids=ids, now=timezone.now())
