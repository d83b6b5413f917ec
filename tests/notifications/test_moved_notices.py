"""A session moved or cancelled after its reminder went out: those already reminded get one
short notice, in their language, with the new time (or that it is off) and the calendar link.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification, Reminder, ReminderSettings
from reflections import services as reflections
from teams import services as teams
from tests.conftest import make_user


def sweep(**kwargs):
    return services.reminders_sweep(**kwargs)


def move(session, hours: float):
    starts_at = session.starts_at + timedelta(hours=hours)
    reflections.session_move(
        session=session, starts_at=starts_at, duration_minutes=30, location="", video_url=""
    )
    session.refresh_from_db()
    return starts_at


def subjects_to(user) -> list[str]:
    return [m.subject.split(":")[0] for m in mail.outbox if m.to == [user.email]]


def test_a_move_after_the_reminder_sends_one_notice_with_the_new_time(soon, member, supervisor):
    sweep()  # both reminded (a day ahead by default)
    new_start = move(soon, 3)
    sweep()
    sweep()
    for person in (member, supervisor):
        assert subjects_to(person) == ["Coming up", "Moved"]
        notice = Reminder.objects.get(user=person, kind="moved")
        assert notice.status == "sent" and notice.starts_at == new_start
        assert Notification.objects.filter(user=person, kind="moved").count() == 1
    message = next(m for m in mail.outbox if m.to == [member.email] and "Moved" in m.subject)
    local = timezone.localtime(new_start, timezone=soon.zone)
    assert local.strftime("%H:%M") in message.body and "/calendar/" in message.body
    assert f"/sessions/{soon.pk}/" in message.alternatives[0].content


def test_only_those_already_reminded_hear_of_the_move(soon, member, supervisor):
    ReminderSettings.objects.create(user=member, lead_minutes=60)
    sweep()  # Sue reminded; Mia's reminder is an hour ahead, still pending
    new_start = move(soon, 3)
    sweep()
    assert subjects_to(member) == []
    assert subjects_to(supervisor) == ["Coming up", "Moved"]
    # Mia's own reminder moved with the session and tells the new time itself.
    sweep(now=new_start - timedelta(minutes=30))
    assert subjects_to(member) == ["Coming up"]
    assert not Reminder.objects.filter(user=member, kind="moved").exists()


def test_a_move_after_a_move_sends_again_and_a_move_back_tells_the_old_time(soon, member):
    sweep()
    first = soon.starts_at
    move(soon, 3)
    sweep()
    move(soon, 1)
    sweep()
    reflections.session_move(
        session=soon, starts_at=first, duration_minutes=30, location="", video_url=""
    )
    sweep()
    sweep()
    assert subjects_to(member) == ["Coming up", "Moved", "Moved", "Moved"]
    assert Notification.objects.filter(user=member, kind="moved").count() == 3


def test_moved_twice_before_a_sweep_sends_one_notice_with_the_latest_time(soon, member):
    sweep()
    move(soon, 3)
    latest = move(soon, 2)
    sweep()
    assert subjects_to(member) == ["Coming up", "Moved"]
    assert Reminder.objects.get(user=member, kind="moved").starts_at == latest


def test_a_skip_after_the_reminder_sends_one_cancelled_notice_and_a_restore_tells_the_time(
    soon, member
):
    sweep()
    reflections.session_skip(session=soon)
    sweep()
    sweep()
    assert subjects_to(member) == ["Coming up", "Cancelled"]
    assert Notification.objects.filter(user=member, kind="cancel").count() == 1
    reflections.session_restore(session=soon)
    sweep()
    sweep()
    assert subjects_to(member) == ["Coming up", "Cancelled", "Moved"]


def test_notices_respect_preferences_and_muted_teams(soon, member, supervisor):
    sweep()
    ReminderSettings.objects.create(user=member, by_email=False, in_app=True)
    services.preferences_update(
        user=supervisor,
        lead_minutes=1440,
        by_email=True,
        in_app=True,
        nudges=True,
        muted_teams=[soon.team],
    )
    move(soon, 3)
    sweep()
    assert subjects_to(member) == ["Coming up"]  # in the app only
    assert Notification.objects.filter(user=member, kind="moved").count() == 1
    assert subjects_to(supervisor) == ["Coming up"]
    assert not Reminder.objects.filter(user=supervisor, kind="moved").exists()


def test_the_notice_is_in_the_persons_language(soon, member, supervisor):
    member.language = "fi"
    member.save()
    supervisor.language = "sv-fi"
    supervisor.save()
    sweep()
    move(soon, 3)
    reflections.session_skip(session=soon)
    sweep()
    assert subjects_to(member)[-1] == "Peruttu"
    assert subjects_to(supervisor)[-1] == "Inställd"


def test_a_moved_notice_claimed_before_another_move_is_not_sent_with_the_old_time(soon, member):
    sweep()
    move(soon, 3)
    services.reminders_plan(now=timezone.now())
    token, ids = services.reminders_claim(now=timezone.now(), limit=100)
    latest = move(soon, 2)
    services.reminders_deliver(token=token, ids=ids, now=timezone.now())
    assert subjects_to(member) == ["Coming up"]
    sweep()
    assert subjects_to(member) == ["Coming up", "Moved"]
    sent = Reminder.objects.get(user=member, kind="moved", status="sent")
    assert sent.starts_at == latest


@pytest.mark.parametrize("members", [3, 30])
def test_planning_notices_takes_a_fixed_number_of_queries_whatever_the_number_of_people(
    members, soon, acme, django_assert_num_queries
):
    for index in range(members):
        teams.membership_set(team=soon.team, user=make_user(acme, f"p{index}"), role="member")
    sweep()
    move(soon, 3)
    # As for a plan with nothing moved (test_reminders), less the insert of reminders (all
    # sent), plus the people told the old time (with their settings), the open notices and
    # one insert of the new ones.
    with django_assert_num_queries(14):
        created, _ = services.reminders_plan(now=timezone.now())
    assert created == members + 2


def test_a_notice_planned_but_not_sent_before_the_session_moved_back_is_dropped(soon, member):
    sweep()
    first = soon.starts_at
    move(soon, 3)
    services.reminders_plan(now=timezone.now())
    reflections.session_move(
        session=soon, starts_at=first, duration_minutes=30, location="", video_url=""
    )
    sweep()
    assert subjects_to(member) == ["Coming up"]
    assert Reminder.objects.get(user=member, kind="moved").status == "cancelled"


def test_the_inbox_says_moved_with_the_new_time_then_cancelled(client, soon, member):
    sweep()
    move(soon, 3)
    sweep()
    reflections.session_skip(session=soon)
    sweep()
    member.language = "fi"
    member.save()
    client.force_login(member)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Tiimin Team A Weekly reflection on siirretty" in page
    assert "Uusi aika" in page
    assert "Tiimin Team A Weekly reflection on peruttu" in page
