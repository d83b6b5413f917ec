"""A member's report of a question tells the team's supervisors, in the app and by e-mail as
their preferences say, naming the question and never the reporter."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services as notification_services
from notifications.models import Notification
from reflections import services
from teams import services as team_services
from teams.models import Membership
from tests.conftest import make_user


@pytest.fixture
def report(client, django_capture_on_commit_callbacks):
    """Reports as the signed-in client, with what waits for the commit (the e-mail) run."""

    def report_(question, reason="Sounds like it is about one person"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("reflections:question_report", args=[question.pk]), {"reason": reason}
            )

    return report_


def reporter_traces(person) -> list[str]:
    return [person.username, person.first_name, person.email, f"/people/{person.pk}/"]


@pytest.fixture
def second_supervisor(acme, team_a):
    user = make_user(acme, "sam")
    team_services.membership_set(team=team_a, user=user, role=Membership.Role.SUPERVISOR)
    return user


def test_a_report_tells_each_supervisor_in_the_app_and_by_e_mail_naming_only_the_question(
    client, report, member, supervisor, second_supervisor, team_a
):
    question = services.question_ask(team=team_a, body="Why does Pat always get the easy cases?")
    mail.outbox.clear()
    client.force_login(member)
    assert report(question).status_code == 302

    notices = Notification.objects.filter(kind=Notification.Kind.REPORTED)
    assert sorted(n.user_id for n in notices) == sorted([supervisor.pk, second_supervisor.pk])
    assert all(n.question_id == question.pk for n in notices)
    assert not Notification.objects.filter(user=member).exists()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [supervisor.email, second_supervisor.email]
    )
    message = mail.outbox[0]
    assert "was reported" in message.subject and team_a.name in message.subject
    assert "Why does Pat always get the easy cases?" in message.body
    assert f"#q-{question.pk}" in message.body
    for trace in reporter_traces(member):
        assert trace not in message.subject + message.body

    client.force_login(supervisor)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert f"A question in {team_a.name} was reported" in inbox
    assert f"#q-{question.pk}" in inbox
    assert member.username not in inbox and member.first_name not in inbox


def test_e_mail_follows_the_supervisors_preferences_and_the_finnish_text_is_finnish(
    client, report, member, supervisor, second_supervisor, team_a
):
    notification_services.preferences_update(
        user=supervisor, lead_minutes=60, by_email=False, in_app=True, nudges=True, muted_teams=[]
    )
    team_services.preferences_update(
        user=second_supervisor, language="fi", time_zone="Europe/Helsinki"
    )
    question = services.question_ask(team=team_a, body="Miksi?")
    mail.outbox.clear()
    client.force_login(member)
    report(question)
    # Both are told in the app; only the one who takes e-mail gets one, in Finnish.
    assert Notification.objects.filter(kind=Notification.Kind.REPORTED).count() == 2
    assert [m.to for m in mail.outbox] == [[second_supervisor.email]]
    assert "kysymyksestä tehtiin ilmoitus" in mail.outbox[0].subject


def test_more_reports_of_an_unread_notice_add_no_notice_or_e_mail(
    client, report, member, supervisor, team_a
):
    question = services.question_ask(team=team_a, body="Why?")
    client.force_login(member)
    report(question)
    mail.outbox.clear()
    report(question, reason="Still")
    assert Notification.objects.filter(kind=Notification.Kind.REPORTED).count() == 1
    assert mail.outbox == []
    # Once read, the next report tells again.
    notification_services.notifications_mark_read(user=supervisor)
    report(question, reason="Again")
    assert Notification.objects.filter(kind=Notification.Kind.REPORTED).count() == 2
    assert len(mail.outbox) == 1


def test_a_report_of_another_teams_question_is_refused_and_tells_nobody(
    client, report, other_member, supervisor, team_a
):
    question = services.question_ask(team=team_a, body="Why?")
    client.force_login(other_member)
    assert report(question).status_code == 404
    assert not Notification.objects.exists()
