"""The supervisor hears once about each lapse of a team's rhythm: by e-mail and in the app,
in their own language and time zone, through the same rows, claims and sweep as session
reminders; never twice for one lapse; again for a new lapse after a recovery."""

import threading
import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone, translation

from notifications import services
from notifications.models import Notification, Reminder, ReminderSettings
from reflections import services as reflections
from teams import services as teams
from teams.models import Membership
from tests.conftest import make_user
from tests.support.rhythm import history, session_at


def lapse_mail(to):
    return [m for m in mail.outbox if m.to == [to.email] and "paused" in m.subject]


def test_a_lapse_sends_each_supervisor_one_email_and_one_notification(team_a, supervisor, member):
    history(team_a, "HMM")
    services.reminders_sweep()
    assert len(lapse_mail(supervisor)) == 1
    assert not lapse_mail(member)  # members are not told: the rhythm is the supervisor's
    note = Notification.objects.get(user=supervisor, kind="lapse")
    assert note.team == team_a and note.session is None
    reminder = Reminder.objects.get(kind="lapse")
    assert reminder.status == "sent" and reminder.user == supervisor
    body = lapse_mail(supervisor)[0].body
    assert "2 planned sessions of Team A in a row" in body
    assert reverse("reflections:team_sessions", args=[team_a.pk]) in body


def test_sweeping_again_sends_nothing_more_while_the_lapse_lasts(team_a, supervisor):
    history(team_a, "HMM")
    services.reminders_sweep()
    session_at(team_a, days=-3)  # the row grows: still the same lapse
    services.reminders_sweep()
    services.reminders_sweep(now=timezone.now() + timedelta(days=1))
    assert len(lapse_mail(supervisor)) == 1
    assert Notification.objects.filter(kind="lapse").count() == 1
    assert Reminder.objects.filter(kind="lapse").count() == 1


def test_recovery_then_a_new_lapse_sends_a_new_reminder(team_a, supervisor):
    history(team_a, "MM")
    services.reminders_sweep()
    reflections.session_hold(session=session_at(team_a, days=-0.1), attendees=[supervisor])
    services.reminders_sweep()
    assert len(lapse_mail(supervisor)) == 1
    session_at(team_a, days=1)
    session_at(team_a, days=2)
    # Two weeks on, neither was held: a new lapse.
    services.reminders_sweep(now=timezone.now() + timedelta(days=4))
    assert len(lapse_mail(supervisor)) == 2
    assert Reminder.objects.filter(kind="lapse", status="sent").count() == 2


def test_nothing_planned_ahead_is_reminded_once(team_a, supervisor):
    history(team_a, "HH", held_by=[supervisor], ahead=False)
    services.reminders_sweep()
    services.reminders_sweep()
    messages = lapse_mail(supervisor)
    assert len(messages) == 1
    assert "has no reflection session planned after" in messages[0].body


def test_a_pending_lapse_reminder_is_cancelled_when_the_team_recovers_first(team_a, supervisor):
    sessions = history(team_a, "HMM")
    services.reminders_plan(now=timezone.now())
    reflections.session_hold(session=sessions[2], attendees=[])
    result = services.reminders_sweep()
    assert result.sent == 0 and not lapse_mail(supervisor)
    assert Reminder.objects.get(kind="lapse").status == "cancelled"


def test_channels_and_team_opt_out_are_respected(acme, team_a, supervisor):
    history(team_a, "HMM")
    in_app_only = make_user(acme, "ines")
    teams.membership_set(team=team_a, user=in_app_only, role=Membership.Role.SUPERVISOR)
    ReminderSettings.objects.create(user=in_app_only, by_email=False)
    muted = make_user(acme, "matti")
    teams.membership_set(team=team_a, user=muted, role=Membership.Role.SUPERVISOR)
    services.preferences_update(
        user=muted,
        lead_minutes=1440,
        by_email=True,
        in_app=True,
        nudges=True,
        muted_teams=[team_a],
    )
    no_alerts = make_user(acme, "nelli")
    teams.membership_set(team=team_a, user=no_alerts, role=Membership.Role.SUPERVISOR)
    ReminderSettings.objects.create(user=no_alerts, lapse_alerts=False)
    services.reminders_sweep()
    assert [m.to for m in mail.outbox] == [[supervisor.email]]
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"sue", "ines"}


def test_lapse_reminder_is_in_the_persons_language_and_time_zone(team_a, supervisor):
    supervisor.language, supervisor.time_zone = "fi", "Pacific/Kiritimati"
    supervisor.save()
    first_missed = history(team_a, "HMM")[1]
    services.reminders_sweep()
    body = lapse_mail(supervisor)[0].body if lapse_mail(supervisor) else mail.outbox[0].body
    local = first_missed.starts_at.astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    with translation.override("fi"):
        day = formats.date_format(local, "DATE_FORMAT")
    assert "Hei Sue" in body and "Team A" in body
    assert "peräkkäin" in body and day in body


def test_inbox_shows_the_lapse_with_a_link_to_rhythm_health(client, team_a, supervisor):
    history(team_a, "HMM")
    services.reminders_sweep()
    client.force_login(supervisor)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert f"{reverse('reflections:health')}#team-{team_a.pk}" in body
    assert "The reflection rhythm of Team A has paused" in body


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_one_reminder_per_lapse(acme, team_a, supervisor):
    history(team_a, "HMM")
    start = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            start.wait()
            results.append(services.reminders_sweep())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(result.sent for result in results) == 1
    assert len(lapse_mail(supervisor)) == 1
    assert Notification.objects.filter(kind="lapse").count() == 1


def test_supervisors_can_turn_lapse_alerts_off_members_never_see_the_setting(
    client, team_a, supervisor, member
):
    url = reverse("notifications:preferences")
    client.force_login(member)
    assert 'name="lapse_alerts"' not in client.get(url).content.decode()
    client.force_login(supervisor)
    assert 'name="lapse_alerts"' in client.get(url).content.decode()
    data = {"lead_minutes": "1440", "by_email": "on", "in_app": "on"}
    assert client.post(url, data).status_code == 302
    history(team_a, "HMM")
    services.reminders_sweep()
    assert not Reminder.objects.filter(kind="lapse").exists() and not mail.outbox
