"""Reminders delivered by real Celery workers through a real Redis, under failure.

Each test starts its own redis-server (so it can restart it) and `celery worker` processes
that use the test database. Delivery is checked in the database (one in-app notification per
reminder, every reminder marked sent) and in the e-mail files (one Message-ID per reminder).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import Notification, Reminder
from reflections import services as reflections
from reflections.models import Session
from teams import services as teams
from teams.models import Organization
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]
TIMEOUT = 60
CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = TIMEOUT, every: float = 0.2, tick=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if tick:
            tick()
        time.sleep(every)
    raise AssertionError("timed out waiting")


class RedisServer:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Workers:
    def __init__(self, redis: RedisServer, mail_dir: Path, delay: float):
        db = connection.settings_dict
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis.url,
            "PYTEST_XDIST_WORKER": "",  # the throwaway Redis is this test's alone
            "MAIL_DIR": str(mail_dir),
            "MAIL_DELAY": str(delay),
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        self.processes: list[subprocess.Popen] = []
        self.client = Celery(broker=redis.url)

    def start(self) -> subprocess.Popen:
        name = f"w{len(self.processes)}-{os.getpid()}@%h"
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "learning_lead",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "warning",
                "-n",
                name,
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env,
            cwd=settings.BASE_DIR,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def sweep(self) -> None:
        self.client.send_task("notifications.tasks.sweep_reminders")

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def workers_factory(redis_server, mail_dir):
    made = []

    def make(delay: float = 0.0) -> Workers:
        workers = Workers(redis_server, mail_dir, delay)
        made.append(workers)
        return workers

    yield make
    for workers in made:
        workers.stop_all()


def many_due_reminders(sessions: int = 8, people: int = 25) -> int:
    org = Organization.objects.create(name="Load", slug="load")
    team = teams.team_create(organization=org, name="Big team")
    for index in range(people):
        teams.membership_set(team=team, user=make_user(org, f"load{index}"), role="member")
    for index in range(sessions):
        reflections.session_add(
            team=team,
            title=f"Session {index}",
            starts_at=timezone.now() + timedelta(minutes=30 + index),
            duration_minutes=30,
            time_zone="Europe/Helsinki",
        )
    return sessions * people


def sent_count() -> int:
    return Reminder.objects.filter(status=Reminder.Status.SENT).count()


def message_ids(mail_dir: Path) -> Counter:
    found = Counter()
    for path in mail_dir.glob("*.eml"):
        found.update(
            re.findall(r"^Message-ID: (<reminder-\d+@learning-lead>)", path.read_text(), re.M)
        )
    return found


def assert_each_delivered(expected: int, mail_dir: Path, *, duplicates_allowed: int = 0) -> None:
    reminders = set(Reminder.objects.values_list("pk", flat=True))
    assert len(reminders) == expected
    assert Reminder.objects.exclude(status=Reminder.Status.SENT).count() == 0
    notified = Counter(Notification.objects.values_list("reminder_id", flat=True))
    assert set(notified) == reminders and set(notified.values()) == {1}
    ids = message_ids(mail_dir)
    assert set(ids) == {f"<reminder-{pk}@learning-lead>" for pk in reminders}
    assert sum(count - 1 for count in ids.values()) <= duplicates_allowed


def test_reminders_for_many_sessions_are_each_delivered_once(workers_factory, mail_dir):
    expected = many_due_reminders()
    workers = workers_factory()
    workers.start()
    workers.sweep()
    wait_for(lambda: sent_count() == expected)
    assert_each_delivered(expected, mail_dir)


def test_worker_killed_mid_batch_and_restarted_delivers_the_rest_once(workers_factory, mail_dir):
    expected = many_due_reminders()
    workers = workers_factory(delay=0.03)
    first = workers.start()
    workers.sweep()
    wait_for(lambda: sent_count() >= 40)
    workers.kill(first)
    assert sent_count() < expected, "the kill came mid-sweep"
    assert Reminder.objects.filter(status=Reminder.Status.SENDING).exists()
    workers.start()
    # Beat would send a sweep every minute; here one every second, so the dead worker's
    # lease (2 s in these tests) runs out and its rows are claimed again.
    wait_for(lambda: sent_count() == expected, every=1.0, tick=workers.sweep)
    # At most the one e-mail in flight at the kill is repeated, with the same Message-ID.
    assert_each_delivered(expected, mail_dir, duplicates_allowed=1)


def test_two_workers_sweeping_at_once_deliver_each_once(workers_factory, mail_dir):
    expected = many_due_reminders()
    workers = workers_factory(delay=0.005)
    workers.start()
    workers.start()
    for _ in range(4):
        workers.sweep()
    wait_for(lambda: sent_count() == expected)
    assert_each_delivered(expected, mail_dir)


def test_redis_restart_in_the_middle_loses_nothing(workers_factory, redis_server, mail_dir):
    expected = many_due_reminders()
    workers = workers_factory(delay=0.02)
    workers.start()
    workers.sweep()
    wait_for(lambda: sent_count() >= 20)
    redis_server.stop()  # queued and unacknowledged messages are gone with it
    redis_server.start()
    wait_for(lambda: sent_count() == expected, every=1.0, tick=workers.sweep)
    assert_each_delivered(expected, mail_dir)


def test_moved_sessions_notice_goes_out_once_across_two_sweeps_and_a_worker_restart(
    workers_factory, mail_dir
):
    reminded = many_due_reminders(sessions=4)
    workers = workers_factory(delay=0.03)
    first = workers.start()
    workers.sweep()
    wait_for(lambda: sent_count() == reminded)
    for session in Session.objects.all():
        reflections.session_move(
            session=session,
            starts_at=session.starts_at + timedelta(hours=2),
            duration_minutes=30,
            location="",
            video_url="",
        )
    expected = 2 * reminded  # one notice per person reminded
    workers.sweep()
    workers.sweep()  # a second sweep at once: nothing is planned or claimed twice
    wait_for(lambda: sent_count() >= reminded + 20)
    workers.kill(first)
    assert sent_count() < expected, "the kill came mid-sweep"
    workers.start()
    wait_for(lambda: sent_count() == expected, every=1.0, tick=workers.sweep)
    for _ in range(2):  # later sweeps find nothing more to tell
        workers.sweep()
    time.sleep(2)
    assert Reminder.objects.filter(kind=Reminder.Kind.MOVED).count() == reminded
    assert_each_delivered(expected, mail_dir, duplicates_allowed=1)
