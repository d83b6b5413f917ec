"""Times HR's report page warm on the bench data and counts its queries and cells.

    BENCH_DATA_URL=postgres://postgres@127.0.0.1:5432/ll_bench_data \
        .venv/bin/python bench/report_timing.py --runs 20

Renders `/reports/` (whole organisation, every preset period) through Django's test client
as `bench-hr`, after one unmeasured request per period (months sealed and published, caches
warm); prints the median and the slowest time, the queries of one request, and how many
report cells are shown and hidden."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_lead.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATA_URL", "postgres://postgres@127.0.0.1:5432/ll_bench_data"
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from reports import report, rollups  # noqa: E402
from reports.periods import period_for  # noqa: E402
from teams.models import User  # noqa: E402


def cells(org, kind: str) -> tuple[int, int]:
    result = report.build(
        organization=org, team_ids=None, period=period_for(kind, rollups.last_published(org))
    )
    shown = hidden = 0
    for table in result.tables:
        for row in table.rows:
            for value in row:
                if isinstance(value, report.Cell):
                    hidden += value.hidden
                    shown += value.value is not None and not value.hidden
    return shown, hidden


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    hr = User.objects.get(username="bench-hr")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(hr)
    for kind in ("month", "quarter", "year"):
        url = f"/reports/?period={kind}"
        assert client.get(url).status_code == 200  # seals what is due, warms up
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        shown, hidden = cells(hr.organization, kind)
        print(
            f"{kind:8} median {statistics.median(times):6.1f} ms  max {max(times):6.1f} ms  "
            f"queries {len(queries.captured_queries):2}  cells shown {shown} hidden {hidden}"
        )


if __name__ == "__main__":
    main()
