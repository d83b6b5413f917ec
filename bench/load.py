"""Load run against a running server: closed loop (peak throughput) and open loop (fixed rate).

    .venv/bin/python bench/load.py closed --concurrency 16 --duration 60
    .venv/bin/python bench/load.py open --rate 100 --duration 60

Signs in over HTTP as supervisors, employees and HR of the bench/generate.py data (password
"bench"), finds each person's team, sessions and calendar link from the pages themselves, then
requests the main pages in a fixed mix (MIX below). Prints per page p50/p95/p99, requests per
second and errors. The closed loop first runs the floor page alone (/bench/floor/, the server
needs BENCH_FLOOR=1), then the mix, with the same clients, and prints the ratio of the two
throughputs. The open loop starts requests on a fixed schedule whatever the answers do and
measures each from its scheduled start, so a slow server cannot hide its queue (no
coordinated omission). See bench/README.md for starting gunicorn.

Plain asyncio and the standard library: one new connection per request (gunicorn's sync
workers close it after each answer), X-Forwarded-Proto: https as a TLS-terminating proxy would
send, so the production settings stay as they are.
"""

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# Page: (weight in the mix, who requests it). Weights are per 100 requests. "post thought" is
# a write (a new thought in the person's team, answered with a redirect): it makes the team's
# cached pages render afresh, as real use would.
MIX = {
    "dashboard": (18, ("employee", "supervisor", "hr")),
    "post thought": (2, ("employee", "supervisor")),
    "team feed": (20, ("employee", "supervisor")),
    "session page": (14, ("employee", "supervisor")),
    "questions": (12, ("employee", "supervisor")),
    "direction": (8, ("employee", "supervisor")),
    "my learning": (8, ("employee", "supervisor")),
    "inbox": (4, ("employee", "supervisor")),
    "ICS feed": (12, ("employee", "supervisor")),  # calendar apps, by secret link
    "HR report": (2, ("hr",)),
}
FLOOR = "floor"


@dataclass
class Person:
    username: str
    role: str
    cookies: dict[str, str] = field(default_factory=dict)
    team: int | None = None
    sessions: list[int] = field(default_factory=list)
    feed: str = ""
    csrf: str = ""

    def url(self, page: str) -> str:
        if page == "dashboard":
            return "/"
        if page == "team feed":
            return f"/teams/{self.team}/thoughts/"
        if page == "post thought":
            return f"/teams/{self.team}/thoughts/new/"
        if page == "session page":
            return f"/sessions/{random.choice(self.sessions)}/"
        if page == "questions":
            return f"/teams/{self.team}/questions/"
        if page == "direction":
            return f"/teams/{self.team}/direction/"
        if page == "my learning":
            return "/learning/"
        if page == "inbox":
            return "/notifications/"
        if page == "ICS feed":
            return self.feed
        if page == "HR report":
            return "/reports/"
        if page == FLOOR:
            return "/bench/floor/"
        raise ValueError(page)

    def signed_in(self, page: str) -> bool:
        return page != "ICS feed"


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes


class Client:
    def __init__(self, base: str, timeout: float):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.authority = parts.netloc
        self.timeout = timeout

    async def request(
        self,
        path: str,
        *,
        cookies: dict[str, str] | None = None,
        method: str = "GET",
        form: dict | None = None,
        read_body: bool = True,
    ) -> Response:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), self.timeout
        )
        try:
            body = urlencode(form).encode() if form is not None else b""
            lines = [
                f"{method} {path} HTTP/1.1",
                f"Host: {self.authority}",
                "Connection: close",
                "X-Forwarded-Proto: https",
                "Accept-Encoding: identity",
                "User-Agent: learning-lead-bench",
            ]
            if cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
            if form is not None:
                origin = f"https://{self.authority}"
                lines += [
                    "Content-Type: application/x-www-form-urlencoded",
                    f"Content-Length: {len(body)}",
                    f"Origin: {origin}",
                    f"Referer: {origin}{path}",
                ]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(-1), self.timeout)
        finally:
            writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        if not status_line.startswith("HTTP/"):
            raise ConnectionError(f"no HTTP answer: {status_line[:60]!r}")
        headers: dict[str, list[str]] = defaultdict(list)
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()].append(value.strip())
        if read_body and "chunked" in headers.get("transfer-encoding", [""])[0]:
            payload = _unchunk(payload)
        return Response(int(status_line.split()[1]), headers, payload)


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


