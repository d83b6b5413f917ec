"""Celery tasks of the reflections app: each loads by id or sweeps, then calls one service."""

from celery import shared_task

from reflections import services


@shared_task
def extend_session_horizon() -> int:
    """Daily: plan sessions of every active rhythm up to the rolling horizon."""
    return services.rhythms_extend_horizon()
