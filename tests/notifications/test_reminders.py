"""Planning and sending reminders: lead times, channels, opt-outs, moves, skips, languages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import Notification, Reminder, ReminderSettings
from reflections import services as reflections
from teams import services as teams
from tests.conftest import make_user


def sweep(**kwargs):
    return services.reminders_sweep(**kwargs)


def test_one_day_lead_sends_each_member_one_reminder_by_email_and_in_app(soon, supervisor, member):
    result = sweep()
    assert result.sent == 2
    assert {m.to[0] for m in mail.outbox} == {supervisor.email, member.email}
    assert Notification.objects.filter(session=soon).count() == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    # A second sweep finds nothing more to send.
    assert sweep().sent == 0
    assert len(mail.outbox) == 2


def test_one_hour_lead_waits_until_an_hour_before(soon, member, supervisor):
    ReminderSettings.objects.create(user=member, lead_minutes=60)
    sweep()
    assert [m.to for m in mail.outbox] == [[supervisor.email]]
    reminder = Reminder.objects.get(user=member)
    assert reminder.status == "pending"
    assert reminder.due_at == soon.starts_at - timedelta(hours=1)
    sweep(now=soon.starts_at - timedelta(minutes=59))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([supervisor.email, member.email])


def test_no_reminder_when_lead_time_is_none_or_every_channel_is_off(soon, member, supervisor):
    ReminderSettings.objects.create(user=member, lead_minutes=0)
    ReminderSettings.objects.create(user=supervisor, by_email=False, in_app=False)
    assert sweep().sent == 0
    assert mail.outbox == [] and not Notification.objects.exists()


def test_in_app_only_sends_no_email(soon, member, supervisor):
    ReminderSettings.objects.create(user=member, by_email=False)
    sweep()
    assert member.email not in [m.to[0] for m in mail.outbox]
    assert Notification.objects.filter(user=member).count() == 1


def test_opting_out_of_a_team_stops_its_reminders_and_cancels_pending_ones(soon, member):
    ReminderSettings.objects.create(user=member, lead_minutes=60)
    sweep()
    assert Reminder.objects.get(user=member).status == "pending"
    services.preferences_update(
        user=member,
        lead_minutes=60,
        by_email=True,
        in_app=True,
        nudges=True,
        muted_teams=[soon.team],
    )
    sweep(now=soon.starts_at - timedelta(minutes=30))
    assert Reminder.objects.get(user=member).status == "cancelled"
    assert member.email not in [m.to[0] for m in mail.outbox]


def test_skipped_session_cancels_its_pending_reminders(soon, member, supervisor):
    ReminderSettings.objects.create(user=member, lead_minutes=60)
    sweep()
    reflections.session_skip(session=soon)
    sweep(now=soon.starts_at - timedelta(minutes=30))
    assert Reminder.objects.get(user=member, kind="before").status == "cancelled"
    # Only Sue's, sent before the skip, and then the notice that it is cancelled; Mia was
    # never reminded, so she hears nothing. (With nothing else planned, the skip leaves the
    # team with no session ahead: Sue, its supervisor, also hears that the rhythm lapsed.)
    about = [(m.to, m.subject.split(":")[0]) for m in mail.outbox if "Weekly" in m.subject]
    assert about == [([supervisor.email], "Coming up"), ([supervisor.email], "Cancelled")]


def test_moved_session_moves_its_pending_reminder(soon, member):
    ReminderSettings.objects.create(user=member, lead_minutes=60)
    sweep()
    original = soon.starts_at
    later = original + timedelta(hours=3)
    reflections.session_move(
        session=soon, starts_at=later, duration_minutes=30, location="", video_url=""
    )
    sweep(now=original - timedelta(minutes=30))
    reminder = Reminder.objects.get(user=member)
    assert reminder.status == "pending"
    assert reminder.due_at == later - timedelta(hours=1)
    sweep(now=later - timedelta(minutes=30))
    assert Reminder.objects.get(user=member).status == "sent"


def test_reminder_is_in_the_persons_language_and_time_zone(soon, member, supervisor):
    member.language, member.time_zone = "fi", "Europe/Helsinki"
    member.save()
    supervisor.language, supervisor.time_zone = "en", "America/New_York"
    supervisor.save()
    sweep()
    by_person = {m.to[0]: m for m in mail.outbox}
    local = timezone.localtime(soon.starts_at, timezone=soon.zone)
    helsinki = f"{local.hour}.{local.minute:02d}"  # Finnish writes 9.05
    new_york = soon.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    finnish = by_person[member.email]
    assert "Mitä opimme?" in finnish.body
    assert helsinki in finnish.body and "Europe/Helsinki" in finnish.body
    english = by_person[supervisor.email]
    assert "What did we learn?" in english.body
    assert new_york.strftime("%H:%M") in english.body and "America/New_York" in english.body


def test_email_has_html_a_link_and_one_click_unsubscribe_headers(soon, member):
    sweep()
    message = next(m for m in mail.outbox if m.to == [member.email])
    html = message.alternatives[0].content
    assert "<a href=" in html and f"/sessions/{soon.pk}/" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https?://\S+/unsubscribe/\S+/>", message.extra_headers["List-Unsubscribe"]
    )
    reminder = Reminder.objects.get(user=member)
    assert message.extra_headers["Message-ID"] == f"<reminder-{reminder.pk}@learning-lead>"


def test_held_session_nudges_those_who_took_part(past_session, member, supervisor):
    reflections.session_hold(session=past_session, attendees=[member])
    sweep()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "reflection" in mail.outbox[0].subject.lower() or "stayed" in mail.outbox[0].subject
    note = Notification.objects.get(user=member)
    assert note.kind == "nudge"
    assert sweep().sent == 0


def test_person_who_left_the_team_gets_no_pending_reminder(soon, member):
    ReminderSettings.objects.create(user=member, lead_minutes=60)
    sweep()
    teams.membership_remove(team=soon.team, user=member)
    sweep(now=soon.starts_at - timedelta(minutes=30))
    assert Reminder.objects.get(user=member).status == "cancelled"


def test_two_sweeps_on_the_same_rows_never_send_twice(soon, member, supervisor):
    services.reminders_plan(now=timezone.now())
    token_a, ids_a = services.reminders_claim(now=timezone.now(), limit=10)
    token_b, ids_b = services.reminders_claim(now=timezone.now(), limit=10)
    assert len(ids_a) == 2 and ids_b == []
    # A late sweep holding a stale token cannot mark what another sweep owns.
    assert services.reminders_deliver(token=token_b, ids=ids_a, now=timezone.now()) == 0
    assert services.reminders_deliver(token=token_a, ids=ids_a, now=timezone.now()) == 2
    assert len(mail.outbox) == 2


def test_claim_left_by_a_dead_worker_is_sent_after_the_lease(soon, settings):
    services.reminders_plan(now=timezone.now())
    services.reminders_claim(now=timezone.now(), limit=10)  # the worker dies here
    assert sweep().sent == 0
    later = timezone.now() + timedelta(seconds=settings.REMINDER_LEASE_SECONDS + 1)
    assert sweep(now=later).sent == 2
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("members", [3, 30])
def test_sweep_reads_a_fixed_number_of_queries_whatever_the_batch_size(
    members, soon, acme, django_assert_max_num_queries
):
    for index in range(members):
        teams.membership_set(team=soon.team, user=make_user(acme, f"p{index}"), role="member")
    services.reminders_plan(now=timezone.now())
    token, ids = services.reminders_claim(now=timezone.now(), limit=1000)
    assert len(ids) == members + 2
    with django_assert_max_num_queries(1000) as captured:
        services.reminders_deliver(token=token, ids=ids, now=timezone.now())
    sql = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    reads = [q for q in sql if q.startswith("SELECT")]
    writes = [q for q in sql if not q.startswith("SELECT")]
    # Loading is three queries (reminders with people, their sessions with teams, then
    # prompts); each reminder is then marked sent with its notification in one statement
    # right after its e-mail, so a crash repeats at most the message in flight.
    assert len(reads) == 3
    assert len(writes) == len(ids)


def test_a_new_lead_time_moves_the_pending_reminder_and_nothing_is_planned_twice(soon, member):
    ReminderSettings.objects.create(user=member, lead_minutes=60)
    assert sweep().planned == 2
    services.preferences_update(
        user=member, lead_minutes=1440, by_email=True, in_app=True, nudges=True, muted_teams=[]
    )
    result = sweep()
    assert result.planned == 0 and result.sent == 1
    assert Reminder.objects.get(user=member).status == "sent"
    assert sweep().planned == 0


@pytest.mark.parametrize("members", [3, 30])
def test_planning_takes_a_fixed_number_of_queries_whatever_the_number_of_people(
    members, soon, acme, django_assert_num_queries
):
    for index in range(members):
        teams.membership_set(team=soon.team, user=make_user(acme, f"p{index}"), role="member")
    # Lapses: the lapsed teams and the pending lapse reminders. Before: the sessions, their
    # members with their settings, the pending and the settled rows, one insert for the new
    # ones. Nudges: the attendances and the pending rows (nothing to write). Moved and
    # cancelled notices: whether any message sent no longer holds (none). Plus the savepoint
    # around it.
    with django_assert_num_queries(12):
        created, cancelled = services.reminders_plan(now=timezone.now())
    assert (created, cancelled) == (members + 2, 0)
