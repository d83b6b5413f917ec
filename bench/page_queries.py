"""Query count and warm in-process time of each main page on the bench/generate.py data.

    .venv/bin/python bench/page_queries.py            # BENCH_DATA_URL, BENCH_REDIS_URL
    .venv/bin/python bench/page_queries.py --runs 15 --pages floor "team feed"
    .venv/bin/python bench/page_queries.py --profile "team feed"   # cProfile, top functions

The pages and people are those of bench/load.py (a supervisor, an employee, HR); requests go
through the whole Django stack with the test client, with Redis as the cache (so sessions are
read as in production). The first request of each page warms caches and is not counted.
Per page: queries, median and minimum wall time with the minimum as a multiple of the floor
page's, and the median CPU time of this process (the web worker's share: no database
server time) as a multiple of the floor page's.
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
    "BENCH_DATA_URL", "postgres://postgres@127.0.0.1:5432/ll_bench_data"
)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["BENCH_FLOOR"] = "1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", help="only these pages (the floor always runs)")
    parser.add_argument("--profile", help="profile this page over the runs instead")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reflections import services
    from reflections.models import Session
    from teams.models import User

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    employee = User.objects.get(username="bench-u-1")
    supervisor = User.objects.get(username="bench-sup-0")
    hr = User.objects.get(username="bench-hr")
    team = employee.memberships.get().team_id
    session = Session.objects.filter(team_id=team, status="held").order_by("-starts_at").first().pk
    feed = services.feed_for_user(user=employee).token
    # The questions list and session pages are filled by their writers and each night
    # (docs/caching.md); the generated data had neither.
    from reflections import question_page, session_page

    question_page.fill(team)
    session_page.fill(session)
    pages = [
        ("floor", employee, "/bench/floor/"),
        ("dashboard", employee, "/"),
        ("team feed", employee, f"/teams/{team}/thoughts/"),
        ("session page", employee, f"/sessions/{session}/"),
        ("session page, supervisor", supervisor, f"/sessions/{session}/"),
        ("questions", employee, f"/teams/{team}/questions/"),
        ("questions, supervisor", supervisor, f"/teams/{team}/questions/"),
        ("direction", supervisor, f"/teams/{team}/direction/"),
        ("my learning", employee, "/learning/"),
        ("inbox", employee, "/notifications/"),
        ("calendar links", employee, "/calendar/"),
        ("ICS feed", None, f"/calendar/{feed}.ics"),
        ("HR report", hr, "/reports/"),
    ]
    if args.profile:
        _profile(next(page for page in pages if page[0] == args.profile), args.runs, Client)
        return
    if args.pages:
        pages = [page for page in pages if page[0] == "floor" or page[0] in args.pages]
    header = f"{'page':<26}{'queries':>8}{'median ms':>11}{'min ms':>8}{'x floor':>9}"
    print(header + f"{'cpu ms':>8}{'x floor':>9}")
    floor = floor_cpu = None
    for name, user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        assert client.get(url, secure=True).status_code == 200, url  # warm
        timings, cpu = [], []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, url
        queries = len(captured.captured_queries)
        floor, floor_cpu = floor or min(timings), floor_cpu or statistics.median(cpu)
        print(
            f"{name:<26}{queries:>8}{statistics.median(timings):>11.1f}{min(timings):>8.1f}"
            f"{min(timings) / floor:>9.2f}{statistics.median(cpu):>8.1f}"
            f"{statistics.median(cpu) / floor_cpu:>9.2f}"
        )


def _profile(page, runs: int, client_class) -> None:
    import cProfile
    import pstats

    name, user, url = page
    client = client_class()
    if user is not None:
        client.force_login(user)
    assert client.get(url, secure=True).status_code == 200, url  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url, secure=True)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
