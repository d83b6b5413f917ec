"""Benchmark: loading the signed-in person on every request (learning_lead/auth.py), the ORM
queryset built and compiled per request against SQL compiled once and run with .raw().

    .venv/bin/python bench/auth_user_query.py [--calls 2000]

Both run the same SQL on the same row; the figure that differs is this process's CPU time
per request (the database's share is the same). Uses BENCH_DATABASE_URL (default ll_bench).
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
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ll_bench"
)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.pop("REDIS_URL", None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from reminders_sweep import ensure_database

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from learning_lead.auth import RequestUserBackend
    from notifications.selectors import with_unread_count
    from teams.access import with_roles
    from teams.models import Organization, User

    call_command("migrate", verbosity=0)
    org, _ = Organization.objects.get_or_create(slug="auth-bench", defaults={"name": "Auth"})
    user, _ = User.objects.get_or_create(username="auth-bench", defaults={"organization": org})

    def orm(user_id):
        users = with_unread_count(with_roles(User._default_manager.all()))
        return next(iter(users.filter(pk=user_id)), None)

    backend = RequestUserBackend()
    ways = {"raw SQL compiled once (auth.py)": backend.get_user, "ORM per request": orm}
    assert orm(user.pk).leads_a_team == backend.get_user(user.pk).leads_a_team
    cpu = {name: [] for name in ways}
    for _ in range(args.runs):
        for name, load in ways.items():
            started = time.process_time()
            for _ in range(args.calls):
                load(user.pk)
            cpu[name].append((time.process_time() - started) / args.calls * 1000)
    for name, values in cpu.items():
        print(f"{name}: {statistics.median(values):.3f} ms CPU a request (median of {args.runs})")


if __name__ == "__main__":
    main()
