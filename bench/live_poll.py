"""What the live session's polling costs: 50 sessions of 8 people, each browser asking every
2 s (issue #21).

    .venv/bin/python bench/live_poll.py             # BENCH_LIVE_URL, BENCH_REDIS_URL
    .venv/bin/python bench/live_poll.py --runs 200

Builds its own small database (migrated afresh, then filled: 50 teams of 8, one session each
run live, in the discussion with 8 revealed cards) and asks the poll through the whole Django
stack with the test client: the 204 a current browser gets, and the 200 with the fragment a
browser gets after a change. Per answer: queries, median wall and CPU time of this process
(the web worker's share; no database server time). Then the figure for 50 sessions of 8:
400 browsers every 2 s are 200 polls a second, nearly all 204s; a change in one session sends
8 fragments.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_lead.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_LIVE_URL", "postgres://postgres@127.0.0.1:5432/ll_bench_live"
)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

SESSIONS, PEOPLE, POLL_SECONDS = 50, 8, 2


def _database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}"')


def _fill():
    from datetime import timedelta

    from django.utils import timezone

    from reflections import live_services
    from reflections import services as reflections
    from teams import services as teams
    from teams.models import Organization, User

    org = Organization.objects.create(name="Bench", slug="bench")
    people = []
    for number in range(SESSIONS):
        team = teams.team_create(organization=org, name=f"Team {number}")
        members = [
            User.objects.create_user(
                username=f"live-{number}-{index}", organization=org, password=None
            )
            for index in range(PEOPLE)
        ]
        for index, user in enumerate(members):
            role = "supervisor" if index == 0 else "member"
            teams.membership_set(team=team, user=user, role=role)
        session = reflections.session_add(
            team=team,
            title="Retro",
            starts_at=timezone.now() - timedelta(minutes=10),
            duration_minutes=60,
            time_zone="Europe/Helsinki",
            prompt_keys=["learned", "next"],
        )
        live = live_services.live_start(session=session, user=members[0])
        live = live_services.live_next_phase(live=live, user=members[0])
        for user in members:
            live_services.live_card_write(
                live=live, user=user, body="A thought " * 8, prompt=None, named=False
            )
        while live.phase != "discuss":
            live = live_services.live_next_phase(live=live, user=members[0])
        people.append((session.pk, live.version, members))
    return people


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    _database()
    connection.close()
    call_command("migrate", verbosity=0)
    sessions = _fill()
    results = {}
    for label, stale in (("204, current", False), ("200, after a change", True)):
        wall, cpu, queries = [], [], 0
        for run in range(args.runs):
            session, version, members = sessions[run % SESSIONS]
            client = Client()
            client.force_login(members[run % PEOPLE])
            url = f"/sessions/{session}/live/?v={version - 1 if stale else version}"
            assert client.get(url, secure=True).status_code in (200, 204)  # warm
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, secure=True)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == (200 if stale else 204), (url, response.status_code)
            queries = len(captured.captured_queries)
        results[label] = statistics.median(cpu)
        print(
            f"{label:<22} queries {queries:>3}  median wall {statistics.median(wall):6.1f} ms"
            f"  median cpu {statistics.median(cpu):6.1f} ms"
        )
    rate = SESSIONS * PEOPLE / POLL_SECONDS
    busy = rate * results["204, current"] / 1000
    print(
        f"{SESSIONS} sessions of {PEOPLE}: {rate:.0f} polls/s; nearly all 204s need about "
        f"{busy:.2f} CPU cores of web workers (this process's share), plus "
        f"{PEOPLE * results['200, after a change']:.0f} ms CPU for each change in a session"
    )


if __name__ == "__main__":
    main()
