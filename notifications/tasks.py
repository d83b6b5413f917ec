"""Celery tasks: the beat schedule calls the sweep every minute; the database decides what is
due and what has been sent, so a lost or repeated task message costs nothing."""

from celery import shared_task

from notifications import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_reminders() -> dict:
    result = services.reminders_sweep()
    return result.__dict__
