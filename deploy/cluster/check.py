"""deploy/cluster/run's helper: plants reminders due during the load, counts what was
delivered, and summarises the load runs, /healthz and the replica's statistics.

    python deploy/cluster/check.py cheap-passwords
    python deploy/cluster/check.py plant N SECONDS
    python deploy/cluster/check.py reminders MAIL_DIR
    python deploy/cluster/check.py load before.json during.json after.json
    python deploy/cluster/check.py healthz HEALTHZ_LOG
    python deploy/cluster/check.py haproxy HAPROXY_LOG FAULTS
"""

import email
import json
import os
import random
import re
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path


def django_setup() -> None:
    import django

    django.setup()


def plant(count: int, seconds: int) -> None:
    """Moves upcoming sessions to start a day (the default lead time) and up to SECONDS from
    now, until about COUNT members are in them: the sweep then plans and sends their
    reminders during the load, as it would for sessions planned in the app."""
    django_setup()
    from django.utils import timezone

    from notifications.models import Reminder
    from reflections.models import Session
    from teams.models import Membership

    now = timezone.now()
    rng = random.Random(24)
    moved, people = [], 0
    candidates = Session.objects.filter(
        starts_at__gt=now + timedelta(days=2), status="planned"
    ).order_by("starts_at")
    for session in candidates[:200]:
        if people >= count:
            break
        length = session.ends_at - session.starts_at
        session.starts_at = now + timedelta(days=1, seconds=rng.uniform(30, seconds))
        session.ends_at = session.starts_at + length
        session.save(update_fields=["starts_at", "ends_at"])
        moved.append(session.pk)
        people += Membership.objects.filter(team_id=session.team_id).count()
    Reminder.objects.filter(session_id__in=moved, status="pending").delete()
    print(f"{len(moved)} sessions moved, about {people} reminders")


def cheap_passwords() -> None:
    """The bench people's password ("bench") under a cheap hash (cluster_settings.py says why)."""
    django_setup()
    from django.contrib.auth.hashers import make_password

    from teams.models import User

    print(User.objects.update(password=make_password("bench", hasher="md5")))


def reminders(mail_dir: str) -> None:
    django_setup()
    from django.utils import timezone

    from notifications.models import Reminder

    planted = Reminder.objects.filter(kind="before", due_at__lte=timezone.now())
    states = Counter(planted.values_list("status", flat=True))
    ids = Counter()
    for path in Path(mail_dir).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        ids[message["Message-ID"]] += 1
    repeated = {key: n for key, n in ids.items() if n > 1}
    print(
        json.dumps(
            {
                "due": sum(states.values()),
                "by_status": dict(states),
                "emails": sum(ids.values()),
                "distinct_message_ids": len(ids),
                "repeated_message_ids": len(repeated),
                "extra_copies": sum(n - 1 for n in repeated.values()),
            }
        )
    )


def load(*paths: str) -> None:
    for path in paths:
        if not Path(path).exists():
            print(f"{Path(path).stem:<8} no figures: the load run failed (its log says why)")
            continue
        data = json.loads(Path(path).read_text())
        run = data["runs"]["mix"]
        mix = run["pages"]["all"]
        name = Path(path).stem
        print(
            f"{name:<8} requests {mix['requests']:>5}  errors {mix['errors']:>3}  "
            f"p50 {mix['p50']:7.1f} ms  p95 {mix['p95']:7.1f} ms  p99 {mix['p99']:7.1f} ms"
        )
        for reason, count in sorted(run["errors"].items()):
            print(f"         error {reason}: {count}")


def healthz(log: str) -> None:
    """Lines "EPOCH STATUS BODY": the longest stretch of answers other than status ok."""
    lines = [line.split(" ", 2) for line in Path(log).read_text().splitlines() if line]
    worst, started, bad = 0.0, None, 0
    for stamp, code, body in lines:
        ok = code == "200" and '"status": "ok"' in body
        if ok:
            if started is not None:
                worst = max(worst, float(stamp) - started)
            started = None
        else:
            bad += 1
            started = float(stamp) if started is None else started
    if started is not None:
        worst = max(worst, float(lines[-1][0]) - started)
    print(f"/healthz polls {len(lines)}, not ok {bad}, longest not-ok stretch {worst:.1f} s")


# A request's line in HAProxy's log (option httplog, "log ... format iso"): when it ended, the
# backend and server, the status, the termination state (who ended it and why) and retries.
_REQUEST = re.compile(
    r"^(?P<at>\S+) \S+ \[[^]]+\] \S+ (?P<backend>[^/ ]+)/(?P<server>\S+) \S+ (?P<status>-?\d+) "
    r"\S+ \S+ \S+ (?P<state>\S{4}) \S+/\S+/\S+/\S+/(?P<retries>\+?\d+) \S+ "
    r'"(?P<method>\S+) (?P<path>\S+)'
)
_SERVER = re.compile(r"^(?P<at>\S+) Server (?P<server>\S+) is (?P<state>UP|DOWN)")


def haproxy(log: str, faults: str) -> None:
    """What HAProxy saw: requests it sent again to the other node, every answer of 500 or more
    with who gave it (the app: termination state "----"; else HAProxy, and its state says
    why: "SC" refused and out of retries, "sQ" queued too long, "SH" a node closed without an
    answer, server "<NOSRV>" no node up), and when, after which fault (FAULTS: lines
    "EPOCH name"); and each server going down or up."""
    events = []
    lines = Path(faults).read_text().splitlines() if Path(faults).exists() else []
    for line in lines:
        stamp, name = line.split(" ", 1)
        events.append((float(stamp), name))

    def after(moment: float) -> str:
        last = [(stamp, name) for stamp, name in events if stamp <= moment]
        if not last:
            return "before the faults"
        stamp, name = last[-1]
        return f"{name} +{moment - stamp:.1f} s"

    requests = retried = 0
    errors, origins, servers = [], Counter(), []
    for line in Path(log).read_text().splitlines():
        if match := _SERVER.match(line):
            moment = datetime.fromisoformat(match["at"]).timestamp()
            servers.append(f"  {match['server']} {match['state']} ({after(moment)})")
            continue
        match = _REQUEST.match(line)
        if not match:
            continue
        requests += 1
        retried += match["retries"].startswith("+")
        status = int(match["status"])
        if status < 500:
            continue
        moment = datetime.fromisoformat(match["at"]).timestamp()
        origin = "app" if match["state"] == "----" else f"HAProxy {match['state'][:2]}"
        fault = after(moment).split(" +")[0]
        origins[(status, origin, fault if fault.startswith("before") else f"after {fault}")] += 1
        errors.append(
            f"  {datetime.fromtimestamp(moment):%H:%M:%S} {status} {origin:<10} "
            f"{match['backend']}/{match['server']} {match['method']} {match['path']} "
            f"({after(moment)})"
        )
    print(f"HAProxy: {requests} requests, {retried} sent again to another node")
    for (status, origin, fault), count in sorted(origins.items()):
        print(f"  {status} from {origin}: {count} ({fault})")
    for error in errors[:40]:
        print(error)
    if len(errors) > 40:
        print(f"  ... and {len(errors) - 40} more")
    print("servers down and up:")
    print("\n".join(servers) or "  none")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_settings")
    command, *args = sys.argv[1:]
    if command == "cheap-passwords":
        cheap_passwords()
    elif command == "plant":
        plant(int(args[0]), int(args[1]))
    elif command == "reminders":
        reminders(args[0])
    elif command == "load":
        load(*args)
    elif command == "healthz":
        healthz(*args)
    elif command == "haproxy":
        haproxy(*args)
    else:
        sys.exit(__doc__)
