"""Benchmark: 10,000 due reminders, one sweep end to end, with its query count.

    make bench-reminders          # or: .venv/bin/python bench/reminders_sweep.py [--reminders N]

Uses its own PostgreSQL database (BENCH_DATABASE_URL, default ll_bench on 127.0.0.1), the
in-memory e-mail backend (our code, not an SMTP server, is measured) and prints the median of
--runs runs (default 3), each on freshly created rows.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_lead.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ll_bench"
)
os.environ["EMAIL_URL"] = "memory:"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.pop("REDIS_URL", None)


def ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def build(reminders: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from notifications.models import Reminder
    from reflections.models import Prompt, Session
    from teams.models import Membership, Organization, Team, User

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_notification, notifications_reminder, reflections_prompt, "
            "reflections_session, teams_membership, teams_team, teams_user, "
            "teams_organization CASCADE"
        )
    people_per_team, sessions_per_team = 100, 10
    teams_needed = max(1, reminders // (people_per_team * sessions_per_team))
    org = Organization.objects.create(name="Bench", slug="bench")
    password = make_password("bench")
    users = User.objects.bulk_create(
        [
            User(
                username=f"u{i}",
                email=f"u{i}@bench.example",
                organization=org,
                password=password,
                language="fi" if i % 2 else "en",
            )
            for i in range(teams_needed * people_per_team)
        ]
    )
    now = timezone.now()
    for t in range(teams_needed):
        team = Team.objects.create(organization=org, name=f"Team {t}")
        members = users[t * people_per_team : (t + 1) * people_per_team]
        Membership.objects.bulk_create([Membership(team=team, user=u) for u in members])
        sessions = Session.objects.bulk_create(
            [
                Session(
                    team=team,
                    title=f"Reflection {s}",
                    time_zone="Europe/Helsinki",
                    starts_at=now + timedelta(hours=2, minutes=s),
                    ends_at=now + timedelta(hours=2, minutes=s + 30),
                )
                for s in range(sessions_per_team)
            ]
        )
        Prompt.objects.bulk_create(
            [
                Prompt(session=s, builtin_key=k, position=i)
                for s in sessions
                for i, k in enumerate(["learned", "unfinished", "next"])
            ]
        )
        Reminder.objects.bulk_create(
            [
                Reminder(session=s, user=u, kind="before", due_at=now - timedelta(minutes=1))
                for s in sessions
                for u in members
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import services
    from notifications.models import Reminder

    call_command("migrate", verbosity=0)
    timings, queries = [], []
    for run in range(args.runs):
        build(args.reminders)
        mail.outbox = []
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = services.reminders_sweep(budget=600)
            elapsed = time.perf_counter() - started
        due = Reminder.objects.filter(status="pending").count()
        assert due == 0 and result.sent == args.reminders, (result, due)
        assert len(mail.outbox) == args.reminders
        timings.append(elapsed)
        queries.append(len(captured.captured_queries))
        print(
            f"run {run + 1}: {result.sent} sent in {elapsed:.2f} s, "
            f"{len(captured.captured_queries)} queries"
        )
    median = statistics.median(timings)
    print(
        f"median {median:.2f} s for {args.reminders} reminders "
        f"({args.reminders / median:.0f} per second), {int(statistics.median(queries))} queries "
        f"({statistics.median(queries) / args.reminders:.2f} per reminder)"
    )


if __name__ == "__main__":
    main()
