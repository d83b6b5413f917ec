"""The reminder sweep on SQLite (the embedded default `make run` uses): the same ORM code as on
PostgreSQL, run in separate processes on a SQLite file (tests/notifications/sqlite_sweep.py),
delivers each reminder exactly once: swept twice, two sweeps at once, a sweep that died
holding its claims. Checked in the database file and in the e-mail files."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from tests.notifications.sqlite_sweep import EXPECTED, PEOPLE

SCRIPT = Path(__file__).with_name("sqlite_sweep.py")
TIMEOUT = 300
# Each test starts sweeps in processes of its own (about half a minute in all): `make test` runs
# them, `make test-fast` leaves them out.
pytestmark = pytest.mark.processes


def run(database: Path, mail_dir: Path, *args: str, delay: float = 0.0) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "MAIL_DIR": str(mail_dir),
        "MAIL_DELAY": str(delay),
        "DJANGO_SETTINGS_MODULE": "learning_lead.settings",
    }
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, err
    return json.loads(out) if out.strip() else {}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A migrated SQLite file with a team, its people and sessions (migrating takes a while,
    so once; each test sweeps a copy)."""
    directory = tmp_path_factory.mktemp("sqlite")
    database = directory / "template.sqlite3"
    finish(run(database, directory, "setup"))
    return database


@pytest.fixture
def embedded(template, tmp_path) -> tuple[Path, Path]:
    database = tmp_path / "db.sqlite3"
    shutil.copy(template, database)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    return database, mail_dir


def assert_each_delivered_once(database: Path, mail_dir: Path) -> None:
    with sqlite3.connect(database) as db:
        reminders = dict(db.execute("SELECT id, status FROM notifications_reminder"))
        kinds = Counter(kind for (kind,) in db.execute("SELECT kind FROM notifications_reminder"))
        notified = Counter(
            pk
            for (pk,) in db.execute(
                "SELECT reminder_id FROM notifications_notification WHERE reminder_id IS NOT NULL"
            )
        )
    assert kinds == {"before": EXPECTED - 4, "nudge": 3, "lapse": 1}
    assert set(reminders.values()) == {"sent"}
    assert set(notified) == set(reminders) and set(notified.values()) == {1}
    sent = Counter()
    for path in mail_dir.glob("*.eml"):
        sent.update(
            re.findall(r"^Message-ID: <reminder-(\d+)@learning-lead>", path.read_text(), re.M)
        )
    assert {int(pk) for pk in sent} == set(reminders) and set(sent.values()) == {1}


def test_sweeping_twice_sends_each_reminder_once(embedded):
    database, mail_dir = embedded
    first = finish(run(database, mail_dir, "sweep"))
    assert first["planned"] == EXPECTED and first["sent"] == EXPECTED
    second = finish(run(database, mail_dir, "sweep"))
    assert second["planned"] == 0 and second["sent"] == 0
    assert_each_delivered_once(database, mail_dir)


def test_two_sweeps_at_once_send_each_reminder_once(embedded):
    database, mail_dir = embedded
    sweeps = [run(database, mail_dir, "sweep", delay=0.01) for _ in range(2)]
    results = [finish(sweep) for sweep in sweeps]
    assert sum(result["sent"] for result in results) == EXPECTED
    assert_each_delivered_once(database, mail_dir)


def test_claims_of_a_sweep_that_died_are_sent_once_after_the_lease(embedded):
    database, mail_dir = embedded
    assert finish(run(database, mail_dir, "claim")) == {"claimed": EXPECTED}
    assert finish(run(database, mail_dir, "sweep"))["sent"] == 0  # still leased
    assert finish(run(database, mail_dir, "sweep", "--after-lease"))["sent"] == EXPECTED
    assert_each_delivered_once(database, mail_dir)


def test_notices_of_a_moved_and_a_skipped_session_are_sent_once(embedded):
    database, mail_dir = embedded
    assert finish(run(database, mail_dir, "sweep"))["sent"] == EXPECTED
    finish(run(database, mail_dir, "move"))
    sweeps = [run(database, mail_dir, "sweep", delay=0.01) for _ in range(2)]
    assert sum(finish(sweep)["sent"] for sweep in sweeps) == 2 * PEOPLE
    assert finish(run(database, mail_dir, "sweep"))["sent"] == 0
    with sqlite3.connect(database) as db:
        notices = Counter(
            db.execute(
                "SELECT kind, status FROM notifications_reminder WHERE kind IN ('moved', 'cancel')"
            )
        )
    assert notices == {("moved", "sent"): PEOPLE, ("cancel", "sent"): PEOPLE}
    sent = Counter()
    for path in mail_dir.glob("*.eml"):
        sent.update(re.findall(r"^Message-ID: (<reminder-\d+@\S+>)", path.read_text(), re.M))
    assert len(sent) == EXPECTED + 2 * PEOPLE and set(sent.values()) == {1}
