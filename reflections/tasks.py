"""Celery tasks of the reflections app: each loads by id or sweeps, then calls one service."""

from celery import shared_task

from reflections import question_page, services


@shared_task
def extend_session_horizon() -> int:
    """Daily: plan sessions of every active rhythm up to the rolling horizon."""
    return services.rhythms_extend_horizon()


@shared_task
def fill_question_lists() -> int:
    """Just after midnight UTC: fill every team's questions list for the new day (its variant
    holds the day, for the sessions its ask form offers), so no reader renders it afresh."""
    return question_page.fill_all()
