"""Runs the reminder sweep on SQLite, in its own process, for test_sqlite_sweep.py (the suite
itself runs on PostgreSQL). DATABASE_URL names the SQLite file and MAIL_DIR the directory the
e-mails are written to, one file each (MAIL_DELAY seconds apart, to make two sweeps overlap).

    python tests/notifications/sqlite_sweep.py setup     # migrate, then a team with people
    python tests/notifications/sqlite_sweep.py sweep     # one sweep, delivering itself
    python tests/notifications/sqlite_sweep.py claim     # claim the due reminders, then die
    python tests/notifications/sqlite_sweep.py sweep --after-lease
    python tests/notifications/sqlite_sweep.py move      # move one session, skip the other
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

PEOPLE = 12
EXPECTED = 2 * PEOPLE + 3 + 1  # before two sessions, nudges, the lapse


def setup() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from reflections import services as reflections
    from teams import services as teams
    from teams.models import Membership, Organization, User
    from tests.support.rhythm import history

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Embedded", slug="embedded")
    team = teams.team_create(organization=org, name="Team")
    people = [
        User.objects.create_user(
            username=f"p{index}", email=f"p{index}@example.org", organization=org
        )
        for index in range(PEOPLE)
    ]
    for person in people:
        teams.membership_set(team=team, user=person, role=Membership.Role.MEMBER)
    # A lapse reminder to the supervisor of a team that missed two sessions in a row; before
    # reminders for two sessions of the other team, and nudges for the three who took part in
    # one of its sessions held an hour ago.
    lapsed = teams.team_create(organization=org, name="Lapsed")
    teams.membership_set(team=lapsed, user=people[0], role=Membership.Role.SUPERVISOR)
    history(lapsed, "MM")
    for hours in (2, 3):
        reflections.session_add(
            team=team,
            title=f"In {hours} hours",
            starts_at=timezone.now() + timedelta(hours=hours),
            duration_minutes=30,
            time_zone="Europe/Helsinki",
        )
    held = reflections.session_add(
        team=team,
        title="Held",
        starts_at=timezone.now() - timedelta(hours=2),
        duration_minutes=60,
        time_zone="Europe/Helsinki",
    )
    reflections.session_hold(session=held, attendees=people[:3])


def move() -> None:
    from reflections import services as reflections
    from reflections.models import Session

    moved = Session.objects.get(title="In 2 hours")
    reflections.session_move(
        session=moved,
        starts_at=moved.starts_at + timedelta(hours=1),
        duration_minutes=30,
        location="",
        video_url="",
    )
    reflections.session_skip(session=Session.objects.get(title="In 3 hours"))


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_lead.settings")
    os.environ.pop("REDIS_URL", None)  # embedded: no Celery, no Redis
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from notifications import services

    settings.MAILERS = {
        "default": {
            "BACKEND": "tests.support.slow_mail.EmailBackend",
            "OPTIONS": {"file_path": os.environ["MAIL_DIR"]},
        }
    }
    command = sys.argv[1]
    if command == "setup":
        setup()
        return
    if command == "move":
        move()
        return
    now = timezone.now()
    if "--after-lease" in sys.argv:
        now += timedelta(seconds=settings.REMINDER_LEASE_SECONDS + 1)
    if command == "claim":
        services.reminders_plan(now=now)
        _, ids = services.reminders_claim(now=now, limit=1000)
        print(json.dumps({"claimed": len(ids)}))
        return
    result = services.reminders_sweep(now=now)
    print(json.dumps(result.__dict__))


if __name__ == "__main__":
    main()
