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

    .venv/bin/python bench/live_poll.py --base http://127.0.0.1:8021 --server-pid PID

The same 400 browsers against a running server (bench/serve.sh, gunicorn with production
settings) on the bench data (BENCH_DATA_URL, the server's database, not emptied): 50 of its
teams each get a new session run live to the discussion with 8 revealed cards, their supervisor
and 7 members are signed in through the session store (no password hashing), then each of the
400 polls once unmeasured (a warm-up) and then its session every 2 s from a random start for
--duration seconds (an open loop: 200 polls a second whatever the answers do, latency from
the scheduled time). Prints answered
polls per second, p50/p95/p99 latency and, with --server-pid (gunicorn's master), the CPU time
gunicorn's workers used during the run (from /proc), per poll and in cores.
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
HTTP = "--base" in sys.argv  # against a running server, on its database
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATA_URL", "postgres://postgres@127.0.0.1:5432/ll_bench_data")
    if HTTP
    else os.environ.get("BENCH_LIVE_URL", "postgres://postgres@127.0.0.1:5432/ll_bench_live")
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


def _live_on_bench_teams(sessions: int):
    """50 teams of the bench data, each with a new session run live to the discussion with 8
    revealed cards; per session its pk, version and 8 people (the supervisor and 7 members)."""
    from datetime import timedelta

    from django.utils import timezone

    from reflections import live_services
    from reflections import services as reflections
    from teams.models import Membership, Team

    people = []
    for team in Team.objects.order_by("pk")[:sessions]:
        memberships = Membership.objects.filter(team=team).select_related("user")
        lead = memberships.get(role="supervisor").user
        members = [lead, *[m.user for m in memberships.filter(role="member")[: PEOPLE - 1]]]
        session = reflections.session_add(
            team=team,
            title="Live retro (bench)",
            starts_at=timezone.now() - timedelta(minutes=10),
            duration_minutes=60,
            time_zone=team.time_zone,
            prompt_keys=[],
        )
        live = live_services.live_start(session=session, user=lead)
        live = live_services.live_next_phase(live=live, user=lead)
        for user in members:
            live_services.live_card_write(
                live=live, user=user, body="A thought " * 8, prompt=None, named=False
            )
        while live.phase != "discuss":
            live = live_services.live_next_phase(live=live, user=lead)
        people.append((session.pk, live.version, members))
    return people


def _cookies(user) -> dict[str, str]:
    """A signed-in browser's cookies, made through the session store the server reads."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _worker_cpu_seconds(master: int) -> float:
    """User plus system CPU time of the children of gunicorn's master (its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid; utime and stime are fields 14 and 15
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine (all cores, everyone's work)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


async def _poll_load(base: str, browsers, duration: float, timeout: float, snapshot):
    """The open loop; `snapshot()` is called after the warm-up and at the end (CPU counters)."""
    import asyncio
    import random

    from load import Client as HttpClient

    client = HttpClient(base, timeout)
    latencies, statuses = [], {}
    rng = random.Random(21)
    tasks = set()

    async def poll(scheduled: float, path: str, cookies: dict[str, str]) -> None:
        sent = time.perf_counter()
        try:
            response = await client.request(path, cookies=cookies, read_body=False)
            status = str(response.status)
        except (OSError, TimeoutError, ConnectionError, ValueError) as error:
            status = type(error).__name__
        statuses[status] = statuses.get(status, 0) + 1
        done = time.perf_counter()
        latencies.append((done - scheduled, done - sent, status == "204"))

    # Warm-up, unmeasured: each browser's first poll, 8 at a time, so that no worker answers
    # its first requests (URLs, templates, connections) during the measured run.
    semaphore = asyncio.Semaphore(8)

    async def first(path: str, cookies: dict[str, str]) -> None:
        async with semaphore:
            await client.request(path, cookies=cookies, read_body=False)

    await asyncio.gather(*(first(path, cookies) for path, cookies in browsers))
    before = snapshot()
    started = time.perf_counter() + 0.5
    schedule = []
    for path, cookies in browsers:  # each browser every POLL_SECONDS from its own start
        at = rng.uniform(0, POLL_SECONDS)
        while at < duration:
            schedule.append((at, path, cookies))
            at += POLL_SECONDS
    schedule.sort(key=lambda item: item[0])
    lag = 0.0
    for at, path, cookies in schedule:
        scheduled = started + at
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            lag = max(lag, -delay)
        task = asyncio.create_task(poll(scheduled, path, cookies))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    return latencies, statuses, time.perf_counter() - started, lag, before, snapshot()


def http_main(args) -> None:
    import asyncio
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    sys.path.insert(0, str(ROOT / "bench"))
    from load import percentile

    began = time.perf_counter()
    sessions = _live_on_bench_teams(args.sessions)
    browsers = [
        (f"/sessions/{session}/live/?v={version}", _cookies(user))
        for session, version, members in sessions
        for user in members
    ]
    print(
        f"{len(sessions)} live sessions, {len(browsers)} browsers signed in "
        f"in {time.perf_counter() - began:.0f} s; polling every {POLL_SECONDS} s "
        f"({len(browsers) / POLL_SECONDS:.0f} polls/s offered) for {args.duration:.0f} s"
    )

    def snapshot():
        workers = _worker_cpu_seconds(args.server_pid) if args.server_pid else 0.0
        return os.getloadavg(), workers, time.process_time(), _machine_ticks()

    latencies, statuses, elapsed, lag, before, after = asyncio.run(
        _poll_load(args.base, browsers, args.duration, args.timeout, snapshot)
    )
    load_before, load_after = before[0], after[0]
    cpu = after[1] - before[1] if args.server_pid else None
    own = after[2] - before[2]
    busy, total = (a - b for a, b in zip(after[3], before[3], strict=True))
    answered = [latency * 1000 for latency, _, ok in latencies if ok]
    from_sent = [latency * 1000 for _, latency, ok in latencies if ok]
    print(f"answers: {dict(sorted(statuses.items()))}")
    print(
        f"{len(answered) / elapsed:.1f} polls/s answered 204 over {elapsed:.1f} s; latency "
        f"p50 {percentile(answered, 50):.1f} ms, p95 {percentile(answered, 95):.1f} ms, "
        f"p99 {percentile(answered, 99):.1f} ms from the scheduled time; from the moment sent "
        f"p50 {percentile(from_sent, 50):.1f} ms, p95 {percentile(from_sent, 95):.1f} ms"
    )
    if cpu is not None:
        print(
            f"gunicorn workers' CPU: {cpu:.1f} s in {elapsed:.1f} s = {cpu / elapsed:.2f} cores, "
            f"{cpu * 1000 / max(1, len(latencies)):.2f} ms per poll"
        )
    print(
        f"load generator's own CPU: {own:.1f} s; the whole machine (everyone) was "
        f"{100 * busy / total:.0f} % busy"
    )
    if lag > 0.05:
        print(f"note: the load generator started polls up to {lag * 1000:.0f} ms late")
    print(
        "load average before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in load_after)
        + f", {os.cpu_count()} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--base", help="a running server (bench/serve.sh) to poll over HTTP")
    parser.add_argument("--server-pid", type=int, help="gunicorn's master, for its workers' CPU")
    parser.add_argument("--duration", type=float, default=30, help="seconds of polling")
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="live sessions of 8")
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    if args.base:
        return http_main(args)
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
