"""Celery tasks: beat runs the sweep every minute; it hands each due delivery to a worker. The
database decides what is due and what was posted, so a lost or repeated task costs nothing."""

from celery import shared_task

from chat import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_chat() -> dict:
    return services.chat_sweep(dispatch=lambda pk: deliver_chat.delay(pk))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_chat(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)
