"""Fills a PostgreSQL database with a realistic organisation, fast (COPY), for benchmarks.

    .venv/bin/python bench/generate.py                 # full scale, into ll_bench_data
    .venv/bin/python bench/generate.py --scale 0.01    # 1 % for a quick try

Full scale (--scale 1): 1 organisation, 1,000 teams, 20,000 people, two years of weekly
sessions with attendance and four weeks of planned ones, 1,000,000 thoughts (a quarter of
them replies; many on a session), 100,000 questions with votes, 50,000 personal goals with
check-ins. Deterministic (seeded); the database is emptied first, and the HR report's
monthly rollups are computed at the end (`manage.py rollups_backfill`). Every person's
password is "bench". HR user: bench-hr; supervisors: bench-sup-T (leads team T + 1);
employees: bench-u-N for N not a multiple of 20 (in team N // 20 + 1).
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_lead.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATA_URL", "postgres://postgres@127.0.0.1:5432/ll_bench_data"
)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.pop("REDIS_URL", None)

KINDS = ["thinking", "insight", "tried"]
WORDS = [
    "customer",
    "call",
    "idea",
    "tried",
    "learned",
    "still",
    "unsure",
    "next",
    "time",
    "pattern",
    "data",
    "test",
    "review",
    "pair",
    "feedback",
    "question",
    "slower",
    "faster",
    "team",
    "goal",
    "practice",
    "mistake",
    "insight",
    "habit",
]


def ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def copy(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as pipe:
        for row in rows:
            pipe.write_row(row)
            count += 1
    return count


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 24)))


def generate(scale: float) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    teams_n = max(3, int(1000 * scale))
    per_team = 20
    thoughts_n, questions_n, goals_n = (
        int(1_000_000 * scale),
        int(100_000 * scale),
        int(50_000 * scale),
    )
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=730)
    password = make_password("bench")
    counts = {}
    with connection.cursor() as django_cursor:
        django_cursor.execute(
            "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename <> 'django_migrations'"
        )
        django_cursor.execute(f"TRUNCATE {django_cursor.fetchone()[0]} RESTART IDENTITY CASCADE")
        cursor = django_cursor.cursor
        cursor.execute(
            "INSERT INTO teams_organization (name, slug, time_zone, min_group_size, "
            "retention_months, created_at) VALUES ('Bench Oy', 'bench', 'Europe/Helsinki', 5, "
            "24, now()) RETURNING id"
        )
        org = cursor.fetchone()[0]
        people = teams_n * per_team
        user_cols = [
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "organization_id",
            "time_zone",
            "language",
        ]

        def users():
            for i in range(people):
                role = "sup" if i % per_team == 0 else "u"
                yield (
                    password,
                    False,
                    f"bench-{role}-{i // per_team if role == 'sup' else i}",
                    f"P{i}",
                    "Bench",
                    f"p{i}@bench.example",
                    False,
                    True,
                    now,
                    org,
                    "Europe/Helsinki",
                    "fi" if i % 3 else "en",
                )
            yield (
                password,
                False,
                "bench-hr",
                "Hanna",
                "HR",
                "hr@bench.example",
                False,
                True,
                now,
                org,
                "Europe/Helsinki",
                "fi",
            )

        counts["users"] = copy(cursor, "teams_user", user_cols, users())
        cursor.execute("SELECT id FROM teams_user WHERE username = 'bench-hr'")
        hr = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO teams_orgrole (organization_id, user_id, role) VALUES (%s, %s, 'hr')",
            [org, hr],
        )
        counts["teams"] = copy(
            cursor,
            "teams_team",
            ["organization_id", "name", "description", "time_zone", "created_at"],
            ((org, f"Team {t:04d}", "", "Europe/Helsinki", now) for t in range(teams_n)),
        )
        # Users 1..people and teams 1..teams_n (RESTART IDENTITY): person i is in team i // 20.
        counts["memberships"] = copy(
            cursor,
            "teams_membership",
            ["team_id", "user_id", "role", "joined_at"],
            (
                (i // per_team + 1, i + 1, "supervisor" if i % per_team == 0 else "member", now)
                for i in range(people)
            ),
        )
        weeks = 108  # two years back and four weeks ahead (planned sessions)

        def sessions():
            for t in range(teams_n):
                for w in range(weeks):
                    when = start + timedelta(days=7 * w, hours=(t % 8) + 1)
                    status = (
                        "held" if when < now and w % 9 else ("skipped" if when < now else "planned")
                    )
                    yield (
                        uuid.uuid4(),
                        t + 1,
                        None,
                        None,
                        "Weekly",
                        when,
                        when + timedelta(minutes=30),
                        "Europe/Helsinki",
                        "",
                        "",
                        status,
                        False,
                        0,
                        when if status == "held" else None,
                        now,
                    )

        session_cols = [
            "uid",
            "team_id",
            "rhythm_id",
            "occurrence_date",
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "location",
            "video_url",
            "status",
            "is_moved",
            "sequence",
            "held_at",
            "updated_at",
        ]
        counts["sessions"] = copy(cursor, "reflections_session", session_cols, sessions())

        def attendance():
            for t in range(teams_n):
                for w in range(weeks):
                    session = t * weeks + w + 1
                    when = start + timedelta(days=7 * w)
                    if when >= now or not w % 9:
                        continue
                    for i in range(per_team):
                        if rng.random() < 0.75:
                            yield (session, t * per_team + i + 1)

        counts["attendances"] = copy(
            cursor, "reflections_attendance", ["session_id", "user_id"], attendance()
        )
        counts["team_goals"] = copy(
            cursor,
            "teams_teamgoal",
            ["team_id", "title", "why", "status", "created_by_id", "created_at", "updated_at"],
            (
                (
                    t // 3 + 1,
                    f"Goal {t}",
                    "Why it matters",
                    "active",
                    (t // 3) * per_team + 1,
                    now,
                    now,
                )
                for t in range(teams_n * 3)
            ),
        )
        for n in range(4):
            cursor.execute(
                "INSERT INTO teams_strategytheme (organization_id, title, description, "
                "starts_on, ends_on, \"order\", created_at) VALUES (%s, %s, '', NULL, NULL, %s, "
                "now())",
                [org, f"Theme {n}", n],
            )
        copy(
            cursor,
            "teams_teamgoal_themes",
            ["teamgoal_id", "strategytheme_id"],
            ((g + 1, g % 4 + 1) for g in range(teams_n * 3)),
        )

        def week_session(team: int, when: datetime) -> int | None:
            """The id of the team's session in the week of `when`, if it was held."""
            week = (when - start).days // 7
            held = week < weeks and week % 9 and start + timedelta(days=7 * week) < now
            return (team - 1) * weeks + week + 1 if held else None

        def thoughts():
            # Ids run from 1 in this order (RESTART IDENTITY), so a reply can name the last
            # top-level thought of its team as its parent. Replies are in their thread's
            # session and goal, as thought_reply makes them.
            span = int((now - start).total_seconds())
            last_root: dict[int, tuple[int, int | None, int | None]] = {}
            for thought_id in range(1, thoughts_n + 1):
                person = rng.randrange(people)
                team = person // per_team + 1
                when = start + timedelta(seconds=rng.randrange(span))
                parent, session, goal = None, None, None
                if team in last_root and rng.random() < 0.25:
                    parent, session, goal = last_root[team]
                else:
                    goal = (team - 1) * 3 + rng.randrange(3) + 1 if rng.random() < 0.3 else None
                    session = week_session(team, when) if rng.random() < 0.4 else None
                    last_root[team] = (thought_id, session, goal)
                yield (
                    team,
                    session,
                    parent,
                    goal,
                    person + 1,
                    rng.choice(KINDS),
                    sentence(rng),
                    when,
                    None,
                )

        counts["thoughts"] = copy(
            cursor,
            "reflections_thought",
            [
                "team_id",
                "session_id",
                "parent_id",
                "team_goal_id",
                "author_id",
                "kind",
                "body",
                "created_at",
                "edited_at",
            ],
            thoughts(),
        )
        question_ids = []

        def questions():
            for _ in range(questions_n):
                qid = uuid.uuid4()
                person = rng.randrange(people)
                team = person // per_team + 1
                question_ids.append((qid, team - 1))
                when = start + timedelta(days=rng.randrange(730))
                yield (
                    qid,
                    team,
                    week_session(team, when) if rng.random() < 0.4 else None,
                    sentence(rng),
                    person + 1 if rng.random() < 0.4 else None,
                    when.date(),
                    "answered" if rng.random() < 0.6 else "open",
                    False,
                    "",
                    False,
                    False,
                    False,
                )

        counts["questions"] = copy(
            cursor,
            "reflections_question",
            [
                "id",
                "team_id",
                "session_id",
                "body",
                "author_id",
                "asked_on",
                "status",
                "is_hidden",
                "hide_reason",
                "author_left",
                "name_upward",
                "notify_author",
            ],
            questions(),
        )

        def votes():
            for qid, _team in question_ids:
                for voter in rng.sample(range(per_team), rng.randint(0, 4)):
                    yield (uuid.uuid4(), qid, _team * per_team + voter + 1)

        counts["votes"] = copy(
            cursor, "reflections_vote", ["id", "question_id", "user_id"], votes()
        )
        counts["personal_goals"] = copy(
            cursor,
            "teams_personalgoal",
            [
                "owner_id",
                "team_goal_id",
                "title",
                "reason",
                "challenge",
                "visibility",
                "status",
                "created_at",
                "updated_at",
            ],
            (
                (
                    g % people + 1,
                    (g % people) // per_team * 3 + g % 3 + 1,
                    f"Learn {g}",
                    "Mine",
                    g % 3 + 1,
                    ["private", "supervisor", "team"][g % 3],
                    "active",
                    now,
                    now,
                )
                for g in range(goals_n)
            ),
        )
        counts["check_ins"] = copy(
            cursor,
            "teams_checkin",
            ["goal_id", "day", "progress", "note", "created_at"],
            (
                (
                    g % goals_n + 1,
                    (start + timedelta(days=rng.randrange(730))).date(),
                    rng.randint(1, 5),
                    "",
                    now,
                )
                for g in range(goals_n * 2)
            ),
        )
        cursor.execute("ANALYZE")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    started = time.perf_counter()
    counts = generate(args.scale)
    print(", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"generated in {time.perf_counter() - started:.0f} s")
    # The HR report reads monthly rollups; compute them as a fresh install's backfill would.
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rollups_backfill")
    print(f"report rollups backfilled in {time.perf_counter() - started:.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after


if __name__ == "__main__":
    main()
