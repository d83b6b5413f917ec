"""Benchmark: 10,000 due reminders, one sweep end to end, with its query count.

    make bench-reminders    # or: .venv/bin/python bench/reminders_sweep.py [--reminders N]
    make bench-reminders BENCH_ARGS="--runs 5"

Three figures, each the median of --runs runs (default 3) on freshly created rows:
- sweep: planning and claiming every due reminder into batches (what beat runs each minute);
- deliver, 1 process: the sweep delivering every batch itself (`run_reminders`, no Redis);
- deliver, N processes: the claimed batches delivered by --workers processes at once, as
  Celery worker processes do (default 2, the cores of this machine).
Uses its own PostgreSQL database (BENCH_DATABASE_URL, default ll_bench on 127.0.0.1) and
Django's SMTP backend with a connection that accepts everything (bench/null_smtp.py), so our
code is measured, including serialising each message as SMTP does, and no mail server is.
"""

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_lead.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ll_bench"
)
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


@contextmanager
def count_queries(connection):
    """Counts statements through an execute wrapper: unlike CaptureQueriesContext it keeps
    no SQL text (its log stops at 9,000 queries) and adds next to no time."""
    counted = [0]

    def wrapper(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counted


def deliver_batch(args: tuple[str, list[int]]) -> int:
    from django.utils import timezone

    from notifications import services

    token, ids = args
    return services.reminders_deliver(token=token, ids=ids, now=timezone.now())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="mark reminders sent with REMINDER_ASYNC_COMMIT (no disk flush per mark)",
    )
    parser.add_argument(
        "--orm-mark",
        action="store_true",
        help="mark each reminder sent with the ORM path other databases take (BEGIN, UPDATE, "
        "INSERT, COMMIT) instead of PostgreSQL's one statement: what that statement saves",
    )
    parser.add_argument(
        "--django-email",
        action="store_true",
        help="build each e-mail with Django's EmailMultiAlternatives (Python's email package) "
        "instead of notifications/mime.py: what mime.py saves",
    )
    args = parser.parse_args()
    os.environ["REMINDER_ASYNC_COMMIT"] = "1" if args.async_commit else "0"
    ensure_database()
    import multiprocessing

    import django

    django.setup()
    from django.urls import get_resolver

    # A worker process imports the URLconf once, at its first reverse(); load it here, so no
    # run's time includes that one-off import (0.2 to 0.6 s, growing with the apps).
    len(get_resolver().url_patterns)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from notifications import emails, services
    from notifications.models import Reminder

    if args.orm_mark:
        services._mark_sent = lambda reminder, *, token, now, in_app: services._mark_sent_orm(
            reminder, token=token, now=now, in_app=in_app
        )
    if args.django_email:
        from django.core.mail import EmailMultiAlternatives

        emails.FastEmail = EmailMultiAlternatives
    call_command("migrate", verbosity=0)
    settings.MAILERS = {"default": {"BACKEND": "null_smtp.EmailBackend", "OPTIONS": {"host": "-"}}}
    import null_smtp

    figures = {"sweep": [], "deliver, 1 process": [], f"deliver, {args.workers} processes": []}
    queries = {}
    cpu_seconds = []  # this process's CPU time in the 1-process run (the database's is not)
    for run in range(args.runs):
        # Sweep (plan + claim) alone, batches collected instead of handed to workers.
        build(args.reminders)
        batches = []
        with count_queries(connection) as counted:
            started = time.perf_counter()
            services.reminders_sweep(
                budget=600, dispatch=lambda t, i, sink=batches: sink.append((t, i))
            )
            figures["sweep"].append(time.perf_counter() - started)
        queries["sweep"] = counted[0]
        assert sum(len(ids) for _, ids in batches) == args.reminders
        # The same batches delivered by parallel processes, as Celery worker processes do.
        connections.close_all()
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            sent = sum(pool.map(deliver_batch, batches, chunksize=1))
        figures[f"deliver, {args.workers} processes"].append(time.perf_counter() - started)
        assert sent == args.reminders, sent
        # One process sweeping and delivering everything itself (run_reminders, no Redis).
        build(args.reminders)
        null_smtp.sent = 0
        with count_queries(connection) as counted:
            started, cpu = time.perf_counter(), time.process_time()
            result = services.reminders_sweep(budget=600)
            figures["deliver, 1 process"].append(time.perf_counter() - started)
            cpu_seconds.append(time.process_time() - cpu)
        queries["deliver, 1 process"] = counted[0]
        assert result.sent == args.reminders and null_smtp.sent == args.reminders
        assert not Reminder.objects.exclude(status="sent").exists()
        print(
            f"run {run + 1}: "
            + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in figures.items())
            + f" (CPU {cpu_seconds[-1]:.2f} s)"
        )
    print(f"median of {args.runs} runs, {args.reminders} due reminders:")
    for name, values in figures.items():
        median = statistics.median(values)
        extra = f", {queries[name]} queries" if name in queries else ""
        print(f"  {name}: {median:.2f} s ({args.reminders / median:.0f} per second{extra})")
    cpu = statistics.median(cpu_seconds)
    print(f"  CPU of the 1-process run: {cpu:.2f} s ({cpu / args.reminders * 1000:.2f} ms each)")


if __name__ == "__main__":
    main()