def _set_cookies(person: Person, response: Response) -> None:
    for header in response.headers.get("set-cookie", []):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            person.cookies[name] = morsel.value


async def sign_in(client: Client, person: Person, password: str) -> None:
    page = await client.request("/accounts/login/")
    _set_cookies(person, page)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if token is None:
        raise RuntimeError(f"no login form ({page.status}); is X-Forwarded-Proto honoured?")
    form = {
        "username": person.username,
        "password": password,
        "csrfmiddlewaretoken": token.group(1).decode(),
    }
    answer = await client.request(
        "/accounts/login/", cookies=person.cookies, method="POST", form=form
    )
    _set_cookies(person, answer)
    if answer.status != 302 or "sessionid" not in person.cookies:
        raise RuntimeError(f"{person.username} could not sign in ({answer.status})")


async def discover(client: Client, person: Person) -> None:
    """The person's team, some of its past sessions and their calendar link, from the pages."""
    if person.role == "hr":
        return
    home = await client.request("/", cookies=person.cookies)
    teams = re.findall(rb'href="/teams/(\d+)/"', home.body)
    if not teams:
        raise RuntimeError(f"{person.username}: no team on the dashboard ({home.status})")
    person.team = int(teams[0])
    sessions = await client.request(f"/teams/{person.team}/sessions/", cookies=person.cookies)
    person.sessions = [int(pk) for pk in re.findall(rb'href="/sessions/(\d+)/"', sessions.body)]
    if not person.sessions:
        raise RuntimeError(f"{person.username}: no sessions for team {person.team}")
    calendar = await client.request("/calendar/", cookies=person.cookies)
    feeds = re.findall(rb"(/calendar/[A-Za-z0-9_-]+\.ics)", calendar.body)
    person.feed = feeds[0].decode()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', calendar.body)
    person.csrf = token.group(1).decode()


def people_for(args) -> list[Person]:
    rng = random.Random(args.seed)
    teams = rng.sample(range(args.teams), args.supervisors + args.employees)
    people = [Person(f"bench-sup-{t}", "supervisor") for t in teams[: args.supervisors]]
    # Employee number 20 * t + k (k in 1..19) is a member of team t + 1.
    people += [
        Person(f"bench-u-{20 * t + rng.randint(1, 19)}", "employee")
        for t in teams[args.supervisors :]
    ]
    people.append(Person("bench-hr", "hr"))
    return people


@dataclass
class Sample:
    page: str
    latency: float
    ok: bool


class Recorder:
    def __init__(self):
        self.samples: list[Sample] = []
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, page: str, latency: float, ok: bool, reason: str = "") -> None:
        self.samples.append(Sample(page, latency, ok))
        if not ok:
            self.errors[f"{page}: {reason}"] += 1


WRITES = {"post thought"}


async def fetch(client: Client, person: Person, page: str) -> tuple[bool, str]:
    form = None
    if page in WRITES:
        body = f"Still thinking about step {random.randint(1, 10**6)} of our work."
        form = {"kind": "thinking", "body": body, "csrfmiddlewaretoken": person.csrf}
    try:
        response = await client.request(
            person.url(page),
            cookies=person.cookies if person.signed_in(page) else None,
            method="POST" if form else "GET",
            form=form,
            read_body=False,
        )
    except (OSError, TimeoutError, ConnectionError, ValueError) as error:
        return False, type(error).__name__
    expected = 302 if form else 200
    return response.status == expected, str(response.status)


def chooser(people: list[Person], pages: dict[str, tuple[int, tuple[str, ...]]], seed: int):
    rng = random.Random(seed)
    names = list(pages)
    weights = [pages[name][0] for name in names]
    by_role: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        by_role[person.role].append(person)

    def choose() -> tuple[Person, str]:
        page = rng.choices(names, weights)[0]
        roles = [role for role in pages[page][1] if by_role[role]]
        # Employees outnumber supervisors; HR is one person.
        role = rng.choices(roles, [{"employee": 3, "supervisor": 1, "hr": 1}[r] for r in roles])[0]
        return rng.choice(by_role[role]), page

    return choose


async def closed_loop(client, choose, *, concurrency: int, duration: float, warmup: float):
    recorder = Recorder()
    started = time.perf_counter()
    measure_from, stop_at = started + warmup, started + warmup + duration

    async def worker():
        while (now := time.perf_counter()) < stop_at:
            person, page = choose()
            ok, reason = await fetch(client, person, page)
            done = time.perf_counter()
            if now >= measure_from:
                recorder.add(page, done - now, ok, reason)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return recorder, duration


