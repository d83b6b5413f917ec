"""Benchmark: the HR report, warm, on the data of bench/generate.py.

    .venv/bin/python bench/generate.py          # once: 1,000 teams, 1,000,000 thoughts, ...
    .venv/bin/python bench/report_timing.py     # median of --runs warm requests per page

Requests go through the whole Django stack (middleware, view, template) with the test client,
signed in as bench-hr; the first request of each page warms caches (and seals any month that
has become due) and is not counted. Then, for the whole organisation and each preset period,
how many report cells are shown and how many hidden.
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
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ.pop("REDIS_URL", None)

PAGES = {
    "report, last 3 months": "/reports/",
    "report, last 12 months": "/reports/?period=year",
    "report, 20 teams, 12 months": None,  # filled in with team ids below
    "CSV, last 12 months": "/reports/report.csv?period=year",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reflections.models import Thought
    from teams.models import Team, User

    # The page's static links need no collected manifest for timing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(User.objects.get(username="bench-hr"))
    team_ids = list(Team.objects.order_by("pk").values_list("pk", flat=True)[:20])
    PAGES["report, 20 teams, 12 months"] = "/reports/?period=year&" + "&".join(
        f"teams={pk}" for pk in team_ids
    )
    print(f"data: {Team.objects.count():,} teams, {Thought.objects.count():,} thoughts")
    for name, url in PAGES.items():
        assert client.get(url).status_code == 200, url  # warm
        timings, cpu, database = [], [], []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            database.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            assert response.status_code == 200
        # On a shared machine the wall clock moves with other load; the web process's own CPU
        # time and the time spent waiting on queries say where it goes.
        print(
            f"{name}: median {statistics.median(timings):.0f} ms, "
            f"p90 {sorted(timings)[int(len(timings) * 0.9) - 1]:.0f} ms, "
            f"{len(captured.captured_queries)} queries "
            f"(median web CPU {statistics.median(cpu):.0f} ms, "
            f"in queries {statistics.median(database):.0f} ms)"
        )

    from reports import report, rollups
    from reports.periods import period_for

    organization = User.objects.get(username="bench-hr").organization
    for kind in ("month", "quarter", "year"):
        period = period_for(kind, rollups.last_published(organization))
        result = report.build(organization=organization, team_ids=None, period=period)
        cells = [
            value
            for table in result.tables
            for row in table.rows
            for value in row
            if isinstance(value, report.Cell) and (value.hidden or value.value is not None)
        ]
        hidden = sum(cell.hidden for cell in cells)
        print(f"cells, {kind}: {len(cells) - hidden} shown, {hidden} hidden")


if __name__ == "__main__":
    main()
