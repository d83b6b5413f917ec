"""Retention: exactly what is past the organisation's limit goes, the report's monthly rollups
keep the figures, and two runs at once neither fail nor count anything twice."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from privacy import services
from privacy.models import AuditEvent
from reflections import services as services_r
from reflections.models import Answer, Question, Thought, Vote
from reports.models import RollupMonth, TeamMonth
from teams import direction_services
from teams.models import CheckIn

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=HELSINKI)
# Twelve months back from 27 November 2026: everything before 27 November 2025 goes.
JUST_EXPIRED = datetime(2025, 11, 26, 23, 30, tzinfo=HELSINKI)
JUST_KEPT = datetime(2025, 11, 27, 0, 30, tzinfo=HELSINKI)


@pytest.fixture
def twelve_months(acme):
    acme.retention_months = 12
    acme.save(update_fields=["retention_months"])
    return acme


def thought_at(team, author, when, body, parent=None):
    if parent is None:
        thought = services_r.thought_post(author=author, team=team, kind="insight", body=body)
    else:
        thought = services_r.thought_reply(author=author, parent=parent, body=body)
    Thought.objects.filter(pk=thought.pk).update(created_at=when)
    return thought


def question_on(team, day, body, voter=None, answerer=None):
    question = services_r.question_ask(team=team, body=body)
    Question.objects.filter(pk=question.pk).update(asked_on=day)
    if voter:
        services_r.question_upvote(question=question, user=voter)
    if answerer:
        services_r.question_answer(question=question, author=answerer, body="Answer")
    return question


@pytest.fixture
def history(twelve_months, team_a, member, supervisor):
    old = thought_at(team_a, member, JUST_EXPIRED, "old thought")
    thought_at(team_a, supervisor, JUST_EXPIRED, "old reply", parent=old)
    thought_at(team_a, member, JUST_KEPT, "kept thought")
    question_on(team_a, date(2025, 11, 26), "old question", voter=member, answerer=supervisor)
    question_on(team_a, date(2025, 11, 27), "kept question")
    goal = direction_services.personal_goal_create(
        owner=member, title="Goal", reason="Why", challenge=2
    )
    direction_services.checkin_create(goal=goal, day=date(2025, 11, 26), progress=2)
    direction_services.checkin_create(goal=goal, day=date(2025, 11, 27), progress=3)
    return goal


def test_the_cutoff_is_whole_calendar_months_back_in_the_organisations_time_zone(twelve_months):
    assert services.retention_cutoff(twelve_months, NOW) == date(2025, 11, 27)
    twelve_months.retention_months = 1
    march_31 = datetime(2026, 3, 31, 12, 0, tzinfo=HELSINKI)
    assert services.retention_cutoff(twelve_months, march_31) == date(2026, 2, 28)


@pytest.mark.django_db
def test_retention_deletes_exactly_what_is_past_the_limit(twelve_months, history):
    result = services.retention_run(organization=twelve_months, now=NOW)

    assert (result.thoughts, result.questions, result.checkins) == (2, 1, 1)
    assert list(Thought.objects.values_list("body", flat=True)) == ["kept thought"]
    assert list(Question.objects.values_list("body", flat=True)) == ["kept question"]
    assert list(CheckIn.objects.values_list("day", flat=True)) == [date(2025, 11, 27)]
    assert not Vote.objects.exists() and not Answer.objects.exists()


@pytest.mark.django_db
def test_an_old_thread_with_a_recent_reply_waits_for_the_reply(twelve_months, team_a, member):
    old = thought_at(team_a, member, JUST_EXPIRED, "old thread")
    thought_at(team_a, member, JUST_KEPT, "recent reply", parent=old)

    result = services.retention_run(organization=twelve_months, now=NOW)

    assert result.thoughts == 0
    assert Thought.objects.count() == 2


@pytest.mark.django_db
def test_monthly_counts_outlive_the_rows_they_count(twelve_months, history, team_a):
    services.retention_run(organization=twelve_months, now=NOW)

    row = TeamMonth.objects.get(team=team_a, month=date(2025, 11, 1))
    # November was computed from all its rows, then sealed, before any of them went.
    assert (row.thoughts, row.questions, row.answered) == (3, 2, 1)
    assert RollupMonth.objects.get(organization=twelve_months, month=date(2025, 11, 1)).sealed


@pytest.mark.django_db
def test_running_retention_again_changes_nothing(twelve_months, history, team_a):
    services.retention_run(organization=twelve_months, now=NOW, batch_size=1)
    again = services.retention_run(organization=twelve_months, now=NOW, batch_size=1)

    assert again.total == 0
    assert TeamMonth.objects.get(team=team_a, month=date(2025, 11, 1)).thoughts == 3
    assert AuditEvent.objects.filter(action="retention_run").count() == 1


@pytest.mark.django_db
def test_other_organisations_keep_their_rows_by_their_own_setting(
    twelve_months, history, foreigner
):
    team_x = foreigner.teams.get()
    thought_at(team_x, foreigner, JUST_EXPIRED, "foreign thought")  # Other keeps 24 months

    services.retention_run(organization=twelve_months, now=NOW)

    assert Thought.objects.filter(body="foreign thought").exists()


@pytest.mark.django_db
def test_the_run_is_recorded_in_the_audit_trail_without_content(twelve_months, history):
    services.retention_run(organization=twelve_months, now=NOW)

    event = AuditEvent.objects.get(action="retention_run")
    assert event.actor is None
    assert event.target == "thoughts=2 questions=1 checkins=1 before=2025-11-27"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_delete_each_row_once_and_count_it_once(twelve_months, team_a, member):
    for n in range(30):
        thought_at(team_a, member, JUST_EXPIRED - timedelta(hours=n), f"old {n}")
    thought_at(team_a, member, JUST_KEPT, "kept")
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(
                services.retention_run(organization=twelve_months, now=NOW, batch_size=4)
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(result.thoughts for result in results) == 30
    assert list(Thought.objects.values_list("body", flat=True)) == ["kept"]
    assert sum(TeamMonth.objects.values_list("thoughts", flat=True)) == 31


@pytest.mark.django_db
def test_the_daily_task_sweeps_every_organisation(twelve_months, history, settings, monkeypatch):
    from django.utils import timezone

    from privacy.tasks import privacy_daily

    # The task reads the clock: on the day the history was written for (the cutoff, and so
    # what is removed, moves at midnight in Helsinki).
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    result = privacy_daily.apply().get()

    assert result["removed"] == 4 and result["accounts_deleted"] == 0
