"""Smoke test of the embedded default (`make run`): SQLite, no Redis. The suite refuses SQLite,
so CI runs this beside it: migrate and seed a fresh SQLite file, then check that a reminder
goes out once through `run_reminders`, and that the main pages of each demo role answer."""

import io
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("REDIS_URL", None)
os.environ.update(
    DJANGO_SETTINGS_MODULE="learning_lead.settings",
    DEBUG="1",
    DATABASE_URL=f"sqlite:///{tempfile.mkdtemp()}/embedded.sqlite3",
    EMAIL_URL="memory:",
)


def main() -> None:
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from notifications.models import Notification, Reminder
    from reflections import services
    from teams.models import Team

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    team = Team.objects.filter(memberships__user__username="demo-employee").order_by("pk")[0]
    services.session_add(
        team=team,
        title="Smoke",
        starts_at=timezone.now() + timedelta(minutes=30),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=["learned"],
    )
    call_command("run_reminders", "--once", stdout=io.StringIO())
    sent = Reminder.objects.filter(session__title="Smoke", status="sent").count()
    members = team.memberships.count()
    assert sent == members, f"{sent} reminders sent for {members} members"
    mailed = sum("Smoke" in message.subject for message in mail.outbox)
    assert mailed == members, f"{mailed} e-mails for {members} members"
    assert Notification.objects.filter(session__title="Smoke").count() == members
    call_command("run_reminders", "--once", stdout=io.StringIO())
    again = sum("Smoke" in message.subject for message in mail.outbox)
    assert again == members, f"{again - members} sent twice"

    from reflections.models import Session
    from teams.models import Membership

    team = Membership.objects.filter(user__username="demo-employee").values_list("team_id")[0]
    session = Session.objects.filter(team_id=team[0]).values_list("pk")[0]
    team_pages = [
        reverse(name, args=team)
        for name in (
            "reflections:team_feed",
            "reflections:team_questions",
            "reflections:team_direction",
        )
    ]
    pages = {
        "demo-employee": [
            "home",
            "reflections:calendar",
            "notifications:inbox",
            "reflections:my_learning",
        ],
        "demo-supervisor": ["home", "reflections:health"],
        "demo-hr": ["home", "reports:report", "reflections:forwarded_queue"],
    }
    for username, names in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        assert client.login(username=username, password="learn-together"), username
        urls = [reverse(name) for name in names]
        if username == "demo-employee":
            urls += [*team_pages, reverse("reflections:session", args=session)]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{username} {url}: {response.status_code}"
            # Pages are not cached here (no Redis), but go through the same fill step.
            assert b"\x02" not in response.content, f"{username} {url}: a fragment marker"
    health = Client(HTTP_HOST="127.0.0.1").get("/healthz").json()
    assert health["database"] and health["broker"] == "eager", health
    print(f"embedded mode: {sent} reminders sent once, pages answer for 3 roles, healthz ok")


if __name__ == "__main__":
    main()
