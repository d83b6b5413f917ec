"""Account deletion: the grace period, what goes, what stays as "former member", and a scan of
every table afterwards for the person's id, username and e-mail."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session as WebSession
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from privacy import services
from privacy.models import AuditEvent, DeletionRequest
from reflections.models import Answer, PulseValue, Question, Thought
from teams.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def traces_of(user_id: int, username: str, email: str) -> list[str]:
    """Every column in every table that still holds the person's id (as a reference to a
    user), username or e-mail address."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            rows = model._default_manager.all()
            label = f"{model._meta.db_table}.{field.column}"
            if field.is_relation and field.related_model is User:
                if rows.filter(**{field.attname: user_id}).exists():
                    found.append(f"{label} = id")
            elif isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                as_text = rows.annotate(_text=Cast(field.attname, models.TextField()))
                for needle in (username, email):
                    if as_text.filter(_text__contains=needle).exists():
                        found.append(f"{label} ~ {needle}")
    for session in WebSession.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            found.append("django_session: signed-in session")
    return found


def delete_now(user: User) -> None:
    services.account_deletion_request(user=user)
    later = timezone.now() + timedelta(days=8)
    assert services.account_deletion_execute_due(user_id=user.pk, now=later)


def test_after_deletion_no_table_holds_the_persons_id_username_or_email(
    client, leaver, life, admin
):
    assert client.login(username=leaver.username, password=PASSWORD)
    client.get(reverse("privacy:export_json"))  # an audit event names her as the actor
    user_id, username, email = leaver.pk, leaver.username, leaver.email
    assert traces_of(user_id, username, email)  # the scan does find her while she is here

    delete_now(leaver)

    assert traces_of(user_id, username, email) == []


def test_a_thought_others_built_on_stays_as_former_member_and_the_rest_of_hers_goes(leaver, life):
    delete_now(leaver)

    kept = Thought.objects.get(pk=life["built_on"].pk)
    assert kept.author_id is None
    assert kept.replies.get().body == "THEIRS-reply"
    assert not Thought.objects.filter(body__startswith="MINE-").exclude(pk=kept.pk).exists()
    assert Thought.objects.filter(body="THEIRS-thought").exists()


def test_answered_named_questions_and_answers_stay_unlinked_and_the_rest_goes(leaver, life):
    delete_now(leaver)

    assert not Question.objects.filter(pk=life["named"].pk).exists()
    answered = Question.objects.get(pk=life["answered"].pk)
    assert (answered.author_id, answered.author_left) == (None, True)
    assert Answer.objects.get(body="MINE-answer").author_id is None
    assert Answer.objects.filter(body="THEIRS-answer").exists()


def test_anonymous_questions_and_pulse_values_are_untouched(leaver, life):
    votes_before = life["anonymous"].votes.count()
    delete_now(leaver)

    anonymous = Question.objects.get(pk=life["anonymous"].pk)
    assert anonymous.body == "ANON-question" and not anonymous.author_left
    assert anonymous.votes.count() == votes_before - 1  # her vote was hers
    assert PulseValue.objects.filter(statement="dont_know", value=4).count() == 1


def test_the_thread_renders_a_deleted_author_as_former_member(client, leaver, life, member):
    delete_now(leaver)
    assert client.login(username=member.username, password=PASSWORD)

    page = client.get(reverse("reflections:team_feed", kwargs={"pk": life["built_on"].team_id}))

    assert page.status_code == 200
    assert "former member" in page.content.decode()


def test_an_answered_named_question_renders_as_former_member_not_anonymous(
    client, leaver, life, member
):
    delete_now(leaver)
    assert client.login(username=member.username, password=PASSWORD)

    page = client.get(
        reverse("reflections:team_questions", kwargs={"pk": life["answered"].team_id})
    )

    body = page.content.decode()
    answered_at = body.index("MINE-answered-question")
    assert "former member" in body[max(0, answered_at - 600) : answered_at]


def test_nothing_is_deleted_during_the_grace_period(leaver, life):
    services.account_deletion_request(user=leaver)

    assert services.account_deletions_due() == []
    soon = timezone.now() + timedelta(days=6)
    assert not services.account_deletion_execute_due(user_id=leaver.pk, now=soon)
    assert User.objects.filter(pk=leaver.pk).exists()


def test_a_cancelled_request_is_never_executed(leaver):
    services.account_deletion_request(user=leaver)
    services.account_deletion_cancel(user=leaver)

    later = timezone.now() + timedelta(days=30)
    assert not services.account_deletion_execute_due(user_id=leaver.pk, now=later)
    assert User.objects.filter(pk=leaver.pk).exists()


def test_executing_twice_deletes_once_and_records_one_event(leaver, acme):
    services.account_deletion_request(user=leaver)
    later = timezone.now() + timedelta(days=8)

    assert services.account_deletion_execute_due(user_id=leaver.pk, now=later)
    assert not services.account_deletion_execute_due(user_id=leaver.pk, now=later)
    events = AuditEvent.objects.filter(organization=acme, action="deletion_execute")
    assert events.count() == 1
    assert events.get().actor_id is None


def test_the_only_supervisor_of_a_team_must_hand_over_first(supervisor):
    with pytest.raises(services.DeletionRefused):
        services.account_deletion_request(user=supervisor)
    assert not DeletionRequest.objects.exists()


def test_the_daily_command_deletes_accounts_past_their_grace_period(leaver):
    from django.core.management import call_command

    services.account_deletion_request(user=leaver)
    DeletionRequest.objects.filter(user=leaver).update(due_at=timezone.now())

    call_command("privacy_sweep")

    assert not User.objects.filter(pk=leaver.pk).exists()