async def open_loop(client, choose, *, rate: float, duration: float, warmup: float):
    recorder = Recorder()
    tasks = set()
    started = time.perf_counter()
    total = int((warmup + duration) * rate)
    lag = 0.0

    async def one(scheduled: float, person, page, measured: bool):
        ok, reason = await fetch(client, person, page)
        if measured:
            recorder.add(page, time.perf_counter() - scheduled, ok, reason)

    for index in range(total):
        scheduled = started + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            lag = max(lag, -delay)
        person, page = choose()
        task = asyncio.create_task(one(scheduled, person, page, index >= warmup * rate))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    if lag > 0.05:
        print(f"note: the load generator started requests up to {lag * 1000:.0f} ms late")
    return recorder, duration


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(recorder: Recorder, duration: float) -> dict:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in recorder.samples:
        by_page[sample.page].append(sample)
    rows = {}
    for page, samples in [*sorted(by_page.items()), ("all", recorder.samples)]:
        latencies = [s.latency * 1000 for s in samples]
        if not latencies:
            continue
        rows[page] = {
            "requests": len(samples),
            "errors": sum(not s.ok for s in samples),
            "rps": sum(s.ok for s in samples) / duration,  # answered as expected
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "mean": statistics.fmean(latencies),
        }
    return rows


def print_table(title: str, rows: dict) -> None:
    print(f"\n{title}")
    print(
        f"{'page':<16}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}"
    )
    for page, row in rows.items():
        print(
            f"{page:<16}{row['requests']:>9}{row['errors']:>8}{row['rps']:>9.1f}"
            f"{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}"
        )


async def main_async(args) -> dict:
    client = Client(args.base, args.timeout)
    people = people_for(args)
    semaphore = asyncio.Semaphore(4)  # signing in hashes a password: a few at a time

    async def prepare(person):
        async with semaphore:
            await sign_in(client, person, args.password)
            await discover(client, person)

    started = time.perf_counter()
    await asyncio.gather(*(prepare(person) for person in people))
    print(
        f"signed in {len(people)} people ({args.supervisors} supervisors, {args.employees} "
        f"employees, HR) in {time.perf_counter() - started:.0f} s"
    )
    pages = {name: MIX[name] for name in (args.pages or MIX)}
    result = {"mode": args.mode, "args": vars(args), "runs": {}}
    if args.mode == "closed":
        runs = [("mix", pages)]
        if not args.no_floor:
            runs.insert(0, (FLOOR, {FLOOR: (1, ("employee", "supervisor"))}))
        for name, mix in runs:
            recorder, duration = await closed_loop(
                client,
                chooser(people, mix, args.seed),
                concurrency=args.concurrency,
                duration=args.duration,
                warmup=args.warmup,
            )
            rows = summarise(recorder, duration)
            result["runs"][name] = {"pages": rows, "errors": dict(recorder.errors)}
            print_table(f"closed loop, {args.concurrency} clients, {name}", rows)
        if not args.no_floor:
            floor = result["runs"][FLOOR]["pages"]["all"]["rps"]
            mix_rps = result["runs"]["mix"]["pages"]["all"]["rps"]
            result["floor_ratio"] = mix_rps / floor
            print(f"\nmix / floor throughput: {mix_rps:.1f} / {floor:.1f} = {mix_rps / floor:.0%}")
    else:
        recorder, duration = await open_loop(
            client,
            chooser(people, pages, args.seed),
            rate=args.rate,
            duration=args.duration,
            warmup=args.warmup,
        )
        rows = summarise(recorder, duration)
        result["runs"]["mix"] = {"pages": rows, "errors": dict(recorder.errors)}
        print_table(f"open loop, {args.rate:g} req/s offered", rows)
    for run in result["runs"].values():
        for reason, count in run["errors"].items():
            print(f"error {reason}: {count}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["closed", "open"])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--concurrency", type=int, default=16, help="closed loop: clients")
    parser.add_argument("--rate", type=float, default=100, help="open loop: requests/s")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds first")
    parser.add_argument("--supervisors", type=int, default=8)
    parser.add_argument("--employees", type=int, default=24)
    parser.add_argument("--teams", type=int, default=1000, help="teams in the data")
    parser.add_argument("--password", default="bench")
    parser.add_argument("--pages", nargs="*", choices=list(MIX), help="only these pages")
    parser.add_argument("--no-floor", action="store_true", help="closed loop: skip the floor")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    sys.exit(main())
