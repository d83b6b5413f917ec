"""Can a stopwatch tell which language group asked an anonymous question? (issue #17; not in CI)

Against a server started by bench/serve.sh on the bench data (bench/README.md). Each round
takes another team: three of its members sign in (the asker and one more member who use
Finnish, one who uses English) and read the questions list, as in everyday use; the asker asks
an anonymous question and follows the redirect to the list, as the browser does; then the two
others read the list, in alternating order, each timed. If the page were cached per language
and filled by the first reader, the asker's group would find it filled and be faster.

    .venv/bin/python bench/anonymity_timing.py --base http://127.0.0.1:8000 --rounds 20

The medians of the two groups' first reads must differ by less than 20 % (exit status 1 if
not). Teams may take 20 anonymous questions a day: use --first-team to move on to fresh teams
when running again on the same day.
"""

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Client, Person, sign_in  # noqa: E402

PER_TEAM = 20  # bench/generate.py: person i is in team i // 20; i % 20 == 0 leads it


def _language(index: int) -> str:
    return "fi" if index % 3 else "en"  # as bench/generate.py gives them


def members(team_index: int) -> tuple[str, str, str]:
    """The asker and a reader who use Finnish, and a reader who uses English."""
    indexes = range(team_index * PER_TEAM + 1, (team_index + 1) * PER_TEAM)
    finnish = [i for i in indexes if _language(i) == "fi"]
    english = [i for i in indexes if _language(i) == "en"]
    return f"bench-u-{finnish[0]}", f"bench-u-{finnish[1]}", f"bench-u-{english[0]}"


async def _team_of(client: Client, person: Person) -> int:
    home = await client.request("/", cookies=person.cookies)
    found = re.search(rb'href="/teams/(\d+)/"', home.body)
    if found is None:
        raise RuntimeError(f"{person.username}: no team on the dashboard ({home.status})")
    return int(found[1])


async def _timed(client: Client, person: Person, path: str) -> float:
    started = time.perf_counter()
    response = await client.request(path, cookies=person.cookies)
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"{person.username}: {path} answered {response.status}")
    return elapsed


async def one_round(client: Client, team_index: int, password: str, reader_first: bool):
    asker, same, other = (Person(name, "employee") for name in members(team_index))
    for person in (asker, same, other):
        await sign_in(client, person, password)
    team = await _team_of(client, asker)
    questions = f"/teams/{team}/questions/"
    for person in (asker, same, other):
        await _timed(client, person, questions)  # everyday use: the list has been read
    page = await client.request(questions, cookies=asker.cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)[1].decode()
    asked = await client.request(
        f"/teams/{team}/questions/ask/",
        cookies=asker.cookies,
        method="POST",
        form={
            "body": f"Anonymous question of round {team_index}: who decides?",
            "identity": "anonymous",
            "csrfmiddlewaretoken": token,
        },
    )
    if asked.status != 302:
        raise RuntimeError(f"team {team}: the question was refused ({asked.status}); daily limit?")
    await client.request(asked.headers["location"][0], cookies=asker.cookies)  # the redirect
    order = [(same, "asker's group"), (other, "other group")]
    times = {}
    for person, group in order if reader_first else order[::-1]:
        times[group] = await _timed(client, person, questions)
    return times


async def main_async(args) -> dict:
    client = Client(args.base, timeout=30)
    results = {"asker's group": [], "other group": []}
    for round_ in range(args.rounds):
        times = await one_round(
            client, args.first_team + round_, args.password, reader_first=round_ % 2 == 0
        )
        for group, seconds in times.items():
            results[group].append(seconds)
        print(
            f"round {round_ + 1:2}: asker's group {times["asker's group"] * 1000:6.1f} ms, "
            f"other group {times['other group'] * 1000:6.1f} ms"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--first-team", type=int, default=0, help="index of the first team")
    parser.add_argument("--password", default="bench")
    parser.add_argument("--json", help="write the timings (seconds) to this file")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    same = statistics.median(results["asker's group"])
    other = statistics.median(results["other group"])
    difference = abs(same - other) / min(same, other)
    print(
        f"median first read: asker's group {same * 1000:.1f} ms, "
        f"other group {other * 1000:.1f} ms, difference {difference:.0%} (limit 20 %)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    sys.exit(0 if difference < 0.2 else 1)


if __name__ == "__main__":
    main()
