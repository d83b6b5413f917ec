"""Each notice reaches each channel once; failures are retried with backoff (honouring
Retry-After); a webhook that is gone switches its channel off and its supervisors are told."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from chat import services, webhooks
from chat.models import ChatDelivery, ChatNotice
from notifications.models import Notification
from reflections import services as reflections
from tests.chat.conftest import connect


@pytest.fixture
def coming_up(team_a):
    return reflections.session_add(
        team=team_a,
        title="Weekly reflection",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )


@pytest.fixture
def tomorrow(team_a, settings):
    """A session a day ahead whose reminder is already due: room for hours of retries."""
    settings.CHAT_REMINDER_LEAD_MINUTES = 48 * 60
    return reflections.session_add(
        team=team_a,
        title="Planning",
        starts_at=timezone.now() + dt.timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )


def _delivery() -> ChatDelivery:
    return ChatDelivery.objects.get()


def test_a_reminder_is_posted_once_however_often_the_sweep_runs(receiver, teams_channel, coming_up):
    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    now = timezone.now()
    for minute in range(3):
        services.chat_sweep(now=now + dt.timedelta(minutes=minute))
    assert len(receiver.log) == 1
    delivery = _delivery()
    assert delivery.status == ChatDelivery.Status.SENT and delivery.last_status == 202


def test_each_channel_of_the_team_gets_it_once(receiver, teams_channel, slack_channel, coming_up):
    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    receiver.expect_request("/slack-hook").respond_with_data("ok")
    services.chat_sweep()
    services.chat_sweep()
    assert sorted(request.path for request, _ in receiver.log) == ["/slack-hook", "/teams-hook"]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_retried_later_with_backoff(receiver, teams_channel, coming_up, status):
    receiver.expect_ordered_request("/teams-hook").respond_with_data("", status=status)
    receiver.expect_ordered_request("/teams-hook").respond_with_data("", status=202)
    now = timezone.now()
    services.chat_sweep(now=now)
    delivery = _delivery()
    assert delivery.status == ChatDelivery.Status.PENDING and delivery.last_status == status
    wait = (delivery.next_attempt_at - now).total_seconds()
    assert services.BACKOFF_BASE_SECONDS / 2 <= wait <= services.BACKOFF_BASE_SECONDS
    services.chat_sweep(now=now + dt.timedelta(seconds=5))
    assert len(receiver.log) == 1  # not yet due
    services.chat_sweep(now=delivery.next_attempt_at)
    assert len(receiver.log) == 2
    assert _delivery().status == ChatDelivery.Status.SENT


def test_backoff_grows_and_has_jitter():
    waits = [services.backoff(attempt) for attempt in (1, 2, 3, 4)]
    assert 15 <= waits[0] <= 30 and 120 <= waits[3] <= 240
    assert len({services.backoff(3) for _ in range(20)}) > 1
    assert services.backoff(40) <= services.BACKOFF_CAP_SECONDS


@pytest.mark.parametrize("retry_after", ["120", None])
def test_429_waits_as_long_as_retry_after_says(receiver, teams_channel, coming_up, retry_after):
    headers = {"Retry-After": retry_after} if retry_after else {}
    receiver.expect_request("/teams-hook").respond_with_data("", status=429, headers=headers)
    now = timezone.now()
    services.chat_sweep(now=now)
    delivery = _delivery()
    assert delivery.status == ChatDelivery.Status.PENDING and delivery.last_status == 429
    wait = (delivery.next_attempt_at - now).total_seconds()
    if retry_after:
        assert 120 <= wait <= 121
    else:
        assert wait <= services.BACKOFF_BASE_SECONDS


def test_retry_after_as_a_date_is_honoured():
    later = timezone.now() + dt.timedelta(seconds=300)
    header = later.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 290 <= webhooks._retry_after(header) <= 300


def test_a_connection_error_is_retried(team_a, supervisor, coming_up):
    connect(team_a, "http://localhost:9/closed")  # the discard port: nobody listens
    services.chat_sweep()
    delivery = _delivery()
    assert delivery.status == ChatDelivery.Status.PENDING
    assert delivery.last_error.startswith("connection")


def test_retries_end_after_the_last_attempt(settings, receiver, teams_channel, tomorrow):
    settings.CHAT_MAX_ATTEMPTS = 2
    receiver.expect_request("/teams-hook").respond_with_data("", status=503)
    now = timezone.now()
    services.chat_sweep(now=now)
    services.chat_sweep(now=now + dt.timedelta(hours=2))
    services.chat_sweep(now=now + dt.timedelta(hours=4))
    assert len(receiver.log) == 2
    assert _delivery().status == ChatDelivery.Status.FAILED


def test_a_bad_request_is_not_retried(receiver, teams_channel, coming_up):
    receiver.expect_request("/teams-hook").respond_with_data("bad card", status=400)
    now = timezone.now()
    services.chat_sweep(now=now)
    services.chat_sweep(now=now + dt.timedelta(hours=2))
    assert len(receiver.log) == 1
    assert _delivery().status == ChatDelivery.Status.FAILED


def test_410_again_and_again_switches_the_channel_off_and_tells_the_supervisor(
    receiver,
    team_a,
    supervisor,
    member,
    teams_channel,
    tomorrow,
    django_capture_on_commit_callbacks,
):
    receiver.expect_request("/teams-hook").respond_with_data("", status=410)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for hour in range(6):
            services.chat_sweep(now=now + dt.timedelta(hours=hour))
    assert len(receiver.log) == 3  # CHAT_GONE_LIMIT, then nothing more
    teams_channel.refresh_from_db()
    assert not teams_channel.enabled
    assert _delivery().status == ChatDelivery.Status.FAILED
    [note] = Notification.objects.filter(kind=Notification.Kind.CHAT_OFF)
    assert note.user == supervisor and note.team == team_a
    [message] = mail.outbox
    assert message.to == [supervisor.email]
    assert "#teams" in message.subject and "switched off" in message.subject


def test_a_success_in_between_resets_the_count(receiver, teams_channel, tomorrow):
    receiver.expect_ordered_request("/teams-hook").respond_with_data("", status=404)
    receiver.expect_ordered_request("/teams-hook").respond_with_data("", status=404)
    receiver.expect_ordered_request("/teams-hook").respond_with_data("", status=202)
    now = timezone.now()
    for hour in range(3):
        services.chat_sweep(now=now + dt.timedelta(hours=hour))
    teams_channel.refresh_from_db()
    assert teams_channel.enabled and teams_channel.failure_count == 0


def test_a_switched_off_channel_gets_nothing(
    receiver, team_a, supervisor, teams_channel, coming_up
):
    services.destination_update(
        destination=teams_channel, name="#teams", language="en", enabled=False
    )
    services.chat_sweep()
    assert receiver.log == []


class Killed(BaseException):
    """A worker killed in the middle of its work (SIGKILL: no except clause runs)."""


def test_a_worker_killed_mid_delivery_leaves_it_to_be_posted_once_after_the_lease(
    monkeypatch, receiver, teams_channel, coming_up
):
    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    real_post = webhooks.post

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(webhooks, "post", die)
    now = timezone.now()
    with pytest.raises(Killed):
        services.chat_sweep(now=now)
    assert _delivery().status == ChatDelivery.Status.SENDING
    monkeypatch.setattr(webhooks, "post", real_post)
    services.chat_sweep(now=now + dt.timedelta(seconds=30))  # the lease still holds
    assert receiver.log == []
    later = now + dt.timedelta(seconds=services.settings.CHAT_LEASE_SECONDS + 1)
    services.chat_sweep(now=later)
    services.chat_sweep(now=later + dt.timedelta(minutes=1))
    assert len(receiver.log) == 1
    assert _delivery().status == ChatDelivery.Status.SENT


def test_a_second_worker_cannot_claim_a_delivery_in_flight(
    monkeypatch, receiver, teams_channel, coming_up
):
    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    real_post = webhooks.post
    others = []

    def post_while_another_worker_tries(*args, **kwargs):
        others.append(services.delivery_send(delivery_id=_delivery().pk))
        return real_post(*args, **kwargs)

    monkeypatch.setattr(webhooks, "post", post_while_another_worker_tries)
    services.chat_sweep()
    assert others == [""]
    assert len(receiver.log) == 1


def test_planning_twice_makes_no_second_notice_or_delivery(teams_channel, coming_up):
    now = timezone.now()
    assert services.notices_plan(now=now) == 1
    assert services.notices_plan(now=now) == 0
    assert ChatNotice.objects.count() == 1 and ChatDelivery.objects.count() == 1


def test_the_sweep_task_hands_due_deliveries_to_the_delivery_task(
    monkeypatch, receiver, teams_channel, coming_up
):
    from chat import tasks

    receiver.expect_request("/teams-hook").respond_with_data("", status=202)
    handed = []
    monkeypatch.setattr(tasks.deliver_chat, "delay", handed.append)
    tasks.sweep_chat.apply()
    assert handed == [_delivery().pk]
    assert tasks.deliver_chat.apply(args=[handed[0]]).get() == ChatDelivery.Status.SENT
    assert tasks.deliver_chat.apply(args=[handed[0]]).get() == ""  # a repeated message
    assert len(receiver.log) == 1


def test_a_reminder_still_retrying_when_the_session_starts_is_dropped(
    receiver, teams_channel, coming_up
):
    receiver.expect_request("/teams-hook").respond_with_data("", status=503)
    now = timezone.now()
    services.chat_sweep(now=now)
    services.chat_sweep(now=coming_up.starts_at + dt.timedelta(minutes=1))
    assert len(receiver.log) == 1
    assert _delivery().status == ChatDelivery.Status.CANCELLED
